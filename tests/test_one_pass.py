"""One pass, one result: what the annotator records while it walks, and the writers that use it (issue 14)."""

from __future__ import annotations

import copy
import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import pytest
from conftest import TERMS_YAML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.serializers import to_html_string
from test_properties import ARTICLES, MODES, SPELLINGS

from glossary import annotate_html, annotate_markdown, parse_glossary
from glossary.core.annotator import Annotator
from glossary.core.compiled import CompiledGlossary
from glossary.core.options import Options
from glossary.render import annotate_article
from glossary.render.converter import Converter, converter
from glossary.render.serialize import to_html

ROOT = Path(__file__).resolve().parent.parent
SPELLINGS_AND_VARIANTS = [*SPELLINGS, "特朗普", "特朗普总统", "特朗普總統", "实体清单外"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def rendered_text(html: str) -> str:
    """Return the text of an annotated fragment without its definitions block, as a reader reads it."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for notes in root.xpath("//*[@data-glossary='notes']"):
        notes.drop_tree()
    return root.text_content()


# -- the writers: serialising the plan = applying it, then Python-Markdown's serialiser --


def tree_of(text: str):
    conv = Converter(None, ("tables", "footnotes"))
    root = conv.tree(text)
    conv.md.reset()
    return root


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES, max_links=st.sampled_from([0, 1, 10]), link_notes=st.booleans(), notes=st.booleans(),
       link_prefix=st.sampled_from(["/terms/", "https://glossary.example/terms/"]), explain=st.booleans())
def test_writing_the_plan_while_serialising_equals_applying_it_first(glossary, mode, text, max_links, link_notes, notes,
                                                                     link_prefix, explain):
    options = Options(mode=mode, max_links=max_links, link_notes=link_notes, notes=notes, link_prefix=link_prefix,
                      explain=explain)
    assert_written_equals_applied(glossary, text, options)


def assert_written_equals_applied(glossary, text: str, options: Options) -> None:
    """Annotate two copies of `text`'s tree: serialising with the plan gives what applying it first gives."""
    root = tree_of(text)
    twin = copy.deepcopy(root)
    annotator, again = Annotator(CompiledGlossary(glossary), options), Annotator(CompiledGlossary(glossary), options)
    annotator.run(root)
    again.run(twin)
    written = to_html(root, annotator.plan)
    again.plan.apply(twin)
    assert written == to_html_string(twin)


# The test glossary with variant objects, a regional form and not_in (issue 16).
VARIANTS_YAML = TERMS_YAML.replace(
    "    aliases: [川普]\n",
    "    aliases: [{form: 川普, regions: [zh-TW]}, {form: 特朗普总统, status: deprecated}]\n",
).replace("    aliases: [实体名单]\n", "    aliases: [实体名单]\n    not_in: [实体清单外]\n")
VARIANT_TEXT = st.lists(st.sampled_from([*SPELLINGS_AND_VARIANTS, "外", "和", "**", "\n\n", "软件", "\n\n# "]),
                        max_size=30).map("".join)


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=st.one_of(ARTICLES, VARIANT_TEXT), lang=st.sampled_from([None, "zh-Hans", "zh-TW", "zh-HK", "zh-Hant"]),
       link_notes=st.booleans(), notes=st.booleans())
def test_writing_the_plan_with_variants_and_a_language_equals_applying_it_first(mode, text, lang, link_notes, notes):
    options = Options(mode=mode, link_notes=link_notes, lang=lang, notes=notes)
    assert_written_equals_applied(parse_glossary(VARIANTS_YAML), text, options)


def test_serialising_leaves_the_walked_tree_unchanged(glossary):
    root = tree_of("**实体清单**与SWIFT。\n\n- 稀土")
    before = to_html_string(root)
    annotator = Annotator(CompiledGlossary(glossary), Options(mode="all"))
    annotator.run(root)
    assert "data-term" in to_html(root, annotator.plan)
    assert to_html_string(root) == before


def test_an_applied_plan_is_not_written_twice(glossary):
    root = tree_of("**实体清单**")
    annotator = Annotator(CompiledGlossary(glossary), Options())
    annotator.run(root)
    annotator.plan.apply(root)
    assert to_html(root, annotator.plan).count("data-term=") == 1


def test_a_comment_in_the_tree_falls_back_to_python_markdowns_serialiser(glossary):
    root = tree_of("稀土")
    root.append(root.makeelement("p", {}))
    from xml.etree.ElementTree import Comment

    root.append(Comment(" 稀土 "))
    annotator = Annotator(CompiledGlossary(glossary), Options(mode="all"))
    annotator.run(root)
    html = to_html(root, annotator.plan)
    assert "<!-- 稀土 -->" in html and html.count('data-term="rare-earth"') == 1


# -- what the result records ------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_each_occurrence_is_where_its_text_is_in_the_article(glossary, mode, text):
    result = annotate_markdown(text, glossary, mode, max_links=0)
    if "<" in text or "&" in text:
        return  # raw HTML or entities: annotated after a parse of the finished HTML (positions in that tree)
    article = rendered_text(result.html) if result.html.strip() else ""
    for occurrence in result.occurrences:
        start = occurrence.position
        assert article[start:start + len(occurrence.text)] == occurrence.text


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_occurrences_count_as_the_term_counts_do(glossary, mode, text):
    result = annotate_markdown(text, glossary, mode)
    counts = {}
    for occurrence in result.occurrences:
        counts[occurrence.term_id] = counts.get(occurrence.term_id, 0) + 1
    assert counts == {t.id: t.count for t in result.terms}


@pytest.mark.parametrize("text", ["\n\n    >\n\n实体清单", "`a>b` 实体清单", "## `x>y` 标题\n\n实体清单"])
def test_occurrence_after_code_holding_an_escaped_character_is_where_its_text_is(glossary, text):
    # Python-Markdown keeps code's text escaped in its tree (&gt;); a reader sees one character.
    result = annotate_markdown(text, glossary, "all")
    [occurrence] = result.occurrences
    article = rendered_text(result.html)
    assert article[occurrence.position:occurrence.position + 4] == "实体清单"


def test_occurrence_keeps_the_spelling_the_article_used(glossary):
    result = annotate_markdown("**實體清單**与实体名单，还有ＳＷＩＦＴ。", glossary, "all")
    assert [(o.term_id, o.text, o.bold) for o in result.occurrences] == [
        ("entity-list", "實體清單", True), ("entity-list", "实体名单", False), ("swift", "ＳＷＩＦＴ", False)]


def test_occurrence_past_the_link_limit_is_recorded_as_not_linked(glossary):
    result = annotate_markdown("稀土。稀土。", glossary, "all", max_links=1)
    assert [o.linked for o in result.occurrences] == [True, False]
    assert result.html.count('data-term="rare-earth"') == 1


def test_bold_phrase_that_is_not_a_term_is_recorded_with_its_position(glossary):
    result = annotate_markdown("先说**关税壁垒**，再说**稀土**。", glossary)
    assert [(p.text, p.position) for p in result.bold_phrases] == [("关税壁垒", 2)]
    assert result.undefined == ["关税壁垒"]


def test_snippet_is_the_sentence_around_the_first_mention(glossary):
    result = annotate_markdown("开头一句。美国把企业列入**实体清单**，影响很大。后面一句。", glossary, "all")
    snippet = result.snippets["entity-list"]
    assert snippet.text == "美国把企业列入实体清单，影响很大。"
    assert snippet.text[snippet.start:snippet.end] == "实体清单"


def test_snippet_in_a_table_cell_stays_in_the_cell(glossary):
    result = annotate_markdown("| 甲 | 乙 |\n|---|---|\n| 左边 | 右边的稀土 |\n", glossary, "all")
    assert result.snippets["rare-earth"].text == "右边的稀土"


def test_snippet_of_a_long_sentence_is_cut_on_both_sides(glossary):
    result = annotate_markdown("前" * 200 + "稀土" + "后" * 200, glossary, "all")
    snippet = result.snippets["rare-earth"]
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert snippet.text[snippet.start:snippet.end] == "稀土"


def test_snippets_of_html_input_come_from_the_html_tree(glossary):
    result = annotate_html("<div><p>第一段。</p><p>这里说到<b>稀土</b>的用途。</p></div>", glossary)
    assert result.snippets["rare-earth"].text == "这里说到稀土的用途。"


# -- notes and title, written by the annotator in the first place ------------------


def test_article_page_drops_an_opening_heading_that_repeats_the_title(glossary):
    html = annotate_article("# 稀土 *简史*\n\n稀土很重要。", glossary, "bold", title="稀土 *简史*").html
    assert "<h1>" not in html and html.startswith("<p>")


def test_article_page_keeps_an_opening_heading_that_differs_from_the_title(glossary):
    html = annotate_article("# 稀土简史\n\n稀土很重要。", glossary, "bold", title="另一个标题").html
    assert html.startswith("<h1>稀土简史</h1>")


def test_article_page_keeps_a_heading_that_does_not_open_the_article(glossary):
    html = annotate_article("前言。\n\n# 稀土简史\n", glossary, "bold", title="稀土简史").html
    assert "<h1>稀土简史</h1>" in html


def test_raw_html_article_drops_its_repeated_title_heading_too(glossary):
    html = annotate_article("<h1>稀土简史</h1>\n\n<p>正文</p>", glossary, "bold", title="稀土简史").html
    assert "<h1>" not in html


# -- one converter object -------------------------------------------------------------


def test_converter_passes_nothing_through_attributes_of_its_markdown(glossary):
    conv = converter(Options(mode="all"))
    before = set(vars(conv.md))
    conv.convert("**实体清单**与SWIFT", glossary)
    assert {name for name in set(vars(conv.md)) - before if "glossary" in name} == set()


def test_converter_is_kept_per_thread_and_options(glossary):
    assert converter(Options(mode="all")) is converter(Options(mode="all"))
    assert converter(Options(mode="all")) is not converter(Options(mode="bold"))


def test_converter_that_failed_midway_is_replaced(glossary):
    conv = converter(Options())
    conv.broken = True
    assert converter(Options()) is not conv


# -- nothing re-parses the annotator's output: bs4 is not needed to sync, serve or lint --


BLOCK_BS4 = """\
import sys

class NoBs4:
    def find_spec(self, name, path=None, target=None):
        if name == "bs4" or name.startswith("bs4."):
            raise ImportError("bs4 is blocked in this process")

sys.meta_path.insert(0, NoBs4())
sys.modules.pop("bs4", None)
"""


def test_sync_serve_and_lint_work_where_bs4_cannot_be_imported(tmp_path):
    script = BLOCK_BS4 + textwrap.dedent("""
        import bs4  # noqa
    """)
    blocked = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "bs4 is blocked" in blocked.stderr  # the block works
    database = tmp_path / "store.db"
    script = BLOCK_BS4 + textwrap.dedent(f"""
        from glossary.cli import create_app, main
        app = create_app({{"GLOSSARY_DATABASE_URL": "sqlite:///{database}",
                          "GLOSSARY_TERMS": "{ROOT / 'terms.yaml'}",
                          "GLOSSARY_ARTICLES": "{ROOT / 'articles'}"}})
        runner = app.test_cli_runner()
        for args in (["db", "upgrade"], ["sync"], ["lint"]):
            result = runner.invoke(main, args)
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            print(args[-1], "exit", result.exit_code)
        client = app.test_client()
        slug = sorted(p.stem for p in __import__("pathlib").Path("{ROOT / 'articles'}").glob("*.md"))[0]
        page = client.get("/articles/" + slug)
        print("page", page.status_code, page.data.count(b"data-term="))
        assert "bs4" not in sys.modules
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "upgrade exit 0" in lines and "sync exit 0" in lines
    assert any(line.startswith("lint exit") for line in lines)
    page = next(line for line in lines if line.startswith("page"))
    status, links = page.split()[1:]
    assert status == "200" and int(links) > 0
