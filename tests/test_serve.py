"""`glossary serve` as an operator runs it: real processes, real files, a real SQLite store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import TERMS_YAML

from glossary.store import Store

SCRIPT = Path(sys.executable).parent / "glossary"

THREE_TERMS = """\
terms:
  - id: a
    term: 甲方
    definition: 合同的一方。
  - id: b
    term: 乙方
    definition: 合同的另一方。
  - id: c
    term: 丙方
    definition: 第三方。
"""
ARTICLE = "---\ntitle: 管制\n---\n\n企业被列入**实体清单**。\n"


@pytest.fixture
def site(tmp_path):
    """Return a folder with terms.yaml and articles/, synced by `glossary sync` into a SQLite store."""
    root = tmp_path / "site"
    (root / "articles").mkdir(parents=True)
    (root / "terms.yaml").write_text(TERMS_YAML, encoding="utf-8")
    (root / "articles" / "a.md").write_text(ARTICLE, encoding="utf-8")
    env = environment(tmp_path)
    done = subprocess.run([str(SCRIPT), "sync"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {"root": root, "env": env, "url": env["GLOSSARY_DATABASE_URL"], "tmp": tmp_path}


def environment(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLOSSARY_", "FLASK_"))}
    env["GLOSSARY_DATABASE_URL"] = f"sqlite:///{tmp_path}/store.db"
    env["GLOSSARY_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A `glossary serve` process, stopped when the test ends."""

    def __init__(self, args: list[str], cwd: Path, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen([str(SCRIPT), "serve", "--port", str(self.port), *args], cwd=cwd, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited: {self.process.stderr.read()}")
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve did not answer in 60 s")

    def get(self, path: str):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
            return response.read().decode()

    def health(self) -> dict:
        return json.loads(self.get("/healthz"))

    def stop(self) -> tuple[str, str]:
        self.process.terminate()
        out, err = self.process.communicate(timeout=30)
        return out, err


@pytest.fixture
def servers():
    started = []

    def start(*args, cwd, env):
        server = Server(list(args), cwd, env)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


def stored_ids(url: str) -> list[str]:
    return [t.id for t in Store(url).load_glossary()]


def test_serve_from_a_folder_with_a_stray_terms_yaml_leaves_the_store_alone(site, servers):
    stray = site["tmp"] / "stray"
    stray.mkdir()
    (stray / "terms.yaml").write_text(THREE_TERMS, encoding="utf-8")
    before = stored_ids(site["url"])
    server = servers(cwd=stray, env=site["env"])
    (stray / "terms.yaml").write_text(THREE_TERMS + "# saved\n", encoding="utf-8")
    time.sleep(1.5)  # longer than the reload interval
    server.get("/terms")
    health = server.health()
    assert health["terms"] == len(before) and health["terms_file"]["following"] is False
    assert stored_ids(site["url"]) == before
    out, _ = server.stop()
    assert "following no terms file" in out


def test_serve_terms_of_another_file_keeps_the_store_and_says_why(site, servers):
    other = site["tmp"] / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    before = stored_ids(site["url"])
    server = servers("--terms", str(other), cwd=site["tmp"], env=site["env"])
    health = server.health()
    deadline = time.monotonic() + 30  # the first check runs in the background: a loaded machine takes its time
    while health["terms_file"]["refused"] is None and time.monotonic() < deadline:
        time.sleep(0.2)
        health = server.health()
    assert health["status"] == "degraded"
    assert "synced from site/terms.yaml" in health["terms_file"]["refused"]
    assert stored_ids(site["url"]) == before
    _, err = server.stop()
    assert "not written to the store" in err and str(other) in err


def test_serve_terms_with_replace_replaces_the_store(site, servers):
    other = site["tmp"] / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    server = servers("--terms", str(other), "--replace", cwd=site["tmp"], env=site["env"])
    deadline = time.monotonic() + 30
    while stored_ids(site["url"]) != ["a", "b", "c"] and time.monotonic() < deadline:
        server.get("/")
        time.sleep(0.2)
    assert stored_ids(site["url"]) == ["a", "b", "c"]
    assert server.health()["status"] == "ok"


def test_serve_terms_of_the_store_s_own_file_follows_its_edits(site, servers):
    server = servers("--terms", "terms.yaml", cwd=site["root"], env=site["env"])
    (site["root"] / "terms.yaml").write_text(TERMS_YAML.replace("美国商务部", "新的定义"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "新的定义" not in server.get("/terms/entity-list") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "新的定义" in server.get("/terms/entity-list")
    out, _ = server.stop()
    assert f"following terms file {site['root'] / 'terms.yaml'}" in out


def test_serve_says_which_store_it_serves(site, servers):
    out, _ = servers(cwd=site["root"], env=site["env"]).stop()
    assert f"store: {site['url']}" in out


def test_serve_articles_syncs_them_before_serving(site, servers):
    (site["root"] / "articles" / "b.md").write_text("---\ntitle: 第二篇\n---\n\n**二级制裁**。\n", encoding="utf-8")
    server = servers("--terms", "terms.yaml", "--articles", "articles", cwd=site["root"], env=site["env"])
    assert "第二篇" in server.get("/")


def test_serve_articles_of_another_folder_is_refused(site):
    other = site["tmp"] / "other-articles"
    other.mkdir()
    done = subprocess.run([str(SCRIPT), "serve", "--port", str(free_port()), "--terms", "terms.yaml",
                           "--articles", str(other)],
                          cwd=site["root"], env=site["env"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "not synced over the store" in done.stderr and "--replace" in done.stderr
    assert "serving on" not in done.stdout


def test_serve_on_a_busy_port_reports_the_bind_error_and_exits_1(site):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([str(SCRIPT), "serve", "--port", str(port)], cwd=site["root"], env=site["env"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"Port {port} is in use" in done.stderr  # Werkzeug's own words, before anything else
    assert "serving" not in done.stdout and "store:" not in done.stdout
    assert "Traceback" not in done.stderr


def test_serve_articles_on_a_busy_port_fails_before_syncing_them(site):
    (site["root"] / "articles" / "b.md").write_text("---\ntitle: 第二篇\n---\n\n**二级制裁**。\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([str(SCRIPT), "serve", "--port", str(port), "--terms", "terms.yaml", "--articles",
                               "articles"], cwd=site["root"], env=site["env"], capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 1 and f"Port {port} is in use" in done.stderr
    assert Store(site["url"]).article("b") is None  # a server that cannot start changes nothing


def test_serve_articles_without_a_named_terms_file_is_refused(site):
    # Even with --replace: the terms.yaml that lies in the working folder is never synced unasked.
    before = stored_ids(site["url"])
    stray = site["tmp"] / "stray"
    (stray / "articles").mkdir(parents=True)
    (stray / "terms.yaml").write_text(THREE_TERMS, encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "serve", "--port", str(free_port()), "--articles", "articles", "--replace"],
                          cwd=stray, env=site["env"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "name it with --terms FILE" in done.stderr
    assert stored_ids(site["url"]) == before
