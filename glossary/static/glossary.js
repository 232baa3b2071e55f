// The reader's site: term popovers on articles (hover, keyboard focus, tap)
// and the term index's filter-as-you-type. Without it every term is still
// a link to its page and the definitions are listed at the end.
(() => {
  "use strict";
  const doc = document;
  doc.documentElement.classList.add("js");

  // -- popovers -------------------------------------------------------------
  // Screen readers hear the definition through the term's aria-describedby
  // (the list at the end); the popover shows the same text to the eye.
  let pop, current, hideTimer, pointer = "", wasOpen = false;

  function popover() {
    if (!pop) {
      pop = doc.createElement("div");
      pop.id = "glossary-popover";
      pop.setAttribute("role", "tooltip");
      pop.hidden = true;
      doc.body.appendChild(pop);
    }
    return pop;
  }

  function show(term) {
    const def = doc.getElementById(term.getAttribute("aria-describedby"));
    if (!def) return;
    clearTimeout(hideTimer);
    if (current === term && !pop.hidden) return;
    const p = popover();
    p.replaceChildren();
    const dt = def.previousElementSibling;
    if (dt && dt.tagName === "DT") {
      const head = doc.createElement("p");
      head.className = "gl-head";
      // The list links each headword; inside the popover it is plain text.
      for (const n of dt.childNodes) head.append(n.nodeName === "A" ? n.textContent : n.cloneNode(true));
      p.append(head);
    }
    const body = doc.createElement("p");
    body.append(...Array.from(def.childNodes, (n) => n.cloneNode(true)));
    const more = doc.createElement("a");
    more.className = "gl-more";
    more.href = term.getAttribute("href");
    more.textContent = "更多 →";
    p.append(body, more);
    if (current) current.classList.remove("gl-open");
    current = term;
    term.classList.add("gl-open");
    p.hidden = false;
    place(term, p);
  }

  // Below the term, or above it when there is no room; always inside the viewport.
  function place(term, p) {
    const r = term.getClientRects()[0] || term.getBoundingClientRect();
    const width = doc.documentElement.clientWidth, height = innerHeight;
    const w = p.offsetWidth, h = p.offsetHeight;
    const left = Math.max(8, Math.min(r.left, width - w - 8));
    let top = r.bottom + 6;
    if (top + h > height - 8) top = r.top - h - 6 >= 8 ? r.top - h - 6 : Math.max(8, height - h - 8);
    p.style.left = left + scrollX + "px";
    p.style.top = top + scrollY + "px";
  }

  function hide() {
    clearTimeout(hideTimer);
    if (pop) pop.hidden = true;
    if (current) current.classList.remove("gl-open");
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  const termOf = (t) => (t instanceof Element ? t.closest("a[data-term][aria-describedby]") : null);
  const inPop = (t) => !!pop && t instanceof Node && pop.contains(t);

  doc.addEventListener("pointerdown", (e) => {
    pointer = e.pointerType;
    const t = termOf(e.target);
    wasOpen = !!t && t === current && !pop.hidden;
  });
  doc.addEventListener("pointerover", (e) => {
    if (e.pointerType !== "mouse") return;
    const t = termOf(e.target);
    if (t) show(t);
    else if (inPop(e.target)) clearTimeout(hideTimer);
  });
  doc.addEventListener("pointerout", (e) => {
    if (e.pointerType === "mouse" && (termOf(e.target) || inPop(e.target))) hideSoon();
  });
  doc.addEventListener("focusin", (e) => {
    const t = termOf(e.target);
    if (t) show(t);
    else if (!inPop(e.target)) hide();
  });
  doc.addEventListener("focusout", (e) => {
    if (termOf(e.target) && !inPop(e.relatedTarget) && pointer !== "touch") hideSoon();
  });
  doc.addEventListener("keydown", (e) => {
    pointer = "";
    if (e.key === "Escape" && current) {
      const t = current;
      hide();
      if (inPop(doc.activeElement)) t.focus();
    }
  });
  doc.addEventListener("click", (e) => {
    const t = termOf(e.target);
    // A tap opens the popover; a second tap on the same term follows the link.
    if (t && pointer !== "mouse" && pointer !== "" && !wasOpen) {
      e.preventDefault();
      show(t);
    } else if (!t && !inPop(e.target)) hide();
  });
  addEventListener("resize", () => { if (current) place(current, pop); });

  // -- the term index: filter as you type -----------------------------------
  const box = doc.getElementById("term-search");
  if (!box) return;
  const entries = Array.from(doc.querySelectorAll("li[data-search]"));
  const sections = Array.from(doc.querySelectorAll("section.letter"));
  const status = doc.getElementById("term-search-status");
  const empty = doc.querySelector(".empty");
  const fold = (s) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

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
})();
