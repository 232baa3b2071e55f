"""The README's API examples (curl and Python) run against a live server holding the project's own glossary."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apiserver import serving

from glossary.store import read_inputs
from glossary.web.app import create_app

PROJECT = Path(__file__).resolve().parents[1]
README_BASE = "http://127.0.0.1:8000"


def api_examples(language: str) -> list[str]:
    """Return the README's API section code blocks in `language`."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"^```{language}\n(.*?)^```", section, re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    terms, articles = PROJECT / "terms.yaml", PROJECT / "articles"
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": f"sqlite:///{folder / 'store.db'}"})
    app.extensions["glossary"].store.sync(*read_inputs(terms, articles))
    with serving(app) as base:
        yield base


def test_readme_curl_examples_answer_as_described(base_url):
    assert shutil.which("curl"), "curl is not installed (.ci/run installs it)"
    [script] = api_examples("sh")
    commands = [line for line in script.replace("\\\n", " ").splitlines() if line.strip()]
    answers = []
    for command in commands:
        assert command.startswith(f"curl -s {README_BASE}") or command.startswith(f"curl -s -G {README_BASE}")
        run = subprocess.run(["bash", "-c", command.replace(README_BASE, base_url)],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        answers.append(json.loads(run.stdout))
    annotated, search, term, health = answers
    assert [t["id"] for t in annotated["terms"]] == ["entity-list"]
    assert 'data-term="entity-list"' in annotated["html"]
    assert "entity-list" in [t["id"] for t in search["terms"]]
    assert term["id"] == "entity-list"
    assert term["articles"]
    assert health["status"] == "ok"


def test_readme_python_client_prints_the_annotated_terms(base_url):
    [client] = api_examples("python")
    assert len(client.strip().splitlines()) <= 25
    assert client.count(README_BASE) == 1
    run = subprocess.run([sys.executable, "-c", client.replace(README_BASE, base_url)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["entity-list 1 Entity List", "long-arm-jurisdiction 1 Long-arm Jurisdiction"]
