"""The documentation site builds offline with ``mkdocs build --strict``, references included."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lorekit._cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "index.html",
    "tutorial.html",
    "your-universe.html",
    "data-format.html",
    "cli.html",
    "reference/entities.html",
    "reference/relations.html",
    "reference/ontology.html",
    "reference/cli.html",
    "reference/api.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_is_built(site: Path, page: str) -> None:
    assert (site / page).is_file()


def test_no_remote_stylesheet_script_or_font(site: Path) -> None:
    remote = re.compile(
        r"<(?:link|script)\b[^>]*\b(?:href|src)=[\"']?(?:https?:)?//"
        r"|@import\s+url\([\"']?(?:https?:)?//|fonts\.googleapis",
        re.IGNORECASE,
    )
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            hit = remote.search(path.read_text(encoding="utf-8", errors="replace"))
            assert hit is None, f"{path.relative_to(site)} loads {hit.group(0)!r}"


def test_every_command_is_in_the_generated_reference(site: Path) -> None:
    html = (site / "reference" / "cli.html").read_text(encoding="utf-8")
    for name in main.commands:
        assert f'id="lorekit-{name}"' in html, f"lorekit {name} is missing from the reference"
        assert f"Usage: lorekit {name}" in html


def test_every_relation_kind_is_in_the_generated_reference(site: Path) -> None:
    import lorekit

    html = (site / "reference" / "relations.html").read_text(encoding="utf-8")
    for name in lorekit.RELATIONS:
        assert f'id="{name}"' in html


def test_api_reference_documents_the_public_names(site: Path) -> None:
    html = (site / "reference" / "api.html").read_text(encoding="utf-8")
    for name in ("load", "LoreGraph", "Statement", "serialize_rdf", "LoreError"):
        assert f'id="lorekit.{name}"' in html


def test_pictures_the_docs_show_exist(site: Path) -> None:
    for picture in ("screenshot.png", "graph.png", "eve.png", "as-of-chapter-3.png"):
        built = site / picture if picture == "screenshot.png" else site / "img" / picture
        assert built.is_file() and built.stat().st_size > 10_000, picture
    assert (site / "img" / "timeline.svg").is_file()


def test_timeline_figure_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "timeline_figure", ROOT / "scripts" / "timeline_figure.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import lorekit

    committed = (ROOT / "docs" / "img" / "timeline.svg").read_text(encoding="utf-8")
    assert committed == module.figure(lorekit.load()), "run: python scripts/timeline_figure.py"
