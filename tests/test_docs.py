"""The docs keep up with the code: every command documented, the schema copy current."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

import lorekit
from lorekit._cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_every_cli_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `lorekit (\w+)", text, flags=re.MULTILINE))
    assert documented == set(main.commands)


def test_schema_copy_in_docs_is_current() -> None:
    copy = json.loads((ROOT / "docs" / "lorekit-data.schema.json").read_text(encoding="utf-8"))
    assert copy == lorekit.data_file_schema(), (
        "run: lorekit schema -o docs/lorekit-data.schema.json"
    )


def test_data_files_point_at_the_schema() -> None:
    for path in (ROOT / "data").glob("*/*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../docs/lorekit-data.schema.json"


def test_readme_gives_the_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    main_job, test_suite = blocks[0], blocks[1]
    assert "lorekit validate" in main_job and "pip install ." in main_job
    assert "python -m pytest" in test_suite
    # .ci/run finds the test command by the comment that heads it in the README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    marker = re.search(r"\^(# set up, then run the whole test suite)", ci)
    assert marker is not None
    assert test_suite.startswith(marker.group(1))


def test_readme_is_short_and_points_at_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # the benchmark summary (issue 8 asks for it in the README) is one line per stage
    prose = readme[: readme.index("## Benchmarks")]
    assert len(prose.splitlines()) < 60
    assert len(readme.splitlines()) < len(prose.splitlines()) + 45
    assert "](docs/index.md)" in readme and "](docs/screenshot.png)" in readme
    assert "mkdocs serve" in readme


def test_every_page_is_in_the_site_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def walk(item: object) -> Iterator[str]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, list):
            for child in item:
                yield from walk(child)
        elif isinstance(item, dict):
            for child in item.values():
                yield from walk(child)

    nav = set(walk(config["nav"]))
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    generated = {"reference/entities.md", "reference/relations.md", "reference/ontology.md"}
    generated |= {"reference/cli.md", "reference/api.md"}
    assert pages | generated == nav


def test_every_picture_is_shown_somewhere() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    for picture in (ROOT / "docs" / "img").iterdir():
        assert f"](img/{picture.name})" in text, f"docs/img/{picture.name} is not used"
