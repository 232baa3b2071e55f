// The selector subset, on pages parsed by parse5 (run: npm test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { parse } from "parse5";

import { parseSelector, selectElements } from "../selector.js";

function select(html, selector) {
  return selectElements(parse(html), parseSelector(selector)).map((element) => {
    const id = element.attrs.find((attr) => attr.name === "id");
    return id ? id.value : element.tagName;
  });
}

test("the first alternative that matches anything wins", () => {
  const page = '<article id="a1"></article><main id="m"><article id="a2"></article></main>';
  assert.deepEqual(select(page, "main, article"), ["m"]);
  assert.deepEqual(select(page, "aside, article"), ["a1", "a2"]);
});

test("a match inside another match is left to the outer one", () => {
  assert.deepEqual(select('<div id="o" class="x"><div id="i" class="x"></div></div>', ".x"), ["o"]);
});

test("descendant selectors match through any depth", () => {
  const page = '<article><section><div class="body" id="b"></div></section></article><div class="body" id="out"></div>';
  assert.deepEqual(select(page, "article .body"), ["b"]);
});

test("ids, classes and attributes must all match", () => {
  const page = '<div id="a" class="post wide" data-kind="essay"></div><div id="b" class="post" data-kind="note"></div>';
  assert.deepEqual(select(page, "div.post.wide"), ["a"]);
  assert.deepEqual(select(page, '[data-kind="note"]'), ["b"]);
  assert.deepEqual(select(page, "[data-kind]"), ["a", "b"]);
  assert.deepEqual(select(page, "#b.post"), ["b"]);
});

test("tag names match whatever their case in the selector", () => {
  assert.deepEqual(select("<main></main>", "MAIN"), ["main"]);
});

test("a selector outside the subset is refused naming the part", () => {
  assert.throws(() => parseSelector("main > article"), /">" is not supported/);
  assert.throws(() => parseSelector("article:not(.draft)"), /"article:not\(.draft\)" is not supported/);
  assert.throws(() => parseSelector("main,"), /empty alternative/);
});
