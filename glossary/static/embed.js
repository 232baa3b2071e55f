// The glossary on another site (served at /embed.js): each element under
// data-selector goes to POST /api/annotate and is replaced by the sanitised
// answer, whose terms then show their definitions in a popover on hover,
// focus or tap, as on the glossary's own pages. The popover lives in a shadow
// root and all styles are constructable stylesheets: the host's CSS cannot
// reach it, ours touches nothing of the host's, and a strict CSP (no inline
// styles) holds. If the service fails, the page stays as it was.
(() => {
  "use strict";
  const doc = document, script = doc.currentScript;
  const ONCE = Symbol.for("glossary-embed");
  if (!script || !script.src || window[ONCE]) return;
  window[ONCE] = true;

  const ORIGIN = new URL(script.src).origin, API = ORIGIN + "/api/annotate";
  const opt = script.dataset;
  const SELECTOR = opt.selector || "article", TARGET = opt.target || "";
  // Marks an element the embed has annotated; its styles apply under it only.
  const MARK = "data-glossary-embed", OPEN = "glossary-embed-open";
  const TIMEOUT = 15000;
  const warn = (...args) => console.warn("glossary embed:", ...args);

  // -- styles -----------------------------------------------------------------
  // In the host's document, under annotated elements only. What keeps a term
  // visible and usable is !important (against a host's a{display:none}); the
  // looks are not, so a host may restyle them.
  const PAGE_CSS = `
[${MARK}] a[data-term]{display:inline!important;visibility:visible!important;opacity:1!important;pointer-events:auto!important;cursor:pointer;color:inherit;text-decoration:underline dotted #0b57d0;text-decoration-thickness:2px;text-underline-offset:.3em}
[${MARK}] a[data-term]:hover,[${MARK}] a[data-term].${OPEN}{text-decoration-style:solid;background:rgba(11,87,208,.08)}
[${MARK}] a[data-term]:focus-visible{outline:3px solid #0b57d0!important;outline-offset:2px}
[${MARK}] [data-glossary=notes]{display:block;margin-top:2em;padding-top:.5em;border-top:1px solid #d0d7de;font-size:.9em}
[${MARK}] [data-glossary=title]{font-weight:600}
[${MARK}] [data-glossary=list] dt{font-weight:600;margin-top:.5em}
[${MARK}] [data-glossary=list] dd{margin:0}
@media (prefers-color-scheme:dark){[${MARK}] a[data-term]{text-decoration-color:#7cb3ff}}`;
  // In the shadow root, which no page selector reaches. Its host element's
  // rules are !important: an inner !important beats even the page's.
  const POPOVER_CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;width:0!important;height:0!important;overflow:visible!important;visibility:visible!important;opacity:1!important;z-index:2147483647!important;transform:none!important}
[hidden]{display:none!important}
.pop{position:absolute;box-sizing:border-box;left:8px;top:0;width:352px;max-width:calc(100vw - 16px);max-height:calc(100vh - 16px);overflow:auto;padding:10px 14px;background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.2);font:15px/1.65 "PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;text-align:left;overflow-wrap:break-word}
.pop:lang(zh-Hant){font-family:"PingFang TC","Noto Sans CJK TC","Microsoft JhengHei",system-ui,sans-serif}
p{margin:0 0 6px}
.head{font-weight:600}
.head span{font-weight:400;color:#57606a}
a{color:#0b57d0;text-underline-offset:.2em}
a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px;border-radius:2px}
.more{display:inline-block;margin-top:4px}
@media (prefers-color-scheme:dark){.pop{background:#161b22;color:#e6edf3;border-color:#3d444d}.head span{color:#9da7b3}a{color:#7cb3ff}a:focus-visible{outline-color:#7cb3ff}}`;

  // Constructable stylesheets need no style-src in a CSP.
  function adopt(target, css) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  }

  // -- annotating ---------------------------------------------------------------
  // Under Trusted Types the page allows the policy "glossary-embed"; the
  // service sanitised what it passes.
  let policy = null;
  try {
    if (window.trustedTypes) policy = trustedTypes.createPolicy("glossary-embed", { createHTML: (s) => s });
  } catch { /* not allowed: parsing fails below, and says so */ }

  const absolute = (href) => new URL(href, ORIGIN + "/").href;

  // The service's links are relative to the glossary (the host's own links
  // stay as written); each element gets its own definition ids, since two
  // articles on one page may define the same term.
  function adapt(body, n) {
    const ids = new Map();
    for (const dd of body.querySelectorAll("[data-glossary=definition][id]")) {
      const id = `glossary-embed-${n}-${dd.getAttribute("data-for") || dd.id}`;
      ids.set(dd.id, id);
      dd.id = id;
    }
    const links = body.querySelectorAll("a[data-term], [data-glossary=notes] a[href]");
    for (const a of links) {
      a.href = absolute(a.getAttribute("href"));
      if (TARGET) {
        a.target = TARGET;
        if (TARGET === "_blank") a.rel = "noopener";
      }
      const described = a.getAttribute("aria-describedby");
      if (described) a.setAttribute("aria-describedby", described.split(/\s+/).map((i) => ids.get(i) || i).join(" "));
    }
    const notes = body.querySelector("[data-glossary=notes]");
    if (notes && opt.lang) notes.lang = opt.lang;
  }

  async function annotate(el, n) {
    const sent = el.innerHTML;
    const request = { html: sent };
    if (opt.mode) request.mode = opt.mode;
    if (opt.date) request.date = opt.date;
    let response;
    try {
      response = await fetch(API, {
        method: "POST", mode: "cors", credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request), signal: AbortSignal.timeout(TIMEOUT),
      });
    } catch (error) {
      warn(`no answer from ${API} (is the service down, or ${location.origin} not in its ` +
           "GLOSSARY_CORS_ORIGINS?); the page is left as it was.", String(error));
      return;
    }
    if (!response.ok) {
      let detail = "";
      try {
        const p = await response.json();
        detail = `${p.title}: ${p.detail} (${p.type})`;
      } catch { /* not problem+json */ }
      warn(`${API} answered ${response.status}; the page is left as it was.`, detail);
      return;
    }
    let body;
    try {
      const html = (await response.json()).html;
      body = new DOMParser().parseFromString(policy ? policy.createHTML(html) : html, "text/html").body;
    } catch (error) {
      warn("could not read the answer; the page is left as it was.", String(error));
      return;
    }
    // The page may have changed it meanwhile.
    if (el.innerHTML !== sent) {
      warn("the element changed while it was being annotated; it is left as it is.", el);
      return;
    }
    adapt(body, n);
    el.replaceChildren(...body.childNodes);
    el.setAttribute(MARK, "");
  }

  // -- the popover ----------------------------------------------------------------
  // glossary.js's popovers (web/embed.py puts its function glossaryPopovers
  // here), in a shadow root that no page selector reaches.
  /* glossaryPopovers */

  function listen() {
    let host, root;
    const popovers = glossaryPopovers({
      termSelector: `[${MARK}] a[data-term][aria-describedby]`,
      openClass: OPEN,
      names: { head: "head", headId: "head", more: "more" },
      lang: (term) => opt.lang || (term.closest("[lang]") || {}).lang || "zh-Hans",
      create() {
        host = doc.createElement("glossary-embed-popover");
        root = host.attachShadow({ mode: "open" });
        adopt(root, POPOVER_CSS);
        const pop = doc.createElement("div");
        pop.className = "pop";
        root.append(pop);
        doc.body.append(host);
        return {
          pop,
          contains: (n) => n === host || root.contains(n),
          // Focus inside the shadow root shows on the document as the host element.
          focused: () => (doc.activeElement === host ? root.activeElement : doc.activeElement),
        };
      },
      // Below the term, or above it without room; inside the viewport (the
      // host element is fixed at its corner), kept there on scroll.
      place(term, pop) {
        const r = term.getClientRects()[0] || term.getBoundingClientRect();
        const width = doc.documentElement.clientWidth, height = innerHeight;
        const w = pop.offsetWidth, h = pop.offsetHeight;
        let top = r.bottom + 6;
        if (top + h > height - 8) top = r.top - h - 6 >= 8 ? r.top - h - 6 : Math.max(8, height - h - 8);
        // CSSOM, not a style attribute: a CSP without 'unsafe-inline' allows it.
        pop.style.left = Math.max(8, Math.min(r.left, width - w - 8)) + "px";
        pop.style.top = top + "px";
      },
    });
    addEventListener("scroll", popovers.replace, { passive: true, capture: true });
  }

  async function start() {
    let elements;
    try {
      elements = Array.from(doc.querySelectorAll(SELECTOR));
    } catch {
      warn(`data-selector "${SELECTOR}" is not a CSS selector.`);
      return;
    }
    // An element inside another is annotated with it, once.
    elements = elements.filter((el) => !elements.some((o) => o !== el && o.contains(el)));
    if (!elements.length) {
      warn(`nothing on this page matches data-selector "${SELECTOR}".`);
      return;
    }
    await Promise.all(elements.map(annotate));
    if (!doc.querySelector(`[${MARK}]`)) return;
    adopt(doc, PAGE_CSS);
    listen();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
