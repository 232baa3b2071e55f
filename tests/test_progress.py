"""Long runs draw a progress bar on a terminal and stay quiet otherwise."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from conftest import TERMS_YAML

SCRIPT = Path(sys.executable).parent / "glossary"


@pytest.fixture
def many(tmp_path):
    (tmp_path / "terms.yaml").write_text(TERMS_YAML, encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(40):
        (articles / f"a{n:02}.md").write_text(f"第{n}篇提到**二级制裁**和**弹性外交{n}**（Flexible {n}: 说法{n}）。\n",
                                              encoding="utf-8")
    env = {**os.environ, "GLOSSARY_TERMS": str(tmp_path / "terms.yaml"), "GLOSSARY_ARTICLES": str(articles),
           "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"}
    env.pop("TQDM_DISABLE", None)
    return {"env": env, "cwd": tmp_path}


@pytest.mark.parametrize("command", [["lint"], ["harvest"], ["sync"]])
def test_output_that_is_not_a_terminal_has_no_progress_noise(many, command):
    result = subprocess.run([SCRIPT, *command], capture_output=True, text=True, env=many["env"], cwd=many["cwd"],
                            check=False)
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\r" not in stream
        assert "%|" not in stream and "articles/s" not in stream


@pytest.mark.parametrize("command", [["lint"], ["harvest"], ["sync"]])
def test_a_terminal_gets_a_progress_bar_on_stderr(many, command):
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        process = subprocess.Popen([SCRIPT, *command], stdout=subprocess.PIPE, stderr=terminal, env=many["env"],
                                   cwd=many["cwd"])
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            drawn += chunk
        stdout = process.stdout.read()
        assert process.wait() == 0
    finally:
        os.close(controller)
    text = drawn.decode("utf-8", "replace")
    assert "\r" in text and "%|" in text
    assert "40/40" in text or "/40" in text
    assert b"%|" not in stdout  # stdout stays clean for piping
