"""terms.yaml loading: every problem is reported, each on the line it is on."""

from __future__ import annotations

import gc

import pytest

from glossary import GlossaryError, Problem, load_glossary, parse_glossary

VALID = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    aliases: [实体名单, 实体清单制度]
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。
    tags: [export-control, law]
    see_also: [secondary-sanctions, long-arm-jurisdiction]
  - id: long-arm-jurisdiction
    term: 长臂管辖
    en: Long-arm Jurisdiction
    definition: 一国把本国法律延伸适用于境外主体的做法。
    tags: [law]
    pinyin: chang bi guan xia
  - id: secondary-sanctions
    term: 二级制裁
    definition: 针对与受制裁方往来的第三方所施加的制裁。
  - id: swift
    term: SWIFT
    definition: 为各国银行传递跨境支付报文的合作组织。
"""


def write(tmp_path, content, name="terms.yaml"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_in(path) -> list[Problem]:
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    return info.value.problems


def only_problem(path) -> Problem:
    problems = problems_in(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# -- syntax and encoding -------------------------------------------------------


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单: 实体名单
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 3
    assert problem.message.startswith("YAML syntax error")
    assert problem.path == str(path)


def test_bad_indentation_is_a_syntax_error_on_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
   definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "YAML syntax error" in problem.message


def test_duplicate_key_in_one_entry_is_reported_on_the_second_key(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    id: entity-list-2
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "duplicate key 'id'" in problem.message


def test_non_utf8_bytes_are_reported_on_their_line(tmp_path):
    path = write(tmp_path, b"terms:\n  - id: entity-list\n    term: " + "实体清单".encode("gbk")
                 + "\n    definition: 名单。\n".encode())
    problem = only_problem(path)
    assert problem.line == 3
    assert "UTF-8" in problem.message


def test_empty_file_is_a_problem(tmp_path):
    path = write(tmp_path, "")
    problem = only_problem(path)
    assert "empty" in problem.message
    assert str(problem) == f"{path}:1: {problem.message}"


def test_comment_only_file_is_reported_as_empty(tmp_path):
    path = write(tmp_path, "# 术语表\n# 还没有词条\n")
    problem = only_problem(path)
    assert "empty" in problem.message


# -- document shape -------------------------------------------------------------


def test_terms_not_a_list_is_reported_on_the_terms_line(tmp_path):
    path = write(tmp_path, """\
# 术语表

terms:
  id: entity-list
  term: 实体清单
""")
    problem = only_problem(path)
    assert problem.line == 3
    assert "'terms' must be a list" in problem.message


def test_unknown_top_level_key_is_reported_on_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
version: 2
""")
    problem = only_problem(path)
    assert problem.line == 5
    assert "unknown top-level key 'version'" in problem.message


def test_top_level_list_instead_of_mapping_is_a_problem(tmp_path):
    path = write(tmp_path, "- id: swift\n  term: SWIFT\n  definition: 报文网络。\n")
    problem = only_problem(path)
    assert "top-level 'terms:'" in problem.message


# -- one entry ----------------------------------------------------------------------


def test_missing_term_is_reported_on_the_entry_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
  - id: entity-list
    en: Entity List
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 5
    assert "missing required field 'term'" in problem.message


def test_missing_definition_is_reported_on_the_entry_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。

  - term: 长臂管辖
    id: long-arm-jurisdiction
    en: Long-arm Jurisdiction
""")
    problem = only_problem(path)
    assert problem.line == 6
    assert "missing required field 'definition'" in problem.message


def test_empty_definition_is_reported_on_the_definition_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: secondary-sanctions
    term: 二级制裁
    definition: ''
    tags: [sanctions]
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "'definition' must not be empty" in problem.message


def test_definition_with_no_value_is_reported_on_the_definition_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: secondary-sanctions
    term: 二级制裁
    definition:
    tags: [sanctions]
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "'definition' must not be empty" in problem.message


def test_bad_id_is_reported_on_the_id_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - term: 实体清单
    definition: 名单。
    id: Entity_List
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "bad id 'Entity_List'" in problem.message


def test_id_with_double_hyphen_is_bad(tmp_path):
    path = write(tmp_path, """\
terms:
  - term: 实体清单
    id: entity--list
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 3
    assert "bad id 'entity--list'" in problem.message


def test_duplicate_id_is_reported_on_the_second_entry_id_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 名单。
  - term: 长臂管辖
    id: entity-list
    definition: 管辖。
""")
    problem = only_problem(path)
    assert problem.line == 6
    assert "duplicate id 'entity-list'" in problem.message


def test_duplicate_id_names_the_line_of_the_first_definition(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
  - id: entity-list
    term: 实体清单
    definition: 名单。
  - id: entity-list
    term: 长臂管辖
    definition: 管辖。
""")
    problem = only_problem(path)
    assert (problem.line, problem.message) == (8, "duplicate id 'entity-list': first defined at line 5")


def test_unknown_key_suggests_the_nearest_known_key(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
    tag: [finance]
""")
    assert str(only_problem(path)) == f"{path}:5: unknown key 'tag': did you mean 'tags'?"


def test_misspelt_required_key_suggests_its_spelling(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    defintion: 报文网络。
""")
    messages = [p.message for p in problems_in(path)]
    assert "unknown key 'defintion': did you mean 'definition'?" in messages


def test_unknown_top_level_key_suggests_terms(tmp_path):
    path = write(tmp_path, "term:\n  - id: swift\n    term: SWIFT\n    definition: 报文网络。\n")
    assert "unknown top-level key 'term': did you mean 'terms'?" in [p.message for p in problems_in(path)]


def test_problems_are_listed_in_line_order(tmp_path):
    # The duplicate id (line 5) is found after the whole list is read, the
    # unknown key (line 8) while its entry is read.
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 名单。
  - id: entity-list
    term: 长臂管辖
    definition: 管辖。
    colour: red
  - id: swift
    term: SWIFT
    definition: 报文网络。
    see_also: [missing]
""")
    assert [p.line for p in problems_in(path)] == [5, 8, 12]


def test_unknown_key_in_entry_is_reported_on_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
    note: 待补充
""")
    problem = only_problem(path)
    assert problem.line == 5
    assert "unknown key 'note'" in problem.message


def test_aliases_not_a_list_is_reported_on_the_aliases_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    aliases: foo
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 4
    assert "'aliases' must be a list" in problem.message


def test_tag_with_bad_slug_is_reported_on_the_tag_item_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 名单。
    tags:
      - export-control
      - Export_Control
""")
    problem = only_problem(path)
    assert problem.line == 7
    assert "bad tag 'Export_Control'" in problem.message


def test_boolean_term_is_rejected_on_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: true
    definition: 报文网络。
""")
    problem = only_problem(path)
    assert problem.line == 3
    assert "'term' must be text" in problem.message


# -- see_also ----------------------------------------------------------------------


def test_see_also_unknown_id_is_reported_on_its_item_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 名单。
    see_also:
      - swift
      - secondary-sanction
  - id: swift
    term: SWIFT
    definition: 报文网络。
""")
    problem = only_problem(path)
    assert problem.line == 7
    assert "unknown id 'secondary-sanction'" in problem.message


def test_see_also_naming_the_term_itself_is_reported_on_its_line(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
    see_also:
      - swift
""")
    problem = only_problem(path)
    assert problem.line == 6
    assert "names the term itself" in problem.message


# -- spellings that fold to the same key ----------------------------------------------


def test_traditional_alias_and_simplified_term_of_another_entry_conflict(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: entity-list-tw
    term: 实体名单
    aliases: [實體清單]
    definition: 台湾的写法。
  - id: entity-list
    term: 实体清单
    definition: 名单。
""")
    problem = only_problem(path)
    assert problem.line == 7
    assert "'实体清单' of 'entity-list'" in problem.message
    assert "'實體清單' of 'entity-list-tw'" in problem.message


def test_fullwidth_and_lowercase_spellings_conflict(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift-fullwidth
    term: ＳＷＩＦＴ
    definition: 全角写法。
  - id: swift
    term: 环球银行金融电信协会
    aliases:
      - swift
    definition: 报文网络。
""")
    problem = only_problem(path)
    assert problem.line == 8
    assert "'swift' of 'swift'" in problem.message
    assert "ＳＷＩＦＴ" in problem.message


def test_spellings_differing_only_in_case_conflict(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift-word
    term: Swift
    definition: 一种编程语言。
  - id: swift
    term: SWIFT
    definition: 报文网络。
""")
    problem = only_problem(path)
    assert problem.line == 6
    assert "'SWIFT' of 'swift'" in problem.message
    assert "'Swift' of 'swift-word'" in problem.message


# -- everything at once ------------------------------------------------------------------


def test_all_problems_are_reported_in_one_run(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: Entity_List
    term: 实体清单
    definition: 名单。
  - id: long-arm-jurisdiction
    term: 长臂管辖
    definition: 管辖。
    colour: red
  - id: secondary-sanctions
    term: 二级制裁
    definition: 制裁。
    see_also: [swift]
""")
    problems = problems_in(path)
    assert [p.line for p in problems] == [2, 8, 12]
    assert "bad id 'Entity_List'" in problems[0].message
    assert "unknown key 'colour'" in problems[1].message
    assert "unknown id 'swift'" in problems[2].message


def test_key_conflict_is_reported_alongside_other_problems(tmp_path):
    path = write(tmp_path, """\
terms:
  - id: swift
    term: SWIFT
    definition: 报文网络。
  - id: swift-lower
    term: swift
    definition: 小写写法。
  - id: Entity_List
    term: 实体清单
    definition: 名单。
""")
    problems = problems_in(path)
    assert sorted(p.line for p in problems) == [6, 8]


# -- what a valid file gives ----------------------------------------------------------------


def test_valid_file_loads_expected_fields(tmp_path):
    path = write(tmp_path, VALID)
    glossary = load_glossary(path)
    assert [t.id for t in glossary] == ["entity-list", "long-arm-jurisdiction", "secondary-sanctions", "swift"]
    entity = glossary.get("entity-list")
    assert entity.term == "实体清单"
    assert entity.en == "Entity List"
    assert entity.aliases == ("实体名单", "实体清单制度")
    assert entity.tags == ("export-control", "law")
    assert entity.see_also == ("secondary-sanctions", "long-arm-jurisdiction")
    assert glossary.get("long-arm-jurisdiction").pinyin == "chang bi guan xia"
    assert glossary.get("swift").aliases == ()
    assert glossary.source == str(path)


def test_valid_file_looks_up_folded_spellings(tmp_path):
    glossary = load_glossary(write(tmp_path, VALID))
    assert glossary.lookup("實體清單").id == "entity-list"
    assert glossary.lookup("ｓｗｉｆｔ").id == "swift"
    assert glossary.lookup("清单") is None


def test_version_changes_when_file_bytes_change(tmp_path):
    path = write(tmp_path, VALID)
    first = load_glossary(path).version
    assert load_glossary(path).version == first
    write(tmp_path, VALID + "# 末尾加一行注释\n")
    assert load_glossary(path).version != first


def test_number_is_refused_with_a_hint_to_quote_it(tmp_path):
    # YAML has already read 007 as 7: converting back would change the text.
    path = write(tmp_path, """\
terms:
  - id: section-301
    term: 007
    aliases: ["2024"]
    definition: 美国贸易法第301条。
""")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3: 'term' is read as the number 7: put the text in quotes, e.g. term: \"...\""
    ]


def test_quoted_number_is_text(tmp_path):
    path = write(tmp_path, 'terms:\n  - id: s\n    term: "007"\n    definition: d\n')
    assert load_glossary(path).get("s").term == "007"


def test_exact_duplicate_alias_is_reported(tmp_path):
    path = write(tmp_path, "terms:\n  - id: wto\n    term: 世贸\n    aliases: [WTO, WTO]\n    definition: d\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert "alias 'WTO' of 'wto' repeats 'WTO'" in str(info.value)


def test_parse_glossary_accepts_text_and_uses_given_name(tmp_path):
    with pytest.raises(GlossaryError) as info:
        parse_glossary("terms:\n  - id: swift\n    term: SWIFT\n", "custom.yaml")
    assert [str(p) for p in info.value.problems] == ["custom.yaml:2: missing required field 'definition'"]


def test_problem_str_is_path_line_message(tmp_path):
    path = write(tmp_path, "terms:\n  - id: swift\n    term: SWIFT\n    definition: 网络。\n    note: x\n")
    problem = only_problem(path)
    assert str(problem) == f"{path}:5: {problem.message}"
    assert str(problem) in str(GlossaryError([problem]))


def test_unreadable_path_raises_glossary_error_naming_the_path(tmp_path):
    path = tmp_path / "missing" / "terms.yaml"
    problem = only_problem(path)
    assert problem.path == str(path)
    assert "cannot read" in problem.message
    assert str(problem).startswith(f"{path}:")


def test_directory_path_raises_glossary_error(tmp_path):
    problem = only_problem(tmp_path)
    assert problem.path == str(tmp_path)
    assert "cannot read" in problem.message


def test_file_saved_with_a_byte_order_mark_loads():
    from glossary import parse_glossary

    glossary = parse_glossary("\ufeffterms:\n  - id: a\n    term: 稀土\n    definition: d\n".encode())
    assert [t.id for t in glossary] == ["a"]


def test_loading_leaves_the_garbage_collector_on_after_a_bad_file(tmp_path):
    bad = tmp_path / "terms.yaml"
    bad.write_text("terms:\n  - id: Bad Id\n    term: 词\n    definition: 释义。\n", encoding="utf-8")
    with pytest.raises(GlossaryError):
        load_glossary(bad)
    assert gc.isenabled()
    bad.write_text("terms: [", encoding="utf-8")
    with pytest.raises(GlossaryError):
        load_glossary(bad)
    assert gc.isenabled()


# -- the tags map: labels of tags ----------------------------------------------------

LABELLED = """\
tags:
  export-control: {zh: 出口管制, en: Export controls}
  law:
    zh: 法律
""" + VALID


def test_tags_map_gives_tags_their_chinese_and_english_labels(tmp_path):
    glossary = load_glossary(write(tmp_path, LABELLED))
    assert (glossary.tag("export-control").label, glossary.tag("export-control").en) == ("出口管制", "Export controls")
    assert (glossary.tag("law").label, glossary.tag("law").en) == ("法律", "Law")


def test_tag_without_labels_is_labelled_by_its_slug_prettified(tmp_path):
    tag = load_glossary(write(tmp_path, LABELLED)).tag("supply-chain")
    assert (tag.label, tag.en) == ("Supply chain", "Supply chain")


def test_tag_labels_change_the_glossary_version(tmp_path):
    before = parse_glossary(LABELLED).version
    assert parse_glossary(LABELLED.replace("法律", "法规")).version != before


def test_tags_map_that_is_a_list_is_reported_on_its_line(tmp_path):
    problem = only_problem(write(tmp_path, VALID + "tags: [law, trade]\n"))
    assert problem.line == VALID.count("\n") + 1
    assert "'tags' must be a mapping" in problem.message


def test_unknown_key_in_tag_labels_is_reported_on_its_line(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law:\n    zh: 法律\n    fr: Droit\n" + VALID))
    assert problem.line == 4
    assert "unknown key 'fr' in the labels of tag 'law' (allowed: zh, en)" in problem.message


def test_tag_label_that_is_not_text_is_reported_on_its_line(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law:\n    zh: [法律, 法规]\n" + VALID))
    assert problem.line == 3
    assert "label 'zh' of tag 'law' must be text" in problem.message


def test_tag_label_that_is_a_number_is_reported_with_a_hint_to_quote_it(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law:\n    en: 2025\n" + VALID))
    assert problem.line == 3
    assert 'quotes' in problem.message


def test_empty_tag_label_is_reported_on_its_line(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law:\n    en: ''\n" + VALID))
    assert problem.line == 3
    assert "must be text, not empty" in problem.message


def test_tag_labels_that_are_not_a_mapping_are_reported_on_the_tags_line(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law: 法律\n" + VALID))
    assert problem.line == 2
    assert "the labels of tag 'law' must be a mapping" in problem.message


def test_tags_map_key_that_is_not_a_slug_is_reported_on_its_line(tmp_path):
    problem = only_problem(write(tmp_path, "tags:\n  law: {zh: 法律}\n  Export Control: {zh: 出口管制}\n" + VALID))
    assert problem.line == 3
    assert "bad tag 'Export Control'" in problem.message
