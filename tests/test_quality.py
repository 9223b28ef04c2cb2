"""Lint and types run with the tests: ruff (check and format) and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


CODE = [d for d in ("src", "tests", "bench", "docs") if (ROOT / d).is_dir()]


@pytest.mark.parametrize(
    "command", [("check",), ("format", "--check")], ids=["ruff-check", "ruff-format"]
)
def test_ruff(command: tuple[str, ...]) -> None:
    result = _run("ruff", *command, *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
