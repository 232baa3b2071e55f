"""Regenerate the README's screenshots (docs/screenshots/*.png) in headless Chromium.

Serves the real app from a throw-away SQLite store synced from terms.yaml
and articles/, then captures an article with an open popover on a desktop
and on a 360-px phone, and the term index. Needs Debian's chromium and a
CJK font (apt-get install chromium fonts-noto-cjk). Run: make screenshots.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from glossary.store import read_inputs
from glossary.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ARTICLE = "/articles/rare-earth-export-controls"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars"]
DESKTOP = {"viewport": {"width": 1100, "height": 760}}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def serve(database: Path):
    """Start the app on a free port; return (server, base URL)."""
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{database}"})
    app.extensions["glossary"].store.sync(*read_inputs(ROOT / "terms.yaml", ROOT / "articles"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def first_term_in_view(page):
    """Scroll the article's first annotated term to a third of the way down; return it."""
    term = page.locator("article a[data-term]").first
    term.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - innerHeight / 3)")
    return term


def main() -> int:
    """Write the three screenshots; return the exit status."""
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    if shutil.which("fc-list") and not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout:
        print("warning: no CJK font installed (apt-get install fonts-noto-cjk); Chinese will show as boxes",
              file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server, base = serve(Path(tmp) / "store.db")
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(**DESKTOP).new_page()
            page.goto(base + ARTICLE)
            first_term_in_view(page).hover()
            page.locator("#glossary-popover").wait_for(state="visible")
            page.screenshot(path=OUT / "article-desktop.png")

            page = browser.new_context(**PHONE).new_page()
            page.goto(base + ARTICLE)
            first_term_in_view(page).tap()
            page.locator("#glossary-popover").wait_for(state="visible")
            page.screenshot(path=OUT / "article-phone.png")

            page = browser.new_context(**DESKTOP).new_page()
            page.goto(base + "/terms")
            page.screenshot(path=OUT / "index.png")
        finally:
            browser.close()
            server.shutdown()
    for name in ("article-desktop.png", "article-phone.png", "index.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
