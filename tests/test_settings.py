"""Every setting is declared once (glossary/config.py); the README, the code and the CLI agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from glossary import cli
from glossary.config import (
    DEFAULTS,
    INTERNAL,
    SETTINGS,
    TABLE_END,
    TABLE_START,
    SettingError,
    default_text,
    markdown_table,
    settings,
)

ROOT = Path(__file__).resolve().parents[1]
NAMES = {s.name for s in SETTINGS}


def _code_names() -> dict[str, set[str]]:
    """Return {GLOSSARY_* name: files} for every name the package's code mentions outside config.py."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "glossary").rglob("*.py"):
        if path.name == "config.py":
            continue
        for name in re.findall(r"\bGLOSSARY_[A-Z_]+\b", path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_readme_configuration_table_is_the_one_written_from_the_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TABLE_START + markdown_table() + TABLE_END in readme, "run `make settings-table`"


def test_readme_documents_every_setting_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index(TABLE_START):readme.index(TABLE_END)]
    assert set(re.findall(r"^\| `(GLOSSARY_[A-Z_]+)`", table, re.MULTILINE)) == NAMES


def test_every_glossary_variable_the_code_reads_is_a_declared_setting_or_internal():
    # GLOSSARY_NAME in web/views.py is the site's name, not a variable.
    unknown = {name: files for name, files in _code_names().items()
               if name not in NAMES | INTERNAL | {"GLOSSARY_NAME"}}
    assert unknown == {}


def test_every_declared_setting_is_used_by_the_code():
    assert NAMES - set(_code_names()) == set()


def test_internal_keys_are_not_settings():
    assert INTERNAL.isdisjoint(NAMES)
    assert INTERNAL.isdisjoint(settings(environ={name: "1" for name in INTERNAL}))


def test_defaults_come_from_the_declarations():
    assert {s.name: s.default for s in SETTINGS} == DEFAULTS
    assert all(isinstance(s.default, s.type) or s.default is None for s in SETTINGS)


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.type in (int, float)], ids=lambda s: s.name)
def test_a_number_setting_that_is_not_a_number_is_refused_naming_it(setting):
    with pytest.raises(SettingError, match=rf"^{setting.name}='many': must be a"):
        settings(environ={setting.name: "many"})


def test_a_number_setting_given_as_text_in_the_app_config_is_read_as_a_number():
    assert settings({"GLOSSARY_PAGE_CACHE_SIZE": "7"}, environ={})["GLOSSARY_PAGE_CACHE_SIZE"] == 7


@pytest.mark.parametrize(("text", "expected"), [("0", False), ("off", False), (" No ", False), ("", False),
                                                ("1", True), ("yes", True), ("anything", True)])
def test_a_yes_no_setting_is_read_as_a_bool(text, expected):
    assert settings(environ={"GLOSSARY_TRUST_ARTICLE_HTML": text})["GLOSSARY_TRUST_ARTICLE_HTML"] is expected


def _commands() -> dict[str, click.Command]:
    found = {}
    for command in (cli.check_command, cli.sync_command, cli.annotate_command, cli.serve_command, cli.db_group,
                    cli.harvest_command, cli.lint_command, cli.export_command, cli.import_command):
        found[command.name] = command
        for sub in getattr(command, "commands", {}).values():
            found[f"{command.name} {sub.name}"] = sub
    return found


def _help(flag: str) -> str:
    command_name, _, name = flag.rpartition(" ")
    command = _commands()[command_name]
    if name.isupper():  # an argument: the command's help speaks of it
        assert name in command.help
        return command.help
    (option,) = [p for p in command.params if name in getattr(p, "opts", ())]
    return option.help


FLAGS = [(s.name, flag) for s in SETTINGS for flag in s.flags]
# A server follows no terms file unless told one; --replace is a switch that sets its setting.
NOT_FALLING_BACK = {"serve --terms", "serve --replace"}


@pytest.mark.parametrize(("name", "flag"), FLAGS, ids=[f"{n}:{f}" for n, f in FLAGS])
def test_a_cli_flag_that_sets_a_setting_names_it_and_its_default(name, flag):
    text = " ".join(_help(flag).split())
    assert f"${name}" in text
    if flag not in NOT_FALLING_BACK:  # it states the default it falls back to, as declared
        assert default_text(name) in text


def test_every_cli_flag_whose_help_names_a_setting_is_declared_with_it():
    declared = {(name, flag) for name, flag in FLAGS}
    named = set()
    for command_name, command in _commands().items():
        for param in command.params:
            for name in re.findall(r"\$(GLOSSARY_[A-Z_]+)", getattr(param, "help", None) or ""):
                named.add((name, f"{command_name} {param.opts[0] if param.opts[0].startswith('-') else ''}"))
        for name in re.findall(r"\$(GLOSSARY_[A-Z_]+)", command.help or ""):
            for argument in (p for p in command.params if isinstance(p, click.Argument)):
                named.add((name, f"{command_name} {argument.human_readable_name}"))
    assert named <= declared
