"""Lint and types run with the tests: ruff (check and format) and mypy --strict."""

from __future__ import annotations

import os
import re
import shutil
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


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_imports_flow_one_way() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "back_arrow"),
    [
        ("_core/names.py", "from lorekit._graph import graph"),  # the core reaching up
        ("_graph/timeline.py", "from lorekit._views import link"),  # a view from the graph
        ("_load/schema.py", "import rdflib"),  # loading pulling in RDF
        ("_load/cache.py", "import networkx"),  # the warm path pulling in networkx
    ],
)
def test_a_back_arrow_breaks_the_contract(tmp_path: Path, module: str, back_arrow: str) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "src" / "lorekit" / module
    target.write_text(target.read_text() + f"\n\ndef _late() -> None:\n    {back_arrow}\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    importer = "lorekit." + module.removesuffix(".py").replace("/", ".")
    assert re.search(rf"^-\s+{re.escape(importer)} -> ", result.stdout, re.M), result.stdout
