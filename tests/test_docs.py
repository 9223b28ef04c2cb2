"""The docs keep up with the code: every command documented, the schema copy current."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
