"""A plain ``pip install`` of the wheel works with no clone: the data ships inside."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [built] = out.glob("lorekit-*.whl")
    return built


def test_wheel_holds_code_data_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data_files = sorted(p for p in (ROOT / "data" / "john-wick").glob("*.yaml"))
    assert data_files
    for path in data_files:
        assert f"lorekit/data/john-wick/{path.name}" in names
    assert "lorekit/py.typed" in names
    queries = sorted(p.name for p in (ROOT / "queries").glob("*.rq"))
    assert queries and all(f"lorekit/queries/{q}" in names for q in queries)
    assert "lorekit/_cli/__init__.py" in names
    assert any(n.startswith("lorekit/_views/page/assets/") and n.endswith(".js") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_runs_without_the_clone(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    code = (
        "import lorekit\n"
        "lore = lorekit.load()\n"
        "print(lorekit.__file__)\n"
        "print(lorekit.bundled_data_path())\n"
        "print(lore.path('Eve Macarro', 'John Wick'))\n"
        "from lorekit._views.sparql.engine import SparqlQuery, run_query\n"
        "rows = run_query(lore, SparqlQuery.from_file('faction-members')).records()\n"
        "print(len(rows))\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    module_file, data_path, path_text, members = result.stdout.splitlines()
    assert int(members) >= 4
    assert module_file.startswith(str(target))
    assert data_path.startswith(str(target))
    assert path_text == "Eve Macarro —member of→ Ruska Roma —has member→ John Wick"
