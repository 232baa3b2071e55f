// Popover definitions for annotated terms: hover, keyboard focus and tap.
(() => {
  "use strict";
  let pop, current, hideTimer;
  const touch = matchMedia("(hover: none)").matches;

  function popover() {
    if (!pop) {
      pop = document.createElement("div");
      pop.id = "glossary-popover";
      pop.setAttribute("role", "tooltip");
      pop.hidden = true;
      pop.addEventListener("mouseenter", () => clearTimeout(hideTimer));
      pop.addEventListener("mouseleave", () => hideSoon());
      document.body.appendChild(pop);
    }
    return pop;
  }

  function show(term) {
    const def = document.getElementById(term.getAttribute("aria-describedby"));
    if (!def) return;
    clearTimeout(hideTimer);
    const p = popover();
    p.replaceChildren();
    const head = def.previousElementSibling;
    if (head) {
      const h = document.createElement("p");
      h.append(...Array.from(head.childNodes, (n) => n.cloneNode(true)));
      h.style.fontWeight = "bold";
      p.append(h);
    }
    p.append(...Array.from(def.childNodes, (n) => n.cloneNode(true)));
    const more = document.createElement("a");
    more.href = term.href;
    more.textContent = "更多";
    p.append(more);
    p.hidden = false;
    current = term;
    place(term, p);
  }

  function place(term, p) {
    const r = term.getBoundingClientRect();
    const width = p.offsetWidth;
    const maxLeft = document.documentElement.clientWidth - width - 8;
    const left = Math.max(8, Math.min(r.left, maxLeft));
    let top = r.bottom + 6;
    if (top + p.offsetHeight > innerHeight && r.top - p.offsetHeight - 6 > 0) top = r.top - p.offsetHeight - 6;
    p.style.left = left + scrollX + "px";
    p.style.top = top + scrollY + "px";
  }

  function hide() {
    if (pop) pop.hidden = true;
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  function termOf(target) {
    return target instanceof Element ? target.closest("a[data-term][aria-describedby]") : null;
  }

  document.addEventListener("mouseover", (e) => { const t = termOf(e.target); if (t && !touch) show(t); });
  document.addEventListener("mouseout", (e) => { if (termOf(e.target) && !touch) hideSoon(); });
  document.addEventListener("focusin", (e) => { const t = termOf(e.target); if (t) show(t); });
  document.addEventListener("focusout", (e) => { if (termOf(e.target) && !pop?.contains(e.relatedTarget)) hideSoon(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && current) hide(); });
  document.addEventListener("click", (e) => {
    const t = termOf(e.target);
    if (t && touch && current !== t) { e.preventDefault(); show(t); return; }
    if (!t && pop && !pop.contains(e.target)) hide();
  });
})();
