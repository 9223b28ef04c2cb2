"""Every broken data file in tests/broken/ must fail to load with exact locations and messages.

Each case file opens with comment lines that state what the loader must report::

    # case: one sentence on what is wrong
    # class: UnknownEntityError          (optional: the exact class of every error)
    # expect: LINE: MESSAGE               (one per error, in file and line order)

``LINE`` is the 1-based line the error must name and ``MESSAGE`` the exact text
after ``file:line: ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import lorekit
from lorekit._cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path("tests") / "broken"
"""The corpus, relative to the repository root: messages that quote a file name
(``already defined at tests/broken/x.yaml:8``) depend on the path as passed."""

_HEADER = re.compile(r"^# (case|class|expect): (.*)$")
_EXPECT = re.compile(r"^(\d+): (.+)$")


@dataclass(frozen=True)
class Case:
    path: Path
    summary: str
    error_class: type[lorekit.LoreError] | None
    expected: list[tuple[int, str]]

    @property
    def stem(self) -> str:
        return self.path.stem


def _parse(path: Path) -> Case:
    """Read the header comments of one case file."""
    fields: dict[str, list[str]] = {"case": [], "class": [], "expect": []}
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    for line in lines:
        match = _HEADER.match(line)
        if match is None:
            break
        fields[match[1]].append(match[2])
    assert lines and lines[0].startswith("# case: "), f"{path}: first line must be '# case: ...'"
    assert fields["expect"], f"{path}: no '# expect: LINE: MESSAGE' lines"
    expected = []
    for text in fields["expect"]:
        match = _EXPECT.match(text)
        assert match is not None, f"{path}: malformed expect line {text!r}"
        expected.append((int(match[1]), match[2]))
    error_class = None
    if fields["class"]:
        error_class = getattr(lorekit, fields["class"][0])
        assert issubclass(error_class, lorekit.LoreError)
    return Case(
        path=path,
        summary=fields["case"][0],
        error_class=error_class,
        expected=expected,
    )


CASES = [_parse(p.relative_to(ROOT)) for p in sorted((ROOT / BROKEN).glob("*.yaml"))]
BY_NAME = {case.stem: case for case in CASES}


def _param(case: Case) -> object:
    return pytest.param(case, id=case.stem)


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_broken_file_reports_exact_errors(case: Case) -> None:
    if case.stem.startswith("yaml-") and not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("syntax messages are those of libyaml; pure-Python PyYAML words them apart")
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(case.path)
    errors = info.value.errors
    got = [(e.file, e.line, e.message) for e in errors]
    want = [(str(case.path), line, message) for line, message in case.expected]
    assert got == want
    if case.error_class is not None:
        assert [type(e) for e in errors] == [case.error_class] * len(errors)


def test_all_errors_of_a_file_come_in_one_load_error() -> None:
    case = BY_NAME["two-mistakes"]
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(case.path)
    kinds = [type(e) for e in info.value.errors]
    assert kinds == [lorekit.SchemaError, lorekit.UnknownEntityError]
    assert str(info.value).splitlines()[0] == "2 errors in the data:"


def test_suggestions_are_kept_on_unknown_entity_errors() -> None:
    case = BY_NAME["unknown-id-in-statement"]
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(case.path)
    (error,) = info.value.errors
    assert isinstance(error, lorekit.UnknownEntityError)
    assert error.value == "eve-macaro"
    assert error.suggestions == ["eve-macarro"]


@pytest.mark.parametrize(
    "name", ["duplicate-key", "record-is-a-string", "two-mistakes", "range-violation", "bad-date"]
)
def test_cli_validate_prints_file_line_message(name: str) -> None:
    case = BY_NAME[name]
    result = CliRunner().invoke(main, ["validate", "--data", str(case.path)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""
    n = len(case.expected)
    assert result.stderr.splitlines() == [
        *(f"{case.path}:{line}: {message}" for line, message in case.expected),
        f"{n} error{'s' if n != 1 else ''}; nothing was loaded.",
    ]
