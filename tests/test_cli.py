"""The `glossary` command: check, sync and annotate, run against real files and a real SQLite store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_site

from glossary.cli import create_app, main
from glossary.store import Store

PROJECT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "glossary"

TERMS = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    aliases: [实体名单]
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。
    tags: [export-control]
    see_also: [secondary-sanctions]
  - id: long-arm-jurisdiction
    term: 长臂管辖
    en: Long-arm Jurisdiction
    definition: 一国把本国法律延伸适用于境外主体的做法。
    tags: [law]
  - id: secondary-sanctions
    term: 二级制裁
    en: Secondary Sanctions
    definition: 针对与受制裁方往来的第三方所施加的制裁。
    tags: [sanctions]
  - id: swift
    term: SWIFT
    definition: 为各国银行传递跨境支付报文的合作组织。
    tags: [finance]
"""

# Two problems: an unknown key (line 8) and a duplicate id (line 5).
BAD_TERMS = """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 名单。
  - id: entity-list
    term: 长臂管辖
    definition: 管辖。
    colour: red
"""

ARTICLE = """\
---
title: 金融制裁如何越过国境
date: '2025-09-05'
tags: [sanctions, finance]
---

# 金融制裁

美国把多家企业列入**实体清单**。后来实体清单又扩大了，**二级制裁**也随之而来。
"""

PLAIN_ARTICLE = """\
# 长臂管辖的由来

所谓长臂管辖，是把本国法律延伸到境外。SWIFT也受其影响。
"""


@pytest.fixture
def project(tmp_path, database_url):
    """A terms.yaml, an articles folder with one article, and a database URL, all under tmp_path."""
    terms, articles = write_site(tmp_path, TERMS, {"finance-sanctions.md": ARTICLE})
    return {"terms": terms, "articles": articles, "url": database_url, "tmp": tmp_path}


def make_app(project, **overrides):
    config = {
        "GLOSSARY_TERMS": str(project["terms"]),
        "GLOSSARY_ARTICLES": str(project["articles"]),
        "GLOSSARY_DATABASE_URL": project["url"],
    }
    config.update(overrides)
    return create_app(config)


def run(app, *args):
    """Run the console script's command group with `app` as its application."""
    return app.test_cli_runner().invoke(main, [str(a) for a in args])


def assert_no_traceback(result):
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


# -- check ---------------------------------------------------------------------------


def test_check_valid_file_prints_one_line_summary_with_term_count(project):
    result = run(make_app(project), "check", project["terms"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert str(project["terms"]) in lines[0]
    assert "4 terms" in lines[0]
    assert result.stderr == ""


def test_check_invalid_file_exits_1_with_every_problem_on_stderr(project):
    bad = project["tmp"] / "bad.yaml"
    bad.write_text(BAD_TERMS, encoding="utf-8")
    result = run(make_app(project), "check", bad)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert any(line.startswith(f"{bad}:8: unknown key 'colour'") for line in errors), errors
    assert any(line.startswith(f"{bad}:5: duplicate id 'entity-list'") for line in errors), errors
    problem_lines = [line for line in errors if re.match(rf"{re.escape(str(bad))}:\d+: ", line)]
    assert len(problem_lines) == 2
    assert "OK" not in result.stdout
    assert_no_traceback(result)


def test_check_missing_file_exits_1_naming_the_file(project):
    missing = project["tmp"] / "nowhere.yaml"
    result = run(make_app(project), "check", missing)
    assert result.exit_code == 1
    assert f"{missing}:1: cannot read file" in result.stderr
    assert_no_traceback(result)


def test_check_without_argument_uses_configured_terms_file(project):
    other = project["tmp"] / "other.yaml"
    other.write_text("terms:\n  - id: swift\n    term: SWIFT\n    definition: 报文网络。\n", encoding="utf-8")
    result = run(make_app(project, GLOSSARY_TERMS=str(other)), "check")
    assert result.exit_code == 0, result.output
    assert str(other) in result.stdout
    assert "1 terms" in result.stdout


def test_check_without_argument_reports_problems_of_configured_file(project):
    bad = project["tmp"] / "bad.yaml"
    bad.write_text(BAD_TERMS, encoding="utf-8")
    result = run(make_app(project, GLOSSARY_TERMS=str(bad)), "check")
    assert result.exit_code == 1
    assert f"{bad}:5: duplicate id 'entity-list'" in result.stderr


def test_check_runs_from_the_app_cli_test_runner(project):
    # Flask's documented way to test an app's commands: invoke app.cli.
    result = make_app(project).test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "4 terms" in result.stdout


def test_check_shipped_terms_yaml_passes_with_at_least_40_terms(project):
    shipped = PROJECT / "terms.yaml"
    result = run(make_app(project), "check", shipped)
    assert result.exit_code == 0, result.stderr
    count = int(re.search(r"OK: (\d+) terms", result.stdout).group(1))
    assert count >= 40


# -- sync ------------------------------------------------------------------------------


def test_sync_prints_added_items_then_no_changes_on_second_run(project):
    app = make_app(project)
    first = run(app, "sync")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    for item in ("+ term entity-list", "+ term long-arm-jurisdiction", "+ term secondary-sanctions",
                 "+ term swift", "+ article finance-sanctions"):
        assert item in lines
    assert "no changes" not in first.stdout
    second = run(app, "sync")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == ["synced 4 terms and 1 articles: no changes"]


def test_sync_with_broken_terms_exits_1_and_leaves_store_unchanged(project):
    app = make_app(project)
    assert run(app, "sync").exit_code == 0
    store = Store(project["url"])
    version = store.glossary_version()
    before = store.load_glossary().terms
    project["terms"].write_text(BAD_TERMS, encoding="utf-8")
    result = run(app, "sync")
    assert result.exit_code == 1
    assert f"{project['terms']}:8: unknown key 'colour'" in result.stderr
    assert "Traceback" not in result.output
    assert store.glossary_version() == version
    assert store.load_glossary().terms == before


def test_sync_with_broken_front_matter_names_article_and_line(project):
    app = make_app(project)
    assert run(app, "sync").exit_code == 0
    store = Store(project["url"])
    version = store.glossary_version()
    slugs = [a.slug for a in store.articles()]
    broken = project["articles"] / "broken.md"
    broken.write_text("---\ntitle: 长臂管辖\n  summary: : 坏的\ndate: '2025-01-01'\n---\n正文。\n", encoding="utf-8")
    result = run(app, "sync")
    assert result.exit_code == 1
    assert f"{broken}:3: " in result.stderr
    assert "Traceback" not in result.output
    assert [a.slug for a in store.articles()] == slugs
    assert store.glossary_version() == version


def test_sync_flags_override_configured_paths_and_database(project):
    configured = make_app(project)
    assert run(configured, "sync").exit_code == 0
    configured_store = Store(project["url"])
    version = configured_store.glossary_version()
    other = project["tmp"] / "other"
    other.mkdir()
    terms = other / "terms.yaml"
    terms.write_text("terms:\n  - id: swift\n    term: SWIFT\n    definition: 报文网络。\n", encoding="utf-8")
    (other / "articles").mkdir()
    (other / "articles" / "note.md").write_text("SWIFT的角色。\n", encoding="utf-8")
    url = f"sqlite:///{other}/flag.db"
    result = run(configured, "sync", "--terms", terms, "--articles", other / "articles", "--database-url", url)
    assert result.exit_code == 0, result.output
    store = Store(url)
    assert [t.id for t in store.load_glossary()] == ["swift"]
    assert [a.slug for a in store.articles()] == ["note"]
    assert configured_store.glossary_version() == version
    assert len(configured_store.load_glossary()) == 4
    assert [a.slug for a in configured_store.articles()] == ["finance-sanctions"]


def test_sync_shipped_terms_and_articles_cleanly(project):
    shipped_articles = sorted((PROJECT / "articles").glob("*.md"))
    assert shipped_articles
    app = make_app(project, GLOSSARY_TERMS=str(PROJECT / "terms.yaml"), GLOSSARY_ARTICLES=str(PROJECT / "articles"))
    result = run(app, "sync")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert f"and {len(shipped_articles)} articles" in result.stdout
    assert run(app, "sync").stdout.strip().endswith("no changes")


# -- annotate ------------------------------------------------------------------------------


def test_annotate_prints_html_with_data_term(project):
    result = run(make_app(project), "annotate", project["articles"] / "finance-sanctions.md")
    assert result.exit_code == 0, result.output
    assert 'data-term="entity-list"' in result.stdout
    assert 'data-term="secondary-sanctions"' in result.stdout
    assert "---" not in result.stdout
    assert "<h1>金融制裁</h1>" in result.stdout


def test_annotate_bold_mode_leaves_plain_mentions_alone(project):
    result = run(make_app(project), "annotate", "--format", "json", project["articles"] / "finance-sanctions.md")
    counts = {t["id"]: t["count"] for t in json.loads(result.stdout)["terms"]}
    assert counts == {"entity-list": 1, "secondary-sanctions": 1}


def test_annotate_json_has_html_terms_undefined_glosses_and_front_matter_meta(project):
    article = project["tmp"] / "glossed.md"
    article.write_text("---\ntitle: 注释\ntags: [law]\n---\n\n**长臂管辖**（Long-arm: 延伸管辖）与**未收录词**。\n",
                       encoding="utf-8")
    result = run(make_app(project), "annotate", "--format", "json", article)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"html", "terms", "undefined", "glosses", "meta"}
    assert 'data-term="long-arm-jurisdiction"' in data["html"]
    assert data["terms"] == [{"id": "long-arm-jurisdiction", "count": 1, "term": "长臂管辖",
                              "en": "Long-arm Jurisdiction", "version": None}]
    assert data["undefined"] == ["未收录词"]
    assert data["glosses"] == [{"term": "长臂管辖", "name": "Long-arm", "definition": "延伸管辖"}]
    assert data["meta"] == {"title": "注释", "tags": ["law"]}


def test_annotate_mode_all_annotates_plain_mention(project):
    article = project["articles"] / "plain.md"
    article.write_text(PLAIN_ARTICLE, encoding="utf-8")
    app = make_app(project)
    default = run(app, "annotate", article)
    assert default.exit_code == 0, default.output
    assert "data-term" not in default.stdout
    result = run(app, "annotate", "--mode", "all", article)
    assert result.exit_code == 0, result.output
    assert 'data-term="long-arm-jurisdiction"' in result.stdout
    assert 'data-term="swift"' in result.stdout


def test_annotate_front_matter_glossary_all_is_the_default_mode(project):
    article = project["articles"] / "all.md"
    article.write_text("---\nglossary: all\n---\n" + PLAIN_ARTICLE, encoding="utf-8")
    result = run(make_app(project), "annotate", article)
    assert result.exit_code == 0, result.output
    assert 'data-term="long-arm-jurisdiction"' in result.stdout
    assert 'data-term="swift"' in result.stdout


def test_annotate_mode_flag_overrides_front_matter_mode(project):
    article = project["articles"] / "all.md"
    article.write_text("---\nglossary: all\n---\n" + PLAIN_ARTICLE, encoding="utf-8")
    result = run(make_app(project), "annotate", "--mode", "bold", article)
    assert result.exit_code == 0, result.output
    assert "data-term" not in result.stdout


def test_annotate_terms_flag_overrides_configured_terms(project):
    other = project["tmp"] / "other.yaml"
    other.write_text("terms:\n  - id: jurisdiction\n    term: 管辖\n    definition: 管辖权。\n", encoding="utf-8")
    article = project["articles"] / "plain.md"
    article.write_text(PLAIN_ARTICLE, encoding="utf-8")
    result = run(make_app(project), "annotate", "--mode", "all", "--terms", other, article)
    assert result.exit_code == 0, result.output
    assert 'data-term="jurisdiction"' in result.stdout
    assert 'data-term="long-arm-jurisdiction"' not in result.stdout


def test_annotate_with_broken_terms_exits_1_without_traceback(project):
    project["terms"].write_text(BAD_TERMS, encoding="utf-8")
    result = run(make_app(project), "annotate", project["articles"] / "finance-sanctions.md")
    assert result.exit_code == 1
    assert f"{project['terms']}:5: duplicate id" in result.stderr
    assert_no_traceback(result)


def test_annotate_with_broken_front_matter_exits_1_naming_file_and_line(project):
    article = project["articles"] / "broken.md"
    article.write_text("---\ntitle: x\n  bad: : y\n---\n正文\n", encoding="utf-8")
    result = run(make_app(project), "annotate", article)
    assert result.exit_code == 1
    assert f"{article}:3: " in result.stderr
    assert_no_traceback(result)


# -- the installed console script -------------------------------------------------------------


def script_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLOSSARY_", "FLASK_"))}
    env["GLOSSARY_DATABASE_URL"] = f"sqlite:///{tmp_path}/script.db"
    env["GLOSSARY_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.update(extra)
    return env


def test_console_script_check_bad_file_exits_1_without_traceback(project):
    bad = project["tmp"] / "bad.yaml"
    bad.write_text(BAD_TERMS, encoding="utf-8")
    proc = subprocess.run([str(SCRIPT), "check", str(bad)], capture_output=True, text=True,
                          cwd=project["tmp"], env=script_env(project["tmp"]), timeout=120)
    assert proc.returncode == 1
    assert f"{bad}:8: unknown key 'colour'" in proc.stderr
    assert f"{bad}:5: duplicate id 'entity-list'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_help_shows_only_the_glossarys_own_options(project):
    result = run(make_app(project), "--help")
    assert result.exit_code == 0
    for flask_option in ("--env-file", "-e,", "--app", "-A,", "--debug"):
        assert flask_option not in result.stdout
    assert "check" in result.stdout and "import" in result.stdout


def test_flask_app_glossary_still_runs_the_commands(project):
    flask = Path(sys.executable).parent / "flask"
    proc = subprocess.run([str(flask), "--app", "glossary", "check"], capture_output=True, text=True,
                          cwd=project["tmp"], env=script_env(project["tmp"], GLOSSARY_TERMS=str(project["terms"])),
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{project['terms']}: OK: 4 terms")


def test_console_script_check_reads_glossary_terms_from_environment(project):
    proc = subprocess.run([str(SCRIPT), "check"], capture_output=True, text=True, cwd=project["tmp"],
                          env=script_env(project["tmp"], GLOSSARY_TERMS=str(project["terms"])), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{project['terms']}: OK: 4 terms")


def test_serve_answers_http_requests(tmp_path):
    """Start `glossary serve` on a never-synced store, as a new user might, and fetch the front page."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(sys.executable).parent / "glossary"
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    server = subprocess.Popen([str(script), "serve", "--port", str(port), "--database-url", url],
                              env={"PATH": "/usr/bin:/bin"}, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    assert "文章" in response.read().decode()
                    assert (tmp_path / "serve.db").exists()
                    break
            except urllib.error.HTTPError:
                raise
            except OSError:  # not listening yet
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sync_with_a_bad_database_url_says_so_without_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "glossary"
    result = subprocess.run([str(script), "sync", "--database-url", "nosuchdb://x"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "bad database URL 'nosuchdb://x'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_needs_no_database_even_when_its_url_is_bad(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "terms.yaml").write_text("terms:\n  - id: a\n    term: 稀土\n    definition: d\n", encoding="utf-8")
    script = Path(sys.executable).parent / "glossary"
    env = {**os.environ, "GLOSSARY_DATABASE_URL": "nosuchdb://x"}
    result = subprocess.run([str(script), "check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "OK: 1 terms" in result.stdout


@pytest.mark.parametrize("variable, value, message", [
    ("GLOSSARY_RELOAD_INTERVAL", "abc", "GLOSSARY_RELOAD_INTERVAL='abc': must be a number"),
    ("GLOSSARY_DEFAULT_MODE", "foo", "GLOSSARY_DEFAULT_MODE: unknown mode 'foo'"),
    ("GLOSSARY_MAX_LINKS_PER_TERM", "-3", "GLOSSARY_MAX_LINKS_PER_TERM: max_links must be a whole number"),
])
def test_a_bad_setting_in_the_environment_is_named_without_a_traceback(project, variable, value, message):
    proc = subprocess.run([str(SCRIPT), "check", str(project["terms"])], capture_output=True, text=True,
                          env=script_env(project["tmp"], **{variable: value}), timeout=60)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
