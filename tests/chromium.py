"""Headless Chromium for the browser tests: where it is, how it is launched, one per test module."""

from __future__ import annotations

import os
import shutil

import pytest

# Chromium runs as root here and must not wait on the closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 720}}


def chromium_path() -> str | None:
    """Return the Chromium to drive: $GLOSSARY_CHROMIUM, else Debian's chromium on PATH."""
    return os.environ.get("GLOSSARY_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable(reason: str):
    """Skip the test, or fail it in CI, which must run the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Launch headless Chromium once for the module (Playwright gives it a fresh profile)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if not path:
        unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
