"""A real app over a real SQLite file, and a real HTTP server for it, for the API tests."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from glossary.cli import create_app
from glossary.store import read_inputs

ARTICLE = """\
---
title: 出口管制短评
date: '2025-05-01'
tags: [export-control]
---

美国把多家企业列入**实体清单**（Entity List: 一份需要许可证的名单），并动用长臂管辖。
"""


def make_app(folder: Path, terms_file: Path, **config):
    """Create the app on a SQLite file in `folder`, synced with the test glossary and one article."""
    articles = folder / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "export-notes.md").write_text(ARTICLE, encoding="utf-8")
    app = create_app({
        "GLOSSARY_TERMS": str(terms_file),
        "GLOSSARY_ARTICLES": str(articles),
        "GLOSSARY_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        **config,
    })
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
    return app


@contextmanager
def serving(app, threaded: bool = True):
    """Serve `app` with Werkzeug on a free port in a thread; yield its base URL.

    threaded=False answers one request at a time, as one gunicorn sync worker does.
    """
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
