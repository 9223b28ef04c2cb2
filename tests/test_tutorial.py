"""The tutorial and the how-to run as written: every command, every example, every output.

Each page in ``PAGES`` is read top to bottom in a fresh temporary directory
that holds a copy of ``data/`` (the reader works in a checkout):

- a fenced block with a ``title="PATH"`` (```` ```yaml title="my-universe/lore.yaml" ````)
  is a file the reader writes: it is written to ``PATH``;
- a ```` ```console ```` block holds ``$ lorekit ...`` lines, each followed by what
  it prints (standard output, then standard error). The command runs through
  the installed entry point and its output must match exactly, except that a
  ``...`` stands for any text (doctest's ELLIPSIS);
- a ```` ```pycon ```` block is a doctest; all the blocks of a page share one
  namespace, so later examples use the names earlier ones defined;
- a ```` ```sh ```` block is installation, which the README's set-up command
  (run by CI) covers, and is not run here.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = ["tutorial.md", "your-universe.md", "story-time.md"]
LOREKIT = Path(sys.executable).with_name("lorekit")
FLAGS = doctest.ELLIPSIS

_FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r'title="([^"]+)"')


@dataclass(frozen=True)
class Block:
    lang: str
    title: str | None
    body: str
    line: int


def blocks(page: str) -> list[Block]:
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        title = _TITLE.search(match.group(2))
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(match.group(1), title and title.group(1), match.group(3), line))
    return found


def commands(body: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            assert pairs, f"output before any command: {line!r}"
            pairs[-1][1].append(line)
    return [(command, "".join(f"{out}\n" for out in lines)) for command, lines in pairs]


def run(command: str, cwd: Path) -> str:
    argv = shlex.split(command, comments=True)
    assert argv[0] == "lorekit", f"only lorekit commands are run: {command!r}"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [str(LOREKIT), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_as_written(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    parser = doctest.DocTestParser()
    globs: dict[str, object] = {}
    ran = 0
    for block in blocks(page):
        where = f"docs/{page}:{block.line}"
        if block.title is not None:
            target = tmp_path / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.lang == "console":
            for command, want in commands(block.body):
                got = run(command, tmp_path)
                if not checker.check_output(want, got, FLAGS):
                    diff = checker.output_difference(doctest.Example(command, want), got, FLAGS)
                    pytest.fail(f"{where}: $ {command}\n{diff}")
                ran += 1
        elif block.lang == "pycon":
            test = parser.get_doctest(block.body, globs, where, str(DOCS / page), block.line)
            report: list[str] = []
            runner = doctest.DocTestRunner(optionflags=FLAGS)
            result = runner.run(test, out=report.append, clear_globs=False)
            assert result.failed == 0, "".join(report)
            globs = test.globs  # a DocTest works on a copy; carry its names forward
            ran += result.attempted
    assert ran > 0


@pytest.mark.parametrize("page", PAGES)
def test_only_known_block_kinds(page: str) -> None:
    for block in blocks(page):
        assert block.title is not None or block.lang in {"console", "pycon", "sh"}, (
            f"docs/{page}:{block.line}: a ```{block.lang} block is neither run nor written"
        )
