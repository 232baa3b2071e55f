"""Files and fields an attacker or a careless operator writes: alias bombs, links out of the articles folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apiserver import make_app
from conftest import TERMS_YAML

from glossary.sources.articles import read_articles
from glossary.sources.frontmatter import FrontMatterError, split_front_matter
from glossary.sources.termfile import GlossaryError, parse_glossary
from glossary.store import Store, SyncError, read_inputs

SCRIPT = Path(sys.executable).parent / "glossary"


def alias_bomb(levels: int, indent: str = "") -> str:
    """Return YAML whose last alias expands to 9**levels strings."""
    lines = [f'{indent}a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"{indent}a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMB_TERMS = alias_bomb(9) + "terms:\n  - id: x\n    term: 甲\n    definition: *a8\n"


def test_terms_file_with_a_nine_level_alias_bomb_is_refused_within_a_second():
    began = time.monotonic()
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(BOMB_TERMS, "terms.yaml")
    assert time.monotonic() - began < 1
    assert [str(p) for p in caught.value.problems] == [
        "terms.yaml:2: YAML aliases (*name) are not allowed here: write the value out in full"]


def test_terms_file_with_one_alias_is_refused_naming_its_line():
    text = TERMS_YAML.replace("    tags: [law]\n", "    tags: &t [law]\n", 1).replace(
        "    tags: [sanctions]\n", "    tags: *t\n", 1)
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "terms.yaml")
    line = text.splitlines().index("    tags: *t") + 1
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (line, "YAML aliases (*name) are not allowed here: write the value out in full")]


def test_an_anchor_that_is_never_used_is_harmless():
    glossary = parse_glossary(TERMS_YAML.replace("    tags: [law]\n", "    tags: &t [law]\n", 1), "terms.yaml")
    assert glossary.get("long-arm-jurisdiction").tags == ("law",)


def test_a_syntax_error_beside_an_alias_bomb_is_reported_within_a_second():
    # The fallback that finds a duplicate key walks the document's nodes: aliases must not multiply them.
    text = BOMB_TERMS + "  - id: y\n    term: [unclosed\n"
    began = time.monotonic()
    with pytest.raises(GlossaryError):
        parse_glossary(text, "terms.yaml")
    assert time.monotonic() - began < 1


def test_glossary_check_on_an_alias_bomb_answers_within_seconds(tmp_path):
    bomb = tmp_path / "terms.yaml"
    bomb.write_text(BOMB_TERMS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLOSSARY_", "FLASK_"))}
    env["GLOSSARY_INSTANCE_PATH"] = str(tmp_path / "instance")
    done = subprocess.run([str(SCRIPT), "check", str(bomb)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert f"{bomb}:2: YAML aliases (*name) are not allowed here" in done.stderr


def test_front_matter_with_an_alias_bomb_is_refused_naming_the_article_line():
    text = "---\ntitle: 标题\n" + alias_bomb(6) + "summary: *a5\n---\n正文\n"
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    assert caught.value.line == 4  # the first alias, counted from the article's first line


def test_api_front_matter_alias_bomb_is_a_400_not_a_megabyte_answer(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file).test_client()
    markdown = "---\n" + alias_bomb(6) + "title: *a5\n---\n企业被列入**实体清单**。\n"
    response = client.post("/api/annotate", json={"markdown": markdown})
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "aliases" in response.get_json()["detail"]
    assert len(response.get_data()) < 2000


def test_sync_refuses_an_article_bomb_and_leaves_the_store(tmp_path, terms_file):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "bomb.md").write_text("---\n" + alias_bomb(9) + "title: *a8\n---\n正文\n", encoding="utf-8")
    with pytest.raises(SyncError) as caught:
        read_inputs(terms_file, articles)
    assert caught.value.problems == [
        f"{articles / 'bomb.md'}:3: front matter: YAML aliases (*name) are not allowed here: "
        "write the value out in full"]


# -- the articles folder ---------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: 甲\n---\n\n**实体清单**。\n", encoding="utf-8")
    return folder


def test_sync_refuses_a_symlink_out_of_the_articles_folder_naming_it(tmp_path, terms_file, articles):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (articles / "passwd.md").symlink_to(secret)
    with pytest.raises(SyncError) as caught:
        read_inputs(terms_file, articles)
    assert caught.value.problems == [
        f"{articles / 'passwd.md'}: refused: it leads to {secret}, outside the articles folder {articles}"]


def test_a_refused_symlink_leaves_the_store_and_the_site_without_it(tmp_path, terms_file, articles):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).sync(*read_inputs(terms_file, articles))
    (articles / "b.md").write_text("---\ntitle: 乙\n---\n\n正文。\n", encoding="utf-8")
    (articles / "passwd.md").symlink_to("/etc/passwd")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLOSSARY_", "FLASK_"))}
    env.update(GLOSSARY_INSTANCE_PATH=str(tmp_path / "instance"), GLOSSARY_DATABASE_URL=url)
    done = subprocess.run([str(SCRIPT), "sync", "--terms", str(terms_file), "--articles", str(articles)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1 and "passwd.md: refused" in done.stderr
    assert [a.slug for a in Store(url).articles()] == ["a"]  # not even the good new article: nothing changed


def test_a_symlink_to_a_folder_outside_through_a_subfolder_link_is_refused(tmp_path, terms_file, articles):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("外面的文件\n", encoding="utf-8")
    (articles / "sub").symlink_to(outside, target_is_directory=True)
    (articles / "x.md").symlink_to(Path("sub") / "x.md")  # a link within the folder, through one that leaves it
    with pytest.raises(SyncError) as caught:
        read_inputs(terms_file, articles)
    assert "outside the articles folder" in caught.value.problems[0]


def test_a_symlink_inside_the_articles_folder_is_read(tmp_path, terms_file, articles):
    (articles / "b.md").symlink_to(articles / "a.md")
    _, found = read_inputs(terms_file, articles)
    assert [a.slug for a in found] == ["a", "b"]


def test_an_articles_folder_that_is_itself_a_link_is_followed(tmp_path, terms_file, articles):
    link = tmp_path / "linked-articles"
    link.symlink_to(articles, target_is_directory=True)
    _, found = read_inputs(terms_file, link)
    assert [a.slug for a in found] == ["a"]


def test_a_dangling_symlink_is_a_problem_naming_it(tmp_path, terms_file, articles):
    (articles / "gone.md").symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(SyncError) as caught:
        read_inputs(terms_file, articles)
    assert caught.value.problems[0].startswith(f"{articles / 'gone.md'}: cannot read file")


def test_lint_and_harvest_refuse_a_symlink_out_of_a_folder(tmp_path, articles):
    (articles / "passwd.md").symlink_to("/etc/passwd")
    found, problems = read_articles([articles])
    assert [a.slug for a in found] == ["a"]
    assert problems == [f"{articles / 'passwd.md'}: refused: it leads to /etc/passwd, outside the articles "
                        f"folder {articles}"]


def test_an_article_that_is_a_fifo_is_refused_not_read(tmp_path, terms_file, articles):
    os.mkfifo(articles / "pipe.md")
    with pytest.raises(SyncError) as caught:
        read_inputs(terms_file, articles)
    assert caught.value.problems == [f"{articles / 'pipe.md'}: cannot read file: not a regular file"]


def test_a_terms_file_that_is_a_fifo_is_refused_not_read(tmp_path):
    from glossary.sources.termfile import load_glossary

    pipe = tmp_path / "terms.yaml"
    os.mkfifo(pipe)
    with pytest.raises(GlossaryError) as caught:
        load_glossary(pipe)
    assert [str(p) for p in caught.value.problems] == [f"{pipe}:1: cannot read file: not a regular file"]


def test_a_followed_terms_file_replaced_by_a_fifo_is_a_problem_not_a_stalled_reload(tmp_path):
    from glossary.sources.filewatch import WatchedFile

    path = tmp_path / "terms.yaml"
    path.write_text(TERMS_YAML, encoding="utf-8")
    watch = WatchedFile(path)
    watch.poll()
    path.unlink()
    os.mkfifo(path)
    reading = watch.poll()
    assert reading.data is None and reading.error == "not a regular file"
