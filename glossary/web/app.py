"""The application factory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask

from ..config import SettingError, settings
from ..memory import tune_process
from ..sources.frontmatter import annotation_settings
from ..store import Store
from .annotaterequest import check_link_base
from .live import LiveGlossary
from .pagecache import AnswerCache, PageCache
from .service import EXTENSION, Service

PROJECT = Path(__file__).resolve().parents[2]
# A source checkout keeps templates/ at the top; an installed package has
# them as data files under the environment's share/ folder.
TEMPLATE_FOLDERS = (PROJECT / "templates", Path(sys.prefix) / "share" / "glossary" / "templates")


def create_app(config: dict | None = None) -> Flask:
    """Create the app: defaults, then GLOSSARY_* environment variables, then `config`.

    The app serves the site and the API; `glossary.cli.create_app` adds the
    `glossary` command's subcommands to it (`flask --app glossary ...`).
    """
    checkout = TEMPLATE_FOLDERS[0].is_dir()
    values = settings(config)
    app = Flask(
        "glossary",
        template_folder=str(next((f for f in TEMPLATE_FOLDERS if f.is_dir()), TEMPLATE_FOLDERS[0])),
        static_folder=str(Path(__file__).resolve().parents[1] / "static"),
        # In a checkout, ./instance; installed, Flask's own default (under sys.prefix/var).
        instance_path=values["GLOSSARY_INSTANCE_PATH"] or (str(PROJECT / "instance") if checkout else None),
    )
    app.config.update(values)
    # Once per worker; the CLI's commands run inside this app, so they too.
    tune_process()
    try:
        # Checked now: a wrong default mode or limit would otherwise surface as a 500 on every article.
        annotation_settings(None, None, app.config)
    except ValueError as exc:
        raise SettingError(str(exc)) from None
    if app.config["GLOSSARY_LINK_BASE"]:
        try:
            check_link_base(app.config["GLOSSARY_LINK_BASE"])
        except ValueError as exc:
            raise SettingError(f"GLOSSARY_LINK_BASE: {exc}") from None
    # A server follows a terms file only when told which: a terms.yaml that
    # merely lies in the working folder may belong to another glossary.
    told = "GLOSSARY_TERMS" in os.environ or "GLOSSARY_TERMS" in (config or {})
    app.config.setdefault("GLOSSARY_FOLLOW_TERMS", told and bool(app.config["GLOSSARY_WATCH_TERMS"]))
    if not app.config["GLOSSARY_DATABASE_URL"]:
        app.config["GLOSSARY_DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'glossary.db'}"
    use_store(app, app.config["GLOSSARY_DATABASE_URL"])

    from . import api, changes, editor, embed, problems, views

    app.register_blueprint(views.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(problems.pages)
    app.register_blueprint(editor.blueprint)
    app.register_blueprint(embed.blueprint)
    app.register_blueprint(changes.blueprint)
    return app


def use_store(app: Flask, url: str) -> None:
    """Serve `app` from the store at `url`."""
    store = Store(url)
    app.config["GLOSSARY_DATABASE_URL"] = url
    app.extensions[EXTENSION] = Service(
        store=store,
        live=LiveGlossary(store, float(app.config["GLOSSARY_RELOAD_INTERVAL"]),
                          app.config["GLOSSARY_TERMS"] if app.config["GLOSSARY_FOLLOW_TERMS"] else None,
                          replace=bool(app.config["GLOSSARY_REPLACE_STORE"]),
                          wait=float(app.config["GLOSSARY_RELOAD_WAIT"])),
        pages=PageCache(int(app.config["GLOSSARY_PAGE_CACHE_SIZE"])),
        answers=AnswerCache(int(app.config["GLOSSARY_PAGE_CACHE_SIZE"]),
                            int(app.config["GLOSSARY_ANSWER_CACHE_MB"]) * 1024 * 1024),
    )
