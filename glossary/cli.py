"""The `glossary` command (also `flask --app glossary ...`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .annotator import MODES
from .articles import ArticleError, read_article
from .frontmatter import FrontMatterError
from .render import annotate_markdown
from .store import SchemaError, SyncError, read_inputs
from .termfile import GlossaryError, load_glossary


def _fail(lines) -> None:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(1)


def _setting(value, key: str):
    return value if value is not None else current_app.config[key]


terms_option = click.option("--terms", "terms", type=click.Path(dir_okay=False), default=None,
                            help="terms.yaml to read (default: $GLOSSARY_TERMS or ./terms.yaml).")


@click.command("check")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check_command(path):
    """Validate terms.yaml: print every problem as PATH:LINE: message."""
    path = _setting(path, "GLOSSARY_TERMS")
    try:
        glossary = load_glossary(path)
    except GlossaryError as exc:
        _fail([str(p) for p in exc.problems] + [f"{path}: {len(exc.problems)} problem(s) found"])
    aliases = sum(len(t.aliases) for t in glossary)
    tags = len({tag for t in glossary for tag in t.tags})
    click.echo(f"{path}: OK: {len(glossary)} terms, {aliases} aliases, {tags} tags")


@click.command("sync")
@with_appcontext
@terms_option
@click.option("--articles", type=click.Path(file_okay=False), default=None,
              help="Folder of .md articles (default: $GLOSSARY_ARTICLES or ./articles).")
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: $GLOSSARY_DATABASE_URL).")
def sync_command(terms, articles, database_url):
    """Load terms.yaml and the articles into the store, in one transaction."""
    from sqlalchemy.exc import SQLAlchemyError

    terms = Path(_setting(terms, "GLOSSARY_TERMS"))
    articles = Path(_setting(articles, "GLOSSARY_ARTICLES"))
    store = _open_store(database_url or current_app.config["GLOSSARY_DATABASE_URL"])
    try:
        glossary, items = read_inputs(terms, articles)
    except SyncError as exc:
        _fail(exc.problems + ["sync aborted: the store was not changed"])
    try:
        changes = store.sync(glossary, items)
    except SchemaError as exc:
        _fail(f"{exc}\nsync aborted: the store was not changed")
    except SQLAlchemyError as exc:
        _fail(f"database error at {store.engine.url!r}: {getattr(exc, 'orig', None) or exc}"
              "\nsync aborted: the store was not changed")
    for line in changes.lines():
        click.echo(line)
    click.echo(f"synced {len(glossary)} terms and {len(items)} articles: {changes.summary()}")


@click.command("annotate")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="bold (default, or the article's front matter 'glossary:'), first or all.")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html")
@terms_option
def annotate_command(file, mode, fmt, terms):
    """Print FILE.md rendered and annotated, as HTML or as the Annotation's JSON."""
    try:
        glossary = load_glossary(_setting(terms, "GLOSSARY_TERMS"))
    except GlossaryError as exc:
        _fail([str(p) for p in exc.problems])
    try:
        article = read_article(file)
        result = annotate_markdown(article.body, glossary, mode=mode or article.mode,
                                   link_prefix=current_app.config["GLOSSARY_LINK_PREFIX"])
    except (ArticleError, FrontMatterError) as exc:
        _fail(str(exc))
    result.meta = article.meta
    if fmt == "json":
        # default=str: front matter may hold values JSON has no type for (a YAML set).
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.html)


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: $GLOSSARY_DATABASE_URL).")
def serve_command(host, port, database_url):
    """Serve the site (development server; use gunicorn in production)."""
    # Flask ignores app.run() inside its own CLI, so start Werkzeug directly.
    from werkzeug.serving import run_simple

    from .web.app import use_store

    if database_url:
        _open_store(database_url)  # fails with a message, not a traceback
        use_store(current_app, database_url)
    click.echo(f"serving on http://{host}:{port}/ (Ctrl-C stops)")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.group("db")
def db_group():
    """Manage the store's schema (Alembic migrations)."""


@db_group.command("upgrade")
@with_appcontext
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: $GLOSSARY_DATABASE_URL).")
def db_upgrade_command(database_url):
    """Migrate the store's schema to the version this glossary needs."""
    from sqlalchemy.exc import SQLAlchemyError

    store = _open_store(database_url or current_app.config["GLOSSARY_DATABASE_URL"])
    try:
        before, _ = store.revision()
        after = store.upgrade()
    except SQLAlchemyError as exc:
        _fail(f"database error at {store.engine.url!r}: {getattr(exc, 'orig', None) or exc}")
    click.echo(f"schema at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db_group.command("status")
@with_appcontext
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: $GLOSSARY_DATABASE_URL).")
def db_status_command(database_url):
    """Print the store's schema revision; exit 1 when it needs `glossary db upgrade`."""
    from sqlalchemy.exc import SQLAlchemyError

    store = _open_store(database_url or current_app.config["GLOSSARY_DATABASE_URL"])
    try:
        at, wanted = store.revision()
    except SQLAlchemyError as exc:
        _fail(f"database error at {store.engine.url!r}: {getattr(exc, 'orig', None) or exc}")
    if at != wanted:
        _fail(f"schema at revision {at or 'none'}, needs {wanted}: run `glossary db upgrade`")
    click.echo(f"schema at revision {at} (up to date)")


def _open_store(url: str):
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from .store import Store

    store = Store(url)
    try:
        store.engine  # noqa: B018 (connect now, to fail with a message)
    except (ArgumentError, NoSuchModuleError, ImportError, OSError) as exc:
        _fail(f"bad database URL {url!r}: {exc}")
    return store


def register(app) -> None:
    """Add the commands to `app.cli`."""
    for command in (check_command, sync_command, annotate_command, serve_command, db_group):
        app.cli.add_command(command)


def _create_app():
    from .web.app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False, add_default_commands=False,
                  help="Glossary tools: check terms.yaml, sync the store, annotate, serve.")
