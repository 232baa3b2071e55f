// Finding the elements to annotate in a parse5 tree, by a small CSS subset:
// alternatives separated by commas, each compound selectors (tag, #id,
// .class, [attr], [attr=value]) joined by descendant combinators (spaces).

const COMPOUND = /^([a-zA-Z][\w-]*|\*)?((?:#[\w-]+|\.[\w-]+|\[[\w-]+(?:=(?:"[^"]*"|'[^']*'|[^\]"']*))?\])*)$/;
const PART = /#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\]"']*)))?\]/g;

/**
 * Parse a selector into its alternatives.
 *
 * @param {string} selector e.g. "main, article" or "div.content article".
 * @returns {Array<Array<object>>} per alternative, its compounds from the outermost to the element.
 * @throws {Error} when the selector uses more than this subset.
 */
export function parseSelector(selector) {
  const alternatives = String(selector).split(",").map((text) => text.trim());
  if (alternatives.some((text) => !text)) {
    throw new Error(`selector ${JSON.stringify(selector)} has an empty alternative`);
  }
  return alternatives.map((text) => text.split(/\s+/).map((compound) => parseCompound(compound, selector)));
}

function parseCompound(text, selector) {
  const match = COMPOUND.exec(text);
  if (!match || (!match[1] && !match[2])) {
    throw new Error(
      `selector ${JSON.stringify(selector)}: ${JSON.stringify(text)} is not supported ` +
        "(use tag names, #id, .class, [attr] or [attr=value], joined by spaces or commas)",
    );
  }
  const compound = { tag: match[1] && match[1] !== "*" ? match[1].toLowerCase() : null, ids: [], classes: [], attrs: [] };
  for (const part of match[2].matchAll(PART)) {
    if (part[1]) compound.ids.push(part[1]);
    else if (part[2]) compound.classes.push(part[2]);
    else compound.attrs.push({ name: part[3].toLowerCase(), value: part[4] ?? part[5] ?? part[6] ?? null });
  }
  return compound;
}

function attribute(element, name) {
  const found = element.attrs.find((attr) => attr.name === name);
  return found ? found.value : null;
}

function matchesCompound(element, compound) {
  if (compound.tag && element.tagName !== compound.tag) return false;
  if (compound.ids.some((id) => attribute(element, "id") !== id)) return false;
  const classes = (attribute(element, "class") || "").split(/\s+/);
  if (compound.classes.some((name) => !classes.includes(name))) return false;
  return compound.attrs.every(({ name, value }) => {
    const actual = attribute(element, name);
    return actual !== null && (value === null || actual === value);
  });
}

function matches(element, compounds) {
  if (!matchesCompound(element, compounds.at(-1))) return false;
  let index = compounds.length - 2;
  for (let node = element.parentNode; node && index >= 0; node = node.parentNode) {
    if (node.tagName && matchesCompound(node, compounds[index])) index -= 1;
  }
  return index < 0;
}

function* elements(node) {
  for (const child of node.childNodes || []) {
    if (!child.tagName) continue;
    yield child;
    // A <template>'s content is not part of the page.
    yield* elements(child);
  }
}

/**
 * Return the elements to annotate: those of the first alternative that matches anything,
 * in document order, leaving out any inside another one found.
 *
 * @param {object} document a parse5 document.
 * @param {Array<Array<object>>} alternatives from parseSelector.
 * @returns {Array<object>} parse5 elements.
 */
export function selectElements(document, alternatives) {
  for (const compounds of alternatives) {
    const found = [];
    for (const element of elements(document)) {
      if (matches(element, compounds) && !found.some((outer) => contains(outer, element))) found.push(element);
    }
    if (found.length) return found;
  }
  return [];
}

function contains(outer, element) {
  for (let node = element.parentNode; node; node = node.parentNode) {
    if (node === outer) return true;
  }
  return false;
}
