"""The ``lorekit`` command, end to end through the installed entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE is not None, "the lorekit console script is not installed"
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_validate_bundled_data() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: The World of John Wick: 41 entities")


def test_validate_reports_every_error_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "universe: {id: bad, name: Bad}\n"
        "characters:\n"
        "  - id: eve\n"
        "    name: Eve\n"
        "    first_appearance: nowhere\n"
        "statements:\n"
        "  - subject: eve\n"
        "    predicate: memberof\n"
        "    object: eve\n"
        "    sources: [eve]\n",
        encoding="utf-8",
    )
    result = run("validate", "--data", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{bad}:5: character 'eve': unknown id 'nowhere' in first_appearance"
    assert lines[1].startswith(f"{bad}:8: statement 'eve memberof eve': unknown predicate ")
    assert "did you mean 'member_of'" in lines[1]
    assert lines[-1] == "2 errors; nothing was loaded."
    assert result.stdout == ""


def test_missing_data_path_is_a_clean_error(tmp_path: Path) -> None:
    result = run("info", "--data", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope'}: no such file or directory")


def test_info_json_counts() -> None:
    result = run("info", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["universe"]["id"] == "john-wick"
    assert data["entities"]["character"] == 9
    assert sum(data["entities"].values()) == 41
    assert set(data["statements"]) == {"lore", "production", "reception"}
    assert data["notes"]["reception"] == 7


def test_info_table() -> None:
    result = run("info")
    assert result.returncode == 0
    assert "The World of John Wick" in result.stdout
    assert "│ character │     9 │" in result.stdout
    assert "│ reception  │          1 │     7 │" in result.stdout


def test_show_entity_by_alias() -> None:
    result = run("show", "eve")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "Eve Macarro  character · eve-macarro"
    assert "first appearance: Ballerina" in out
    assert "Ruska Roma (faction)" in out
    assert "Screen Scribe review of Ballerina ¶1, ¶4, ¶6" in out
    assert "Eve is emotionally flat" in out  # the critic's note, marked reception
    assert "│ reception │ Eve is emotionally flat" in out


def test_show_json() -> None:
    result = run("show", "Kikimora", "--json")
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "kikimora" and data["entity"]["kind"] == "faction"
    rel = {(r["label"], r["other"]["id"]) for r in data["relations"]}
    assert ("part of", "ruska-roma") in rel and ("has member", "eve-macarro-father") in rel
    assert {n["id"] for n in data["notes"]} == {"kikimora-underused"}


def test_unknown_entity_is_a_clean_error() -> None:
    result = run("show", "Eve Macaro")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: no entity is called 'Eve Macaro' "
        "(did you mean 'eve-macarro' or 'eve-macarro-father'?)"
    )


def test_relations_json_carries_statements() -> None:
    result = run("relations", "Eve Macarro", "--json", "--layer", "production")
    data = json.loads(result.stdout)
    assert data["entity"] == {"id": "eve-macarro", "name": "Eve Macarro", "kind": "character"}
    plays = [r for r in data["relations"] if r["predicate"] == "portrayed_by"]
    assert plays == [
        {
            "label": "portrayed by",
            "other": {"id": "ana-de-armas", "name": "Ana de Armas", "kind": "person"},
            "subject": "eve-macarro",
            "predicate": "portrayed_by",
            "object": "ana-de-armas",
            "sources": [
                {"source": "screen-scribe-ballerina", "locator": "¶1"},
                {"source": "screen-scribe-ballerina", "locator": "¶4"},
                {"source": "screen-scribe-ballerina", "locator": "¶6"},
            ],
            "layer": "production",
            "revealed_in": "ballerina",
            "note": "lead role",
        }
    ]
    assert {r["layer"] for r in data["relations"]} == {"production"}


def test_relations_predicate_filter_table() -> None:
    result = run("relations", "ruska-roma", "--predicate", "has_member")
    assert result.returncode == 0
    assert "Relations of Ruska Roma" in result.stdout
    assert "Eve Macarro (character)" in result.stdout
    assert "Kikimora" not in result.stdout


def test_path_prints_explained_connection() -> None:
    result = run("path", "Eve Macarro", "John Wick")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Eve Macarro —member of→ Ruska Roma —has member→ John Wick"
    )
    assert "Screen Scribe review of Ballerina ¶2" in result.stdout


def test_path_json_and_no_path() -> None:
    data = json.loads(run("path", "Ana de Armas", "Ian McShane", "--json").stdout)
    assert data["found"] is True
    assert [s["other"]["id"] for s in data["steps"]] == [
        "eve-macarro",
        "ballerina",
        "winston",
        "ian-mcshane",
    ]
    missing = run("path", "Ana de Armas", "Ian McShane", "--layer", "lore")
    assert missing.returncode == 1
    assert "no connection between Ana de Armas and Ian McShane" in missing.stderr


def test_schema_to_file_is_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = run("schema", "-o", str(out))
    assert result.returncode == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["title"] == "lorekit data file"
    assert "statements" in schema["properties"]
    assert json.loads(run("schema").stdout) == schema


def test_schema_write_failure_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "schema.json"
    result = run("schema", "-o", str(target))
    assert result.returncode != 0
    assert not target.exists()
    assert result.stderr.startswith(f"error: {target}: cannot write: No such file or directory")
    assert "Traceback" not in result.stderr


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lorekit", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("validate", "info", "show", "relations", "path", "schema"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["info", "show", "relations", "path"])
def test_query_commands_take_json_and_data(command: str) -> None:
    result = run(command, "--help")
    assert "--json" in result.stdout and "--data" in result.stdout
