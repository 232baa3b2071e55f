"""The compiled glossary: what it takes over from the one it replaces, and what it does not keep."""

from __future__ import annotations

import gc
import weakref

import markdown

import glossary.core.compiled as compiled_module
from glossary import Glossary, Term, annotate_html, annotate_markdown
from glossary.core.compiled import CompiledGlossary

BASE = {"swift": ("SWIFT", "报文组织。"), "entity-list": ("实体清单", "一份名单。"),
        "sanctions": ("二级制裁", "制裁。")}


def terms(**definitions: str) -> list[Term]:
    """Return the test terms, with the definitions given by id instead of their own."""
    return [Term(id=i, term=word, definition=definitions.get(i, text), aliases=("環球銀行",) if i == "swift" else ())
            for i, (word, text) in BASE.items()]


def warm(glossary: Glossary) -> CompiledGlossary:
    return CompiledGlossary(glossary).warm()


def test_the_model_holds_no_compiled_parts():
    glossary = Glossary(terms())
    assert not any(hasattr(glossary, name) for name in ("matcher", "index", "reuse_compiled", "_lock"))


def test_a_glossary_with_only_new_definitions_shares_the_automaton_and_annotates_with_them():
    before = warm(Glossary(terms()))
    after = CompiledGlossary(Glossary(terms(swift="总部在比利时。")), previous=before)
    assert after.matcher.longest is before.matcher.longest
    assert "总部在比利时" in annotate_markdown("提到SWIFT。", after, "all").html


def test_a_glossary_with_a_new_spelling_builds_a_new_automaton():
    before = warm(Glossary(terms()))
    changed = [t if t.id != "sanctions" else Term(id=t.id, term=t.term, definition="d", aliases=("次级制裁",))
               for t in terms()]
    after = CompiledGlossary(Glossary(changed), previous=before)
    assert after.matcher.longest is not before.matcher.longest
    assert [t.id for t in annotate_markdown("所谓次级制裁。", after, "all").terms] == ["sanctions"]


def test_a_renamed_headword_is_filed_again_and_an_unchanged_index_is_taken_over(monkeypatch):
    before = warm(Glossary(terms()))
    same_names = CompiledGlossary(Glossary(terms(swift="新定义。")), previous=before)
    renamed = CompiledGlossary(Glossary([Term(id="swift", term="ZZZ", definition="d"), *terms()[1:]]), previous=before)
    monkeypatch.setattr(compiled_module, "group_terms", lambda *_: [("sorted again", [])])
    assert [[t.id for t in group] for _, group in same_names.index()] == [
        [t.id for t in group] for _, group in before.index()]
    assert renamed.index() == [("sorted again", [])]


def test_the_compiled_glossary_keeps_nothing_of_the_one_it_replaces():
    before = warm(Glossary(terms()))
    before.name_keys()
    refs = [weakref.ref(before), weakref.ref(before.glossary)]
    old_term = before.by_id["swift"]  # Term has slots and no weak references: looked for by identity
    after = CompiledGlossary(Glossary(terms(swift="总部在比利时。")), previous=before).warm()
    del before
    gc.collect()
    assert [ref() for ref in refs] == [None, None]
    assert not any(held is old_term for held in reachable(after))
    assert any(held is after.by_id["swift"] for held in reachable(after))  # the walk does find terms
    assert "总部在比利时" in annotate_markdown("提到SWIFT。", after, "all").html


def reachable(root) -> list:
    """Return every object `root` holds, directly or not (as the garbage collector sees it)."""
    seen, todo, found = set(), [root], []
    while todo:
        held = todo.pop()
        if id(held) in seen or isinstance(held, type):
            continue
        seen.add(id(held))
        found.append(held)
        todo.extend(gc.get_referents(held))
    return found


def test_a_plain_glossary_is_compiled_for_each_call(monkeypatch):
    built = counting_matchers(monkeypatch)
    glossary = Glossary(terms())
    annotate_markdown("提到SWIFT。", glossary, "all")
    annotate_html("<p>提到SWIFT。</p>", glossary, "all")
    assert len(built) == 2


def test_a_compiled_glossary_is_compiled_once_for_every_call(monkeypatch):
    built = counting_matchers(monkeypatch)
    compiled = CompiledGlossary(Glossary(terms()))
    for _ in range(2):
        assert annotate_markdown("提到SWIFT。", compiled, "all").terms
        assert annotate_html("<p>提到SWIFT。</p>", compiled, "all").terms
    assert len(built) == 1


def test_bold_mode_builds_no_automaton(monkeypatch):
    built = counting_matchers(monkeypatch)
    assert annotate_markdown("**SWIFT**", Glossary(terms()), "bold").terms
    assert built == []


def test_the_markdown_extension_compiles_a_terms_file_once_for_every_document(monkeypatch, terms_file):
    built = counting_matchers(monkeypatch)
    md = markdown.Markdown(extensions=["glossary"],
                           extension_configs={"glossary": {"glossary": str(terms_file), "mode": "all"}})
    for text in ("提到实体清单。", "又提到实体清单。"):
        assert 'data-term="entity-list"' in md.convert(text)
        md.reset()
    assert len(built) == 1


def test_the_markdown_extension_takes_a_compiled_glossary_as_it_is(monkeypatch):
    built = counting_matchers(monkeypatch)
    compiled = CompiledGlossary(Glossary(terms()))
    md = markdown.Markdown(extensions=["glossary"], extension_configs={"glossary": {"glossary": compiled,
                                                                                   "mode": "all"}})
    for text in ("提到SWIFT。", "又提到SWIFT。"):
        assert 'data-term="swift"' in md.convert(text)
        md.reset()
    assert len(built) == 1


def counting_matchers(monkeypatch) -> list:
    """Count the matchers built from here on (each builds an automaton)."""
    built = []
    real = compiled_module.Matcher

    def counting(by_key):
        built.append(by_key)
        return real(by_key)

    monkeypatch.setattr(compiled_module, "Matcher", counting)
    return built
