// The reader's site: term popovers (hover, focus, tap) and the index's filter.
// Without it every term is still a link, its definition listed at the end.
((glossaryPopovers) => {
  "use strict";
  const doc = document;
  doc.documentElement.classList.add("js");

  glossaryPopovers({
    termSelector: "a[data-term][aria-describedby]",
    openClass: "gl-open",
    names: { head: "gl-head", headId: "glossary-popover-head", more: "gl-more" },
    create() {
      const pop = doc.createElement("div");
      pop.id = "glossary-popover";
      doc.body.appendChild(pop);
      return { pop, contains: (n) => pop.contains(n), focused: () => doc.activeElement };
    },
    // Below the term, or above it when there is no room; always inside the viewport.
    place(term, p) {
      const r = term.getClientRects()[0] || term.getBoundingClientRect();
      const width = doc.documentElement.clientWidth, height = innerHeight;
      const w = p.offsetWidth, h = p.offsetHeight;
      const left = Math.max(8, Math.min(r.left, width - w - 8));
      let top = r.bottom + 6;
      if (top + h > height - 8) top = r.top - h - 6 >= 8 ? r.top - h - 6 : Math.max(8, height - h - 8);
      p.style.left = left + scrollX + "px";
      p.style.top = top + scrollY + "px";
    },
  });

  // -- the term index: the letter bar's height, for scroll-margin-top --------
  const bar = doc.querySelector(".jump");
  if (bar) {
    const measure = () => doc.documentElement.style.setProperty("--jump-h", bar.offsetHeight + "px");
    measure();
    new ResizeObserver(measure).observe(bar);
  }

  // -- the term index: filter as you type -----------------------------------
  const box = doc.getElementById("term-search");
  if (!box) return;
  const entries = Array.from(doc.querySelectorAll("li[data-search]"));
  const sections = Array.from(doc.querySelectorAll("section.letter"));
  const status = doc.getElementById("term-search-status");
  const empty = doc.querySelector(".empty");
  // Folded as the server folds ?q=: NFKC, lower case and the page's folds ("實实 體体 ...").
  const folds = new Map();
  for (const pair of (box.dataset.folds || "").split(" ")) {
    const [char, ...to] = Array.from(pair);
    if (char) folds.set(char, to.join(""));
  }
  const fold = (s) => Array.from(s, (c) => folds.get(c) ?? c.normalize("NFKC").toLowerCase())
    .join("").replace(/\s+/g, " ").trim();

  function filter() {
    const q = fold(box.value);
    let shown = 0;
    for (const li of entries) {
      const hit = !q || li.dataset.search.includes(q);
      li.hidden = !hit;
      shown += hit;
    }
    for (const s of sections) {
      s.hidden = !s.querySelector("li:not([hidden])");
      const jump = doc.querySelector(`.jump a[href="#${s.id}"]`);
      if (jump) jump.hidden = s.hidden;
    }
    if (empty) empty.hidden = shown > 0;
    status.textContent = q ? `${shown} 条匹配` : "";
  }

  box.addEventListener("input", filter);
  box.form.addEventListener("submit", (e) => { e.preventDefault(); filter(); });
  if (box.value) filter();
})(
// -- popovers: screen readers hear a term's definition through its
// aria-describedby; the popover shows it, its links next in Tab order.
// /embed.js includes this function (to the closing mark); `env` is what differs.
// <popovers>
function glossaryPopovers(env) {
  "use strict";
  const doc = document, OPEN_DELAY = 200, HIDE_DELAY = 300, names = env.names;
  let box, pop, current, pending, openTimer, hideTimer, pointer = "", wasOpen = false;

  function popover() {
    if (!pop) {
      box = env.create();
      pop = box.pop;
      // A group, not a tooltip: it holds a link that takes focus.
      pop.setAttribute("role", "group");
      pop.setAttribute("aria-labelledby", names.headId);
      pop.hidden = true;
    }
    return pop;
  }

  const on = (type, handler) => doc.addEventListener(type, handler);
  const isOpen = (term) => !!term && term === current && !pop.hidden;
  const inPop = (n) => !!box && n instanceof Node && box.contains(n);
  const termOf = (t) => (t instanceof Element ? t.closest(env.termSelector) : null);
  const focused = () => (box ? box.focused() : doc.activeElement);

  function show(term) {
    cancelOpen();
    const def = doc.getElementById(term.getAttribute("aria-describedby"));
    if (!def) return;
    clearTimeout(hideTimer);
    if (isOpen(term)) return;
    const p = popover();
    p.replaceChildren();
    const lang = env.lang ? env.lang(term) : "";
    if (lang) p.lang = lang;
    const dt = def.previousElementSibling;
    if (dt && dt.tagName === "DT") {
      const head = doc.createElement("p");
      head.className = names.head;
      head.id = names.headId;
      // A headword the list links is plain text here.
      for (const n of dt.childNodes) head.append(n.nodeName === "A" ? n.textContent : n.cloneNode(true));
      p.append(head);
    }
    const body = doc.createElement("p");
    body.append(...Array.from(def.childNodes, (n) => n.cloneNode(true)));
    const more = doc.createElement("a");
    more.className = names.more;
    more.href = term.getAttribute("href");
    if (term.target) {
      more.target = term.target;
      more.rel = term.rel;
    }
    const arrow = doc.createElement("span");
    arrow.setAttribute("aria-hidden", "true");  // not read out
    arrow.textContent = " →";
    more.append(!lang || /^zh/i.test(lang) ? "更多" : "More", arrow);
    p.append(body, more);
    if (current) current.classList.remove(env.openClass);
    current = term;
    term.classList.add(env.openClass);
    p.hidden = false;
    env.place(term, p);
  }

  function hide() {
    cancelOpen();
    clearTimeout(hideTimer);
    if (pop) pop.hidden = true;
    if (current) current.classList.remove(env.openClass);
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    if (current) hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function showSoon(term) {
    clearTimeout(hideTimer);
    if (term === pending || isOpen(term)) return;
    cancelOpen();
    pending = term;
    openTimer = setTimeout(() => show(term), OPEN_DELAY);
  }

  function cancelOpen() {
    clearTimeout(openTimer);
    pending = null;
  }

  // The focusable element after `el` in document order, outside the popover.
  function nextFocusable(el) {
    let after = false;
    for (const n of doc.querySelectorAll("a[href],button,input,select,textarea,[tabindex]")) {
      if (n === el) after = true;
      else if (after && !inPop(n) && n.tabIndex >= 0 && !n.disabled && n.getClientRects().length) return n;
    }
    return null;
  }

  on("pointerdown", (e) => {
    pointer = e.pointerType;
    wasOpen = isOpen(termOf(e.target));
  });
  on("pointerover", (e) => {
    if (e.pointerType !== "mouse") return;
    const t = termOf(e.target);
    if (t) showSoon(t);
    else if (inPop(e.target)) clearTimeout(hideTimer);
  });
  on("pointerout", (e) => {
    if (e.pointerType !== "mouse") return;
    const t = termOf(e.target);
    if (t && termOf(e.relatedTarget) === t) return;
    if (t && t === pending) cancelOpen();
    if (t || inPop(e.target)) hideSoon();
  });
  on("focusin", (e) => {
    const t = termOf(e.target);
    if (t) show(t);
    else if (!inPop(e.target)) hide();
  });
  on("focusout", (e) => {
    if (termOf(e.target) && !inPop(e.relatedTarget) && pointer !== "touch") hideSoon();
  });
  on("keydown", (e) => {
    pointer = "";
    if (!current) return;
    const t = current, active = focused();
    if (e.key === "Escape") {
      if (inPop(active)) t.focus();  // before hiding: its focus would open it again
      hide();
    } else if (e.key === "Tab" && !pop.hidden) {
      // Tab runs as if the popover followed its term: the term, its links, what follows the term.
      const links = [t, ...pop.querySelectorAll("a[href]")], i = links.indexOf(active);
      const target = i < 0 || (i === 0 && e.shiftKey) ? null
        : e.shiftKey ? links[i - 1] : links[i + 1] || nextFocusable(t);
      if (target) {
        e.preventDefault();
        target.focus();
      }
    }
  });
  on("click", (e) => {
    const t = termOf(e.target);
    // A tap opens the popover; a second tap on the same term follows the link.
    if (t && pointer !== "mouse" && pointer !== "" && !wasOpen) {
      e.preventDefault();
      show(t);
    } else if (!t && !inPop(e.target)) hide();
  });
  const replace = () => { if (current && !pop.hidden) env.place(current, pop); };
  addEventListener("resize", replace);
  return { replace };
}
// </popovers>
);
