"""`glossary export` and `glossary import`: JSON, CSV, TBX and SKOS."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import rdflib
from conftest import TERMS_YAML
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS

from glossary import Glossary, GlossaryError, Term, parse_glossary
from glossary.cli import create_app, main
from glossary.editorial.exchange import csvfmt, export_glossary, import_glossary, jsonfmt, skos, tbx

PROJECT = Path(__file__).resolve().parents[1]
TBX_NS = {"t": "urn:iso:std:iso:30042:ed-2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

COMMENTED = """\
# 我们的术语表（注释要保留）
terms:
  - id: entity-list   # 名单
    term: 实体清单
    definition: 一份名单。

"""


@pytest.fixture
def project(tmp_path, terms_file):
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    return {"app": app, "terms": terms_file, "tmp": tmp_path}


def run(app, *args):
    return app.test_cli_runner().invoke(main, [str(a) for a in args])


def shipped() -> Glossary:
    return parse_glossary((PROJECT / "terms.yaml").read_bytes())


# -- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_an_identical_glossary(glossary, fmt):
    back = import_glossary(export_glossary(glossary, fmt).encode(), f"x.{fmt}", fmt)
    assert back.terms == glossary.terms


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_shipped_glossary_round_trips(fmt):
    original = shipped()
    # CSV holds one definition a row: the earlier ones (history) are JSON's and terms.yaml's alone.
    expected = original.terms if fmt == "json" else tuple(dataclasses.replace(t, history=()) for t in original.terms)
    assert import_glossary(export_glossary(original, fmt).encode(), f"x.{fmt}", fmt).terms == expected


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_export_import_round_trip_writes_an_identical_terms_file(project, fmt):
    exported = project["tmp"] / f"out.{fmt}"
    assert run(project["app"], "export", "--format", fmt, "-o", exported).exit_code == 0
    target = project["tmp"] / "new" / "terms.yaml"
    target.parent.mkdir()
    result = run(project["app"], "import", exported, "--terms", target)
    assert result.exit_code == 0, result.output
    assert parse_glossary(target.read_bytes()).terms == parse_glossary(project["terms"].read_bytes()).terms
    assert run(project["app"], "check", target).exit_code == 0


def test_cli_csv_export_starts_with_a_utf8_byte_order_mark_for_excel(project):
    exported = project["tmp"] / "out.csv"
    assert run(project["app"], "export", "--format", "csv", "-o", exported).exit_code == 0
    data = exported.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,term,")
    assert data.count(b"\xef\xbb\xbf") == 1


list_item = st.text(alphabet=st.sampled_from(list("甲乙丙abc |\\,\"'\n")), min_size=1, max_size=8).map(str.strip)


@settings(max_examples=100, deadline=None)
@given(aliases=st.lists(list_item.filter(bool), max_size=3, unique=True),
       definition=st.text(alphabet=st.sampled_from(list("定义a,\"'\n\r|\\ ")), min_size=1).map(str.strip).filter(bool))
def test_csv_round_trips_separators_quotes_and_newlines_in_cells(aliases, definition):
    term = Term(id="x", term="词", definition=definition, aliases=tuple(aliases))
    try:
        glossary = parse_glossary("terms:\n" + "".join(_yaml_entry(term)))
    except GlossaryError:
        return  # two aliases that fold together: not a valid glossary to begin with
    assert csvfmt.loads(csvfmt.dumps(glossary)).terms == glossary.terms


def _yaml_entry(term: Term):
    from glossary.editorial.yamledit import Layout, NewEntry, render_entries

    return render_entries([NewEntry(term)], Layout())


# -- import errors ---------------------------------------------------------------------


def test_csv_problem_names_the_line_its_row_starts_on():
    text = ("id,term,definition\n"
            "a,甲,\"两行\n的定义\"\n"
            "B,乙,定义\n")
    with pytest.raises(GlossaryError) as caught:
        csvfmt.loads(text, "t.csv")
    assert [str(p) for p in caught.value.problems] == [
        "t.csv:4: bad id 'B': use lowercase ASCII letters, digits and single hyphens"]


def test_csv_empty_required_cell_is_reported():
    with pytest.raises(GlossaryError, match="t.csv:2: 'definition' must not be empty"):
        csvfmt.loads("id,term,definition\na,甲,\n", "t.csv")


def test_csv_unknown_and_missing_columns_are_reported_on_line_1():
    with pytest.raises(GlossaryError) as caught:
        csvfmt.loads("id,term,colour\na,甲,red\n", "t.csv")
    messages = [str(p) for p in caught.value.problems]
    assert ("t.csv:1: unknown column 'colour' (allowed: id, term, en, aliases, definition, tags, see_also, pinyin, "
            "as_of, sources, not_in)") in messages
    assert "t.csv:1: missing required column 'definition'" in messages


def test_csv_misspelt_column_suggests_the_nearest_field():
    with pytest.raises(GlossaryError) as caught:
        csvfmt.loads("id,term,defintion\na,甲,一\n", "t.csv")
    assert "t.csv:1: unknown column 'defintion': did you mean 'definition'?" in [str(p) for p in caught.value.problems]


def test_csv_duplicate_id_names_the_line_of_the_first_row():
    with pytest.raises(GlossaryError) as caught:
        csvfmt.loads("id,term,definition\na,甲,一\nb,乙,二\na,丙,三\n", "t.csv")
    assert [str(p) for p in caught.value.problems] == ["t.csv:4: duplicate id 'a': first defined at line 2"]


def test_csv_from_a_spreadsheet_with_a_byte_order_mark_reads():
    data = "\ufeffid,term,definition,aliases\r\na,甲,定义,乙|丙\r\n".encode()
    assert csvfmt.loads(data).terms == (Term(id="a", term="甲", definition="定义", aliases=("乙", "丙")),)


def test_json_syntax_error_names_its_line():
    with pytest.raises(GlossaryError, match=r"t.json:3: JSON syntax error"):
        jsonfmt.loads('{"terms": [\n  {"id": "a",\n  ]}', "t.json")


def test_json_problem_names_the_line_of_its_field():
    text = json.dumps({"terms": [{"id": "a", "term": "甲", "definition": "一"},
                                 {"id": "b", "term": "乙", "definition": 7}]}, indent=2)
    with pytest.raises(GlossaryError) as caught:
        jsonfmt.loads(text, "t.json")
    assert [str(p) for p in caught.value.problems] == [
        "t.json:11: 'definition' is read as the number 7: put the text in quotes, e.g. definition: \"...\""]


def test_cli_import_of_a_bad_file_names_file_and_line(project):
    bad = project["tmp"] / "bad.csv"
    bad.write_text("id,term,definition\na,甲,一\na,乙,二\n", encoding="utf-8")
    result = run(project["app"], "import", bad, "--terms", project["tmp"] / "x.yaml")
    assert result.exit_code == 1
    assert f"{bad}:3: duplicate id 'a'" in result.stderr
    assert not (project["tmp"] / "x.yaml").exists()


def test_cli_import_needs_a_known_format(project):
    other = project["tmp"] / "terms.txt"
    other.write_text("a", encoding="utf-8")
    result = run(project["app"], "import", other)
    assert result.exit_code == 1
    assert "cannot tell the format" in result.stderr


# -- import into an existing file ------------------------------------------------------


def test_cli_import_never_replaces_an_existing_file(project):
    exported = project["tmp"] / "out.json"
    run(project["app"], "export", "--format", "json", "-o", exported)
    before = project["terms"].read_bytes()
    result = run(project["app"], "import", exported)
    assert result.exit_code == 1
    assert "exists and is never replaced: use --merge" in result.stderr
    assert project["terms"].read_bytes() == before


def test_cli_merge_adds_new_terms_keeping_the_file_byte_for_byte(project):
    terms = project["tmp"] / "kept.yaml"
    terms.write_text(COMMENTED, encoding="utf-8")
    incoming = project["tmp"] / "in.csv"
    incoming.write_text("id,term,definition,see_also\n"
                        "entity-list,实体清单,一份名单。,\n"
                        "chip,芯片,集成电路。,entity-list\n", encoding="utf-8")
    result = run(project["app"], "import", incoming, "--merge", "--terms", terms)
    assert result.exit_code == 0, result.output
    after = terms.read_text(encoding="utf-8")
    assert after.startswith(COMMENTED)
    assert f"  # imported from {incoming}\n  - id: chip\n" in after
    assert [t.id for t in parse_glossary(after)] == ["entity-list", "chip"]
    assert "1 added, 1 already there, 0 conflict(s)" in result.stdout


def test_cli_merge_new_term_may_see_also_a_kept_term(project):
    terms = project["tmp"] / "kept.yaml"
    terms.write_text(COMMENTED, encoding="utf-8")
    incoming = project["tmp"] / "in.csv"
    incoming.write_text("id,term,definition,see_also\nchip,芯片,集成电路。,entity-list\n", encoding="utf-8")
    result = run(project["app"], "import", incoming, "--merge", "--terms", terms)
    assert result.exit_code == 0, result.output
    assert parse_glossary(terms.read_bytes()).get("chip").see_also == ("entity-list",)
    assert "1 added, 0 already there, 0 conflict(s)" in result.stdout


def test_import_without_merge_still_refuses_a_see_also_outside_the_file(project):
    incoming = project["tmp"] / "in.csv"
    incoming.write_text("id,term,definition,see_also\nchip,芯片,集成电路。,entity-list\n", encoding="utf-8")
    result = run(project["app"], "import", incoming, "--terms", project["tmp"] / "new.yaml")
    assert result.exit_code == 1
    assert f"{incoming}:2: see_also names unknown id 'entity-list'" in result.stderr


def test_cli_merge_reports_conflicts_and_leaves_kept_terms_alone(project):
    terms = project["tmp"] / "kept.yaml"
    terms.write_text(COMMENTED, encoding="utf-8")
    incoming = project["tmp"] / "in.json"
    incoming.write_text(json.dumps({"terms": [
        {"id": "entity-list", "term": "实体名单", "definition": "另一个定义。"},
        {"id": "other-list", "term": "實體清單", "definition": "同一个写法。"},
        {"id": "needs-other", "term": "甲", "definition": "一。", "see_also": ["other-list"]},
        {"id": "fresh", "term": "乙", "definition": "二。"},
    ]}, ensure_ascii=False), encoding="utf-8")
    result = run(project["app"], "import", incoming, "--merge", "--terms", terms)
    assert result.exit_code == 1
    errors = result.stderr
    assert "'entity-list' is already in terms.yaml with a different term, definition: kept as it is" in errors
    assert "'other-list' (實體清單) matches the same text as 'entity-list' (实体清单)" in errors
    assert "'needs-other' has see_also other-list, which is not in terms.yaml: not added" in errors
    assert [t.id for t in parse_glossary(terms.read_bytes())] == ["entity-list", "fresh"]
    assert parse_glossary(terms.read_bytes()).get("entity-list").definition == "一份名单。"


# -- TBX -------------------------------------------------------------------------------


def test_tbx_is_well_formed_tbx_basic_with_the_required_structure(glossary):
    root = etree.fromstring(tbx.dumps(glossary).encode())
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "zh")
    assert root.xpath("count(t:tbxHeader/t:fileDesc/t:sourceDesc/t:p)", namespaces=TBX_NS) == 1
    entries = root.xpath("t:text/t:body/t:conceptEntry", namespaces=TBX_NS)
    assert [e.get("id") for e in entries] == [t.id for t in glossary]
    for entry, term in zip(entries, glossary, strict=True):
        sections = entry.xpath("t:langSec", namespaces=TBX_NS)
        assert [s.get(XML_LANG) for s in sections] == (["zh", "en"] if term.en else ["zh"])
        for section in sections:
            assert section.xpath("t:termSec/t:term", namespaces=TBX_NS), "every language section holds a term"
            # Information elements come before the term sections.
            names = [etree.QName(child).localname for child in section]
            assert names == sorted(names, key=lambda n: n == "termSec")


def test_tbx_concept_holds_headword_aliases_definition_tags_and_links(glossary):
    root = etree.fromstring(tbx.dumps(glossary).encode())
    entry = root.xpath("//t:conceptEntry[@id='entity-list']", namespaces=TBX_NS)[0]

    def texts(path):
        return [e.text for e in entry.xpath(path, namespaces=TBX_NS)]

    assert texts("t:langSec[@xml:lang='zh']/t:termSec/t:term") == ["实体清单", "实体名单"]
    assert texts("t:langSec[@xml:lang='zh']/t:termSec/t:termNote[@type='administrativeStatus']") == [
        "preferredTerm-admn-sts", "admittedTerm-admn-sts"]
    assert texts("t:langSec[@xml:lang='en']/t:termSec/t:term") == ["Entity List"]
    assert texts("t:langSec[@xml:lang='zh']/t:descrip[@type='definition']") == [glossary.get("entity-list").definition]
    assert texts("t:descrip[@type='subjectField']") == ["export-control"]
    refs = entry.xpath("t:ref[@type='crossReference']", namespaces=TBX_NS)
    assert [(r.get("target"), r.text) for r in refs] == [("secondary-sanctions", "二级制裁")]


def test_tbx_cross_references_point_at_concept_ids():
    glossary = parse_glossary("terms:\n  - id: 5g\n    term: 第五代移动通信\n    definition: 一。\n"
                              "  - id: b\n    term: 乙\n    definition: 二。\n    see_also: [5g]\n")
    root = etree.fromstring(tbx.dumps(glossary).encode())
    ids = root.xpath("//t:conceptEntry/@id", namespaces=TBX_NS)
    assert ids == ["_5g", "b"]  # an XML id cannot start with a digit
    assert root.xpath("//t:ref/@target", namespaces=TBX_NS) == ["_5g"]


def test_tbx_of_text_with_control_characters_is_still_well_formed():
    glossary = Glossary([Term(id="a", term="甲", definition="含\x07控制符")])
    root = etree.fromstring(tbx.dumps(glossary).encode())
    assert root.xpath("string(//t:descrip[@type='definition'])", namespaces=TBX_NS) == "含\ufffd控制符"


def test_cli_export_tbx_to_stdout(project):
    result = run(project["app"], "export", "--format", "tbx")
    assert result.exit_code == 0
    assert etree.fromstring(result.stdout_bytes).tag.endswith("tbx")


# -- SKOS ------------------------------------------------------------------------------


def concept(term_id: str, base: str = skos.DEFAULT_BASE) -> rdflib.URIRef:
    return rdflib.URIRef(base + term_id)


def test_skos_turtle_parses_with_labels_definition_and_related(glossary):
    graph = rdflib.Graph().parse(data=skos.turtle(glossary), format="turtle")
    entity = concept("entity-list")
    assert (entity, RDF.type, SKOS.Concept) in graph
    assert set(graph.objects(entity, SKOS.prefLabel)) == {
        rdflib.Literal("实体清单", lang="zh"), rdflib.Literal("Entity List", lang="en")}
    assert set(graph.objects(entity, SKOS.altLabel)) == {rdflib.Literal("实体名单", lang="zh")}
    assert set(graph.objects(entity, SKOS.definition)) == {
        rdflib.Literal(glossary.get("entity-list").definition, lang="zh")}
    assert set(graph.objects(entity, SKOS.related)) == {concept("secondary-sanctions")}
    assert set(graph.objects(entity, DCTERMS.subject)) == {rdflib.Literal("export-control")}
    assert set(graph.objects(concept("long-arm-jurisdiction"), SKOS.hiddenLabel)) == {
        rdflib.Literal("chang bi guan xia", lang="zh-latn-pinyin")}


def test_skos_has_one_concept_per_term_in_one_scheme(glossary):
    graph = rdflib.Graph().parse(data=skos.turtle(glossary), format="turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts == {concept(t.id) for t in glossary}
    scheme = rdflib.URIRef("urn:glossary")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert all((c, SKOS.inScheme, scheme) in graph for c in concepts)


def test_skos_escapes_quotes_backslashes_and_newlines():
    glossary = Glossary([Term(id="a", term='甲"乙', definition='第一行\n第二行 \\ "引号"\x01')])
    graph = rdflib.Graph().parse(data=skos.turtle(glossary), format="turtle")
    assert set(graph.objects(concept("a"), SKOS.definition)) == {
        rdflib.Literal('第一行\n第二行 \\ "引号"\x01', lang="zh")}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's parser
def test_skos_json_ld_is_the_same_graph_as_turtle(glossary):
    turtle = rdflib.Graph().parse(data=skos.turtle(glossary, "https://example.com/terms/"), format="turtle")
    jsonld = rdflib.Graph().parse(data=skos.jsonld(glossary, "https://example.com/terms/"), format="json-ld")
    assert len(turtle) > 50
    assert isomorphic(turtle, jsonld)


def test_skos_base_uri_must_be_absolute(project):
    result = run(project["app"], "export", "--format", "skos", "--base-uri", "terms/")
    assert result.exit_code == 1
    assert "must be an absolute IRI" in result.stderr


def test_cli_export_skos_with_a_base_uri_to_a_file(project):
    out = project["tmp"] / "terms.ttl"
    result = run(project["app"], "export", "--format", "skos", "--base-uri", "https://example.com/terms/", "-o", out)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(out, format="turtle")
    assert (concept("swift", "https://example.com/terms/"), RDF.type, SKOS.Concept) in graph


def test_cli_export_of_a_broken_terms_file_names_its_line(project):
    project["terms"].write_text(TERMS_YAML.replace("    term: 长臂管辖\n", ""), encoding="utf-8")
    result = run(project["app"], "export", "--format", "json")
    assert result.exit_code == 1
    assert f"{project['terms']}:9: missing required field 'term'" in result.stderr


def test_json_nested_too_deeply_is_a_problem_not_a_crash():
    with pytest.raises(GlossaryError, match="t.json:1: JSON syntax error: nested too deeply"):
        jsonfmt.loads('{"terms": [' + "[" * 100000 + "]" * 100000 + "]}", "t.json")
