"""The Eleventy plugin (clients/eleventy) in a real Eleventy 3 build against the real glossary service."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from apiserver import make_app, serving
from bs4 import BeautifulSoup
from conftest import TERMS_YAML

PLUGIN = Path(__file__).resolve().parents[1] / "clients" / "eleventy"
# What a build needs from the plugin's folder; node_modules comes from the cache.
PLUGIN_FILES = ("package.json", "package-lock.json", "index.js", "selector.js", "cache.js")
POSTS = {
    "chip-controls": {"entity-list", "ai-chip", "long-arm-jurisdiction", "secondary-sanctions"},
    "magnet-supply": {"rare-earth-magnet", "rare-earth", "swift"},
}
BUILD_TIMEOUT = 180


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def node_modules(tmp_path_factory) -> Path:
    """Return a node_modules with the plugin's dependencies and @11ty/eleventy 3, installed once per lock file."""
    missing = [name for name in ("node", "npm", "npx") if shutil.which(name) is None]
    if missing:
        reason = f"{', '.join(missing)} not found: the Eleventy plugin's build test needs Node.js 18+ and npm"
        if _in_ci():
            pytest.fail(f"{reason} (.ci/run installs them)")
        pytest.skip(reason)
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((PLUGIN / name).read_bytes())
    # Kept between runs: npm install is the slow part (about 10 s with a warm npm cache).
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "glossary-tests" / f"eleventy-{digest.hexdigest()[:16]}"
    done = folder / "node_modules" / ".glossary-installed"
    if not done.exists():
        building = tmp_path_factory.mktemp("npm")
        for name in ("package.json", "package-lock.json"):
            shutil.copy(PLUGIN / name, building / name)
        npm = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=building,
                             capture_output=True, text=True, timeout=600)
        assert npm.returncode == 0, f"npm ci failed:\n{npm.stdout}\n{npm.stderr}"
        (building / "node_modules" / ".glossary-installed").touch()
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.move(building, folder)
    return folder / "node_modules"


@pytest.fixture
def site(tmp_path, node_modules) -> Path:
    """Copy the plugin and its example site under tmp_path; return the example's folder."""
    root = tmp_path / "eleventy"
    root.mkdir()
    for name in PLUGIN_FILES:
        shutil.copy(PLUGIN / name, root / name)
    shutil.copytree(PLUGIN / "example", root / "example", ignore=shutil.ignore_patterns("_site", ".cache"))
    shutil.copytree(PLUGIN / "test", root / "test")
    (root / "node_modules").symlink_to(node_modules, target_is_directory=True)
    return root / "example"


class Counted:
    """WSGI middleware that records the status of each annotate request; it can hide /healthz as a proxy might."""

    def __init__(self, app, hide_health: bool = False):
        self.app = app
        self.hide_health = hide_health
        self.annotate_statuses: list[int] = []

    @property
    def annotate_requests(self) -> int:
        return len(self.annotate_statuses)

    def __call__(self, environ, start_response):
        if self.hide_health and environ["PATH_INFO"] == "/healthz":
            start_response("404 Not Found", [("Content-Type", "text/html")])
            return [b"<h1>Not Found</h1>"]
        if environ["PATH_INFO"] != "/api/annotate" or environ["REQUEST_METHOD"] != "POST":
            return self.app(environ, start_response)

        def recording(status, headers, exc_info=None):
            self.annotate_statuses.append(int(status.split()[0]))
            return start_response(status, headers, exc_info)

        return self.app(environ, recording)


@contextmanager
def counted_service(folder: Path, terms_file: Path, hide_health: bool = False, **config):
    """Serve the real app on a free port; yield (base URL, request counter)."""
    folder.mkdir()
    app = make_app(folder, terms_file, **config)
    counter = Counted(app.wsgi_app, hide_health)
    app.wsgi_app = counter
    with serving(app) as url:
        yield url, counter


@pytest.fixture
def service(tmp_path, terms_file):
    """Serve the real app on a free port; yield (base URL, request counter)."""
    with counted_service(tmp_path / "service", terms_file) as served:
        yield served


@pytest.fixture
def stopped_service(tmp_path, terms_file) -> str:
    """Return the URL of a glossary service that was started and then stopped: nothing answers there."""
    folder = tmp_path / "stopped"
    folder.mkdir()
    with serving(make_app(folder, terms_file)) as url:
        pass
    return url


def build(example: Path, endpoint: str, **env) -> subprocess.CompletedProcess:
    """Run `npx @11ty/eleventy` in the example site against `endpoint`."""
    environment = {**os.environ, "GLOSSARY_ENDPOINT": endpoint, "NO_COLOR": "1", **env}
    return subprocess.run(["npx", "--no", "@11ty/eleventy"], cwd=example, env=environment,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT)


def built_ok(example: Path, endpoint: str, **env) -> subprocess.CompletedProcess:
    result = build(example, endpoint, **env)
    assert result.returncode == 0, f"eleventy failed:\n{result.stdout}\n{result.stderr}"
    return result


def page(example: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((example / "_site" / "posts" / slug / "index.html").read_text(encoding="utf-8"), "lxml")


def test_plugin_own_tests_pass(site):
    result = subprocess.run(["npm", "test"], cwd=site.parent, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, f"npm test failed:\n{result.stdout}\n{result.stderr}"
    assert "# fail 0" in result.stdout


def test_build_annotates_each_posts_body(site, service):
    url, _ = service
    built_ok(site, url)
    for slug, expected in POSTS.items():
        soup = page(site, slug)
        body = soup.select_one("article .post-body")
        assert {a["data-term"] for a in body.select("a[data-term]")} == expected
        notes = body.select_one('aside[data-glossary="notes"]')
        assert {dd["data-for"] for dd in notes.select("dd[data-glossary=definition]")} == expected


def test_build_leaves_the_page_outside_the_selector_alone(site, service):
    url, _ = service
    built_ok(site, url)
    soup = page(site, "chip-controls")
    assert soup.select_one('link[rel=stylesheet]')["href"] == f"{url}/static/glossary.css"
    assert soup.select_one("script[src]")["src"] == f"{url}/static/glossary.js"
    assert soup.h1.get_text() == "芯片管制的两条战线"
    assert not soup.h1.find("a")
    # The index page has no article: it is not sent, and stays as Eleventy wrote it.
    index = BeautifulSoup((site / "_site" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert not index.select("a[data-term]")
    assert len(index.select("main li a")) == 2


def test_second_build_sends_nothing(site, service):
    url, counter = service
    built_ok(site, url)
    assert counter.annotate_requests == len(POSTS)
    first = {slug: (site / "_site" / "posts" / slug / "index.html").read_text(encoding="utf-8") for slug in POSTS}
    built_ok(site, url)
    assert counter.annotate_requests == len(POSTS)
    for slug, html in first.items():
        assert (site / "_site" / "posts" / slug / "index.html").read_text(encoding="utf-8") == html


def test_changed_post_alone_is_sent_again(site, service):
    url, counter = service
    built_ok(site, url)
    post = site / "posts" / "magnet-supply.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n另一个常被提到的名字是**世界贸易组织**。\n", encoding="utf-8")
    built_ok(site, url)
    assert counter.annotate_requests == len(POSTS) + 1
    assert "wto" in {a["data-term"] for a in page(site, "magnet-supply").select("a[data-term]")}


def test_changed_glossary_sends_every_page_again(site, tmp_path, terms_file):
    config = {"GLOSSARY_RELOAD_INTERVAL": 0, "GLOSSARY_RELOAD_WAIT": 30}  # a changed terms.yaml is served at once
    with counted_service(tmp_path / "service", terms_file, **config) as (url, counter):
        built_ok(site, url)
        terms_file.write_text(TERMS_YAML.replace("总部在比利时。", "总部设在布鲁塞尔附近。"), encoding="utf-8")
        built_ok(site, url)
    assert counter.annotate_statuses == [200] * (2 * len(POSTS))
    assert "总部设在布鲁塞尔附近" in page(site, "magnet-supply").select_one('dd[data-for="swift"]').get_text()


def test_without_healthz_kept_pages_are_revalidated_with_if_none_match(site, tmp_path, terms_file):
    with counted_service(tmp_path / "service", terms_file, hide_health=True) as (url, counter):
        built_ok(site, url)
        first = page(site, "chip-controls").select_one("article .post-body")
        built_ok(site, url)
    assert counter.annotate_statuses == [200] * len(POSTS) + [304] * len(POSTS)
    assert page(site, "chip-controls").select_one("article .post-body") == first


def test_service_down_fails_the_build_naming_endpoint_and_page(site, stopped_service):
    result = build(site, stopped_service)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"the glossary service at {stopped_service} is not answering" in output
    assert "posts/chip-controls.md" in output or "posts/magnet-supply.md" in output
    assert "failOnError: false" in output


def test_service_down_with_fail_on_error_false_builds_and_warns(site, stopped_service):
    result = built_ok(site, stopped_service, GLOSSARY_FAIL_ON_ERROR="0")
    output = result.stdout + result.stderr
    for slug in POSTS:
        assert f"posts/{slug}/index.html is written without annotations" in output
        soup = page(site, slug)
        assert not soup.select("a[data-term]")
        assert soup.select_one("article .post-body strong")


def test_problem_answer_fails_the_build_with_its_title(site, tmp_path, terms_file):
    folder = tmp_path / "small"
    folder.mkdir()
    with serving(make_app(folder, terms_file, GLOSSARY_API_MAX_BODY=64)) as url:
        result = build(site, url)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"the glossary service at {url} answered 413" in output


def test_endpoint_that_is_no_url_is_refused_when_the_plugin_is_added(site):
    result = build(site, "glossary.example")
    assert result.returncode != 0
    assert "the endpoint option must be the glossary service's URL" in result.stdout + result.stderr
