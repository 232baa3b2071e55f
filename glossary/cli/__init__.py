"""The `glossary` command (also `flask --app glossary ...`)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from ..config import SettingError, default_text
from ..core.model import Glossary
from ..core.options import MODES
from ..core.versions import article_day
from ..editorial.exchange import EXPORTS, IMPORTS, export_glossary, import_format, import_glossary
from ..editorial.exchange.skos import DEFAULT_BASE
from ..editorial.harvest import harvest
from ..editorial.lint import SHADOW_HELP, lint
from ..editorial.merge import merge
from ..editorial.review import DEFAULT_OLDER_THAN, review
from ..editorial.yamledit import EditError, NewEntry, append_terms, layout_of, new_file, render_entries, save
from ..render import annotate_markdown
from ..render.depth import NestingError
from ..sources.articles import ArticleError, read_article, read_articles
from ..sources.frontmatter import FrontMatterError, annotation_settings
from ..sources.termfile import GlossaryError, lint_ignore, load_glossary, parse_glossary
from ..store import SchemaError, Sources, SyncError, foreign_source, read_inputs
from .progress import progress


def _fail(lines) -> None:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(1)


def _setting(value, key: str):
    return value if value is not None else current_app.config[key]


terms_option = click.option("--terms", "terms", type=click.Path(dir_okay=False), default=None,
                            help=f"terms.yaml to read (default: {default_text('GLOSSARY_TERMS')}).")
database_url_option = click.option("--database-url", default=None,
                                   help=f"SQLAlchemy URL (default: {default_text('GLOSSARY_DATABASE_URL')}).")


@click.command("check")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check_command(path):
    """Validate terms.yaml: print every problem as PATH:LINE: message.

    PATH is the terms file (default: $GLOSSARY_TERMS, else terms.yaml).
    """
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
              help=f"Folder of .md articles (default: {default_text('GLOSSARY_ARTICLES')}).")
@database_url_option
@click.option("--dry-run", is_flag=True,
              help="Change nothing: print what would change and, for each changed term, the articles that mention it.")
def sync_command(terms, articles, database_url, dry_run):
    """Load terms.yaml and the articles into the store, in one transaction."""

    terms = Path(_setting(terms, "GLOSSARY_TERMS"))
    articles = Path(_setting(articles, "GLOSSARY_ARTICLES"))
    if dry_run:
        _preview(_open_store(database_url), terms, articles)
        return
    _sync(_open_store(database_url), terms, articles)


def _preview(store, terms: Path, articles: Path) -> None:
    """Print what syncing `terms` and `articles` into `store` would change, and the articles it touches."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        glossary, items = read_inputs(terms, articles, progress("reading articles"))
        changes = store.preview(glossary, items, progress("finding mentions"))
    except SyncError as exc:
        _fail(exc.problems + ["dry run: these would stop the sync"])
    except SchemaError as exc:
        _fail(str(exc))
    except SQLAlchemyError as exc:
        _fail(_database_error(store, exc))
    for line in changes.lines(detail=True):
        click.echo(line)
    click.echo(f"dry run, nothing written: {len(glossary)} terms and {len(items)} articles read; "
               f"a sync would make {changes.summary()}")


def _sync(store, terms: Path, articles: Path) -> None:
    """Sync `terms` and `articles` into `store`, recording them as its sources, or fail leaving it as it was."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        glossary, items = read_inputs(terms, articles, progress("reading articles"))
    except SyncError as exc:
        _fail(exc.problems + ["sync aborted: the store was not changed"])
    sources = Sources(terms=str(terms.resolve()), articles=str(articles.resolve()))
    try:
        changes = store.sync(glossary, items, progress("finding mentions"), sources=sources)
    except SyncError as exc:
        _fail(exc.problems + ["sync aborted: the store was not changed"])
    except SchemaError as exc:
        _fail(f"{exc}\nsync aborted: the store was not changed")
    except SQLAlchemyError as exc:
        _fail(f"{_database_error(store, exc)}\nsync aborted: the store was not changed")
    for line in changes.lines():
        click.echo(line)
    click.echo(f"synced {len(glossary)} terms and {len(items)} articles: {changes.summary()}")


@click.command("annotate")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="bold, first or all (default: the article's front matter 'annotate:', else "
                   f"{default_text('GLOSSARY_DEFAULT_MODE')}).")
@click.option("--max-links", type=click.IntRange(0), default=None,
              help="Most links per term, one per section; 0: no limit (default: the front matter's "
                   f"'max_links:', else {default_text('GLOSSARY_MAX_LINKS_PER_TERM')}).")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The article's date, YYYY-MM-DD: definitions as they were then (default: the front matter's "
                   "'date:', else the current definitions).")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html")
@terms_option
def annotate_command(file, mode, max_links, day, fmt, terms):
    """Print FILE.md rendered and annotated, as HTML or as the Annotation's JSON."""
    try:
        glossary = load_glossary(_setting(terms, "GLOSSARY_TERMS"))
    except GlossaryError as exc:
        _fail([str(p) for p in exc.problems])
    try:
        article = read_article(file)
        settings = annotation_settings(mode or article.mode, article.max_links if max_links is None else max_links,
                                       current_app.config)
        on = day.date() if day else article_day(article.meta.get("date"))
        result = annotate_markdown(article.body, glossary, **settings, date=on,
                                   link_prefix=current_app.config["GLOSSARY_LINK_PREFIX"])
    except NestingError as exc:  # a ValueError that does not name the file
        _fail(f"{file}: {exc}")
    except (ArticleError, FrontMatterError, ValueError) as exc:
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
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--terms", "terms", type=click.Path(dir_okay=False, exists=True), default=None,
              help="terms.yaml to follow: edits are synced into the store and served "
                   "(default: $GLOSSARY_TERMS if set, else none).")
@click.option("--articles", type=click.Path(file_okay=False, exists=True), default=None,
              help="Sync this folder of .md articles (and the terms file) into the store before serving.")
@click.option("--replace", is_flag=True,
              help="Let the terms file (and articles) replace a store whose content was synced from others "
                   "(as $GLOSSARY_REPLACE_STORE=1 does).")
@database_url_option
def serve_command(host, port, terms, articles, replace, database_url):
    """Serve the site (development server; use gunicorn in production)."""
    # Flask ignores app.run() inside its own CLI, so start Werkzeug directly.
    from sqlalchemy.engine import make_url
    from werkzeug.serving import make_server

    from ..web.app import use_store

    app = current_app._get_current_object()
    if articles and not (terms or os.environ.get("GLOSSARY_TERMS")):
        # Syncing ./terms.yaml only because it lies here is what a server must never do.
        _fail("--articles syncs a terms file too: name it with --terms FILE (or $GLOSSARY_TERMS)")
    url = database_url or app.config["GLOSSARY_DATABASE_URL"]
    store = _open_store(url)  # fails with a message, not a traceback
    if terms:
        app.config.update(GLOSSARY_TERMS=terms, GLOSSARY_FOLLOW_TERMS=True)
    if replace:
        app.config["GLOSSARY_REPLACE_STORE"] = True
    try:
        # Bound before a word is said or the store is touched: a busy port
        # fails here, not after "serving" or a sync.
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    if articles:
        try:
            _sync_before_serving(store, Path(terms or app.config["GLOSSARY_TERMS"]), Path(articles), replace)
        except BaseException:
            server.server_close()
            raise
    use_store(app, url)
    live = app.extensions["glossary"].live
    click.echo(f"store: {make_url(url).render_as_string(hide_password=True)}")
    if live.terms is not None:
        click.echo(f"following terms file {live.terms.path}"
                   + (" (may replace the store's glossary)" if replace else ""))
    else:
        click.echo("following no terms file: serving the store as synced "
                   "(--terms FILE or $GLOSSARY_TERMS to follow one)")
    click.echo(f"serving on http://{host}:{server.server_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _sync_before_serving(store, terms: Path, articles: Path, replace: bool) -> None:
    """Sync `terms` and `articles` into `store` first, unless the store's content came from others."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store.ensure_schema()
        recorded, version = store.sources(), store.glossary_version()
    except SchemaError as exc:
        _fail(str(exc))
    except SQLAlchemyError as exc:
        _fail(_database_error(store, exc))
    if not replace:
        for kind, path, owner in (("terms file", terms, recorded.terms),
                                  ("articles folder", articles, recorded.articles)):
            if foreign_source(owner, str(path.resolve()), store_empty=version is None):
                where = f"from {owner}" if owner else "from sources it did not record"
                _fail(f"{path}: not synced over the store: its content was synced {where}. Serve it without "
                      f"--articles, run `glossary sync` to change its {kind}, or add --replace")
    _sync(store, terms, articles)


@click.group("db")
def db_group():
    """Manage the store's schema (Alembic migrations)."""


@db_group.command("upgrade")
@with_appcontext
@database_url_option
def db_upgrade_command(database_url):
    """Migrate the store's schema to the version this glossary needs."""
    from sqlalchemy.exc import SQLAlchemyError

    store = _open_store(database_url)
    try:
        before, _ = store.revision()
        after = store.upgrade()
    except SQLAlchemyError as exc:
        _fail(_database_error(store, exc))
    click.echo(f"schema at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db_group.command("status")
@with_appcontext
@database_url_option
def db_status_command(database_url):
    """Print the store's schema revision; exit 1 when it needs `glossary db upgrade`."""
    from sqlalchemy.exc import SQLAlchemyError

    store = _open_store(database_url)
    try:
        at, wanted = store.revision()
    except SQLAlchemyError as exc:
        _fail(_database_error(store, exc))
    if at != wanted:
        _fail(f"schema at revision {at or 'none'}, needs {wanted}: run `glossary db upgrade`")
    click.echo(f"schema at revision {at} (up to date)")


articles_argument = click.argument("articles", nargs=-1, type=click.Path())


def _articles(paths) -> list:
    """Read the articles at `paths` (default: the configured folder), or fail listing every unreadable one."""
    found, problems = read_articles(paths or [current_app.config["GLOSSARY_ARTICLES"]], progress("reading articles"))
    if problems:
        _fail(problems + [f"{len(problems)} article(s) cannot be read: nothing done"])
    return found


def _terms_file(path: Path, missing_ok: bool = False) -> tuple[bytes | None, Glossary]:
    """Return the bytes and the glossary of a terms file, or fail with its problems."""
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None, Glossary([])
        _fail(f"{path}:1: cannot read file: no such file")
    except OSError as exc:
        _fail(f"{path}:1: cannot read file: {exc.strerror}")
    try:
        return original, parse_glossary(original, str(path))
    except GlossaryError as exc:
        _fail([str(p) for p in exc.problems] + [f"{path}: fix these first: nothing done"])


def _add_terms(path: Path, original: bytes | None, entries: list[NewEntry]) -> None:
    """Append `entries` to the terms file (creating it if `original` is None), or fail naming why."""
    try:
        text = new_file(entries) if original is None else append_terms(original.decode("utf-8"), entries, str(path))
        save(path, text, original)
    except EditError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{path}: cannot write: {exc.strerror}")


@click.command("harvest")
@with_appcontext
@articles_argument
@terms_option
@click.option("--write", is_flag=True,
              help="Append the entries to terms.yaml; what is already there stays byte for byte.")
def harvest_command(articles, terms, write):
    """Turn inline glosses **X**（Y: Z） that are not yet terms into terms.yaml entries.

    ARTICLES are .md files or folders (default: $GLOSSARY_ARTICLES, else articles).  The
    entries go to stdout, ready to paste under `terms:`; glosses that
    disagree with a stored term's en or definition go to stderr.
    """
    path = Path(_setting(terms, "GLOSSARY_TERMS"))
    original, glossary = _terms_file(path, missing_ok=True)
    result = harvest(glossary, _articles(articles), progress("harvesting"))
    entries = [p.entry() for p in result.proposals]
    for finding in result.findings:
        click.echo(str(finding), err=True)
    if write:
        if entries:
            _add_terms(path, original, entries)
        click.echo(f"added {len(entries)} term(s) to {path}")
    elif entries:
        layout = layout_of(original.decode("utf-8")) if original else None
        click.echo(render_entries(entries, layout) if layout else new_file(entries), nl=False)
    click.echo(result.summary(), err=True)


@click.command("lint", help=(
    "Report how articles and terms.yaml fit together: bolded phrases that are not terms (most bolded first), "
    "terms no article uses, terms an article mentions but never bolds, and spellings that shadow another term."
    f"\n\nARTICLES are .md files or folders (default: {default_text('GLOSSARY_ARTICLES')}).\n\n" + SHADOW_HELP
))
@with_appcontext
@articles_argument
@terms_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Also report forms listed for other regions than an article's; exit 1 "
                                           "on any warning (bold phrases that are not terms, deprecated or regional "
                                           "forms, shadows not in lint.ignore).")
def lint_command(articles, terms, fmt, strict):
    """Report bold phrases that are not terms, unused terms, unbolded mentions and shadowing spellings."""
    path = Path(_setting(terms, "GLOSSARY_TERMS"))
    original, glossary = _terms_file(path)
    found = _articles(articles)
    report = lint(glossary, [(a.source_path, a.body, a.body_line, a.lang) for a in found], progress("linting"),
                  strict=strict, ignore=lint_ignore(original.decode("utf-8")))
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report.lines()))
    if strict and report.warnings():
        sys.exit(1)


@click.command("review")
@with_appcontext
@articles_argument
@terms_option
@click.option("--older-than", "older_than", type=click.IntRange(0), default=DEFAULT_OLDER_THAN, show_default=True,
              help="Days after which a definition's as_of is due for checking again.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def review_command(articles, terms, older_than, fmt):
    """List the terms to check again: no as_of, or as_of older than DAYS; oldest first, with the articles using each.

    ARTICLES are .md files or folders (default: $GLOSSARY_ARTICLES, else articles); drafts are not counted.
    Always exits 0: what is due is a to-do list, not a failure.
    """
    from datetime import date

    path = Path(_setting(terms, "GLOSSARY_TERMS"))
    _, glossary = _terms_file(path)
    found = [a for a in _articles(articles) if not a.draft]
    due = review(glossary, [a.body for a in found], date.today(), older_than, progress("reviewing"))
    if fmt == "json":
        click.echo(json.dumps({"older_than": older_than, "today": date.today().isoformat(),
                               "terms": [d.to_dict() for d in due]}, ensure_ascii=False, indent=2))
        return
    for entry in due:
        click.echo(entry.line())
    click.echo(f"{len(due)} of {len(glossary)} terms to check again (no as_of, or as_of more than {older_than} "
               "days ago)")


@click.command("export")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(EXPORTS), required=True,
              help="json, csv, tbx (TBX-Basic), skos (Turtle) or skos-jsonld (JSON-LD).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write (default: stdout).")
@click.option("--base-uri", default=DEFAULT_BASE, show_default=True,
              help="SKOS: prefix of each concept's URI, e.g. https://example.com/terms/.")
@terms_option
def export_command(fmt, output, base_uri, terms):
    """Write the glossary of terms.yaml as JSON, CSV, TBX or SKOS."""
    path = Path(_setting(terms, "GLOSSARY_TERMS"))
    _, glossary = _terms_file(path)
    try:
        text = export_glossary(glossary, fmt, base_uri)
    except ValueError as exc:
        _fail(str(exc))
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror}")
    click.echo(f"wrote {len(glossary)} terms to {output}", err=True)


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(IMPORTS), default=None, help="Default: from FILE's extension.")
@click.option("--merge", "merging", is_flag=True,
              help="Add the new terms to an existing terms.yaml; report conflicts, keep every kept term as it is.")
@terms_option
def import_command(file, fmt, merging, terms):
    """Create terms.yaml from a JSON or CSV glossary, or with --merge add its new terms.

    An existing terms.yaml is never replaced.  With --merge, a term whose id
    or spelling is already taken is reported as a conflict and left out;
    the exit status is then 1.
    """
    path = Path(_setting(terms, "GLOSSARY_TERMS"))
    # Read first when merging: the new terms' see_also may name the kept ones.
    original, existing = _terms_file(path, missing_ok=True) if merging else (None, Glossary([]))
    try:
        incoming = import_glossary(Path(file).read_bytes(), file, import_format(file, fmt), set(existing.by_id))
    except GlossaryError as exc:
        _fail([str(p) for p in exc.problems])
    except ValueError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{file}:1: cannot read file: {exc.strerror}")
    if not merging:
        if path.exists():
            _fail(f"{path} exists and is never replaced: use --merge to add the new terms")
        _add_terms(path, None, [NewEntry(t) for t in incoming])
        click.echo(f"wrote {len(incoming)} terms to {path}")
        return
    result = merge(existing, incoming)
    entries = [NewEntry(t, f"imported from {file}" if i == 0 else None) for i, t in enumerate(result.added)]
    if entries:
        _add_terms(path, original, entries)
    for conflict in result.conflicts:
        click.echo(f"{file}: {conflict}", err=True)
    click.echo(f"{path}: {result.summary()}")
    if result.conflicts:
        sys.exit(1)


def _open_store(url: str | None):
    """Return the store at `url` (None: the configured one), or fail naming a URL it cannot use."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from ..store import Store

    url = url or current_app.config["GLOSSARY_DATABASE_URL"]
    store = Store(url)
    try:
        store.engine  # noqa: B018 (connect now, to fail with a message)
    except (ArgumentError, NoSuchModuleError, ImportError, OSError) as exc:
        _fail(f"bad database URL {url!r}: {exc}")
    return store


def _database_error(store, exc) -> str:
    """Return the message for a database error `exc` met in `store`."""
    return f"database error at {store.engine.url!r}: {getattr(exc, 'orig', None) or exc}"


def register(app) -> None:
    """Add the commands to `app.cli`."""
    for command in (check_command, sync_command, annotate_command, serve_command, db_group, harvest_command,
                    lint_command, review_command, export_command, import_command):
        app.cli.add_command(command)


def create_app(config: dict | None = None):
    """Create the app (web.app.create_app) with the `glossary` command's subcommands on its `app.cli`.

    `flask --app glossary ...` then offers the same commands as `glossary ...`.
    """
    from ..web.app import create_app as create_web_app

    app = create_web_app(config)
    register(app)
    return app


def _create_app():
    try:
        return create_app()
    except SettingError as exc:
        _fail(f"{exc} (a GLOSSARY_* setting in the environment)")


class _GlossaryGroup(FlaskGroup):
    """The `glossary` command: Flask's loading of the app and its commands, without Flask's own options."""

    # -e/--env-file, -A/--app and --debug choose an app, which `glossary`
    # never does; `flask --app glossary ...` keeps them.
    FLASK_OPTIONS = frozenset({"env_file", "app", "debug"})

    def __init__(self, **extra):
        super().__init__(**extra)
        self.params = [p for p in self.params if p.name not in self.FLASK_OPTIONS]


main = _GlossaryGroup(create_app=_create_app, add_version_option=False, add_default_commands=False,
                      help="Glossary tools: check, sync, annotate, serve; harvest, lint, export, import.")
