"""The ``lorekit`` command, end to end through the installed entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lorekit

EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE is not None, "the lorekit console script is not installed"
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "COLUMNS": "200",
            "LC_ALL": "C.UTF-8",
            "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
        },
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_validate_bundled_data() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    lore = lorekit.load()
    counts = f"{len(list(lore.entities()))} entities, {len(lore.statements)} statements"
    assert result.stdout.startswith(f"ok: The World of John Wick: {counts}")


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
    lore = lorekit.load()
    assert data["entities"]["character"] == len(list(lore.entities(kind="character")))
    assert sum(data["entities"].values()) == len(list(lore.entities()))
    assert set(data["statements"]) == {"lore", "production", "reception"}
    assert data["notes"]["reception"] == 7


def test_info_table() -> None:
    result = run("info")
    assert result.returncode == 0
    assert "The World of John Wick" in result.stdout
    characters = len(list(lorekit.load().entities(kind="character")))
    assert f"│ character │ {characters:>5} │" in result.stdout
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


@pytest.mark.parametrize("command", ["info", "show", "relations", "path", "timeline", "sources"])
def test_query_commands_take_json_data_and_horizon(command: str) -> None:
    result = run(command, "--help")
    for option in ("--json", "--data", "--as-of", "--order"):
        assert option in result.stdout


def test_timeline_story_order() -> None:
    result = run("timeline")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "The World of John Wick: story order"
    names = [line.split(". ", 1)[1] for line in lines[1:] if ". " in line[:6]]
    assert names == [
        "The Continental: From the World of John Wick",  # the prequel series
        "John Wick (2014)",
        "John Wick: Chapter 2",
        "John Wick: Chapter 3 – Parabellum",
        "Ballerina",
        "John Wick: Chapter 4",
    ]
    assert "   ↳ Eve's revenge (during Ballerina)" in lines


def test_timeline_release_json_as_of() -> None:
    result = run("timeline", "--order", "release", "--as-of", "Chapter 3", "--json")
    data = json.loads(result.stdout)
    assert data["order"] == "release"
    assert data["as_of"] == {
        "work": {
            "id": "john-wick-chapter-3",
            "name": "John Wick: Chapter 3 – Parabellum",
            "kind": "work",
        },
        "order": "release",
    }
    assert [g[0]["id"] for g in data["groups"]] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
    ]


def test_timeline_contradiction_is_a_clean_error() -> None:
    path = Path(__file__).parent / "chronology" / "cycle.yaml"
    result = run("timeline", "--data", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:7: contradictory story order, a cycle: Film A")
    assert "Traceback" not in result.stderr


def test_as_of_hides_spoilers_in_every_query_command() -> None:
    shown = run("show", "Eve", "--as-of", "Chapter 3")
    assert shown.returncode == 1
    assert shown.stderr.startswith("error: no entity is called 'Eve'")
    info = json.loads(run("info", "--as-of", "Chapter 3", "--json").stdout)
    assert info["as_of"]["work"]["id"] == "john-wick-chapter-3"
    # the events of the first three films only; Ballerina's are hidden
    assert info["entities"]["event"] == 9
    rels = json.loads(run("relations", "Ruska Roma", "--as-of", "Chapter 3", "--json").stdout)
    assert "eve-macarro" not in {r["other"]["id"] for r in rels["relations"]}
    path = run("path", "Eve Macarro", "John Wick", "--as-of", "Chapter 3")
    assert path.returncode == 1
    story = run("show", "Eve", "--as-of", "Ballerina", "--order", "story")
    assert story.returncode == 0


def test_relations_default_to_the_lore_layer() -> None:
    data = json.loads(run("relations", "Eve Macarro", "--json").stdout)
    assert {r["layer"] for r in data["relations"]} == {"lore"}
    everything = json.loads(run("relations", "Eve Macarro", "--json", "--layer", "all").stdout)
    assert {r["layer"] for r in everything["relations"]} == {"lore", "production"}


def test_relations_say_what_the_layer_hides() -> None:
    # an actor has no lore: the default must not answer with a bare empty result
    result = run("relations", "Ana de Armas")
    assert result.returncode == 0
    assert result.stdout == (
        "Ana de Armas has no lore relations; 1 production statement is hidden: "
        "add --layer all to show it.\n"
    )
    data = json.loads(run("relations", "Ana de Armas", "--json").stdout)
    assert data["relations"] == [] and data["hidden"] == {"production": 1}
    shown = json.loads(run("relations", "Ana de Armas", "--json", "--layer", "all").stdout)
    assert [r["predicate"] for r in shown["relations"]] == ["portrayed_by"]
    assert shown["hidden"] == {}
    # under a table, the count of each hidden layer, from the same filters
    eve = run("relations", "Eve", "--layer", "production").stdout
    lore = json.loads(run("relations", "Eve", "--json").stdout)
    assert eve.rstrip().endswith(
        f"({len(lore['relations'])} lore statements are hidden: add --layer all to show them)"
    )
    assert "hidden" not in run("relations", "Eve", "--predicate", "raised_by").stdout
    # nothing in any layer: said so
    none = run("relations", "Ana de Armas", "--predicate", "member_of")
    assert none.stdout == "Ana de Armas has no relations that match, in any layer.\n"


def test_show_sources() -> None:
    result = run("show", "Kikimora", "--sources")
    assert result.returncode == 0
    assert "Kikimora —part of→ Ruska Roma" in result.stdout
    data = json.loads(run("show", "Kikimora", "--sources", "--json").stdout)
    assert {
        "fact": "Kikimora —part of→ Ruska Roma",
        "layer": "lore",
        "source": {
            "id": "screen-scribe-ballerina",
            "name": "Screen Scribe review of Ballerina",
            "kind": "source",
        },
        "locator": "¶5",
    } in data["sources"]
    reception = json.loads(run("show", "Kikimora", "--sources", "--json", "--layer", "lore").stdout)
    assert {s["layer"] for s in reception["sources"]} == {"lore"}
    assert reception["notes"] == []


def test_sources_command() -> None:
    data = json.loads(run("sources", "--json").stdout)
    first = next(s for s in data["sources"] if s["id"] == "screen-scribe-ballerina")
    assert first["statements"]["reception"] == 1
    assert first["locators"][0] == "¶2"
    table = run("sources")
    assert "Screen Scribe review of Ballerina" in table.stdout
    assert "¶1, ¶2, ¶3, ¶4, ¶5, ¶6, ¶7, ¶8" in table.stdout
    early = json.loads(run("sources", "--json", "--as-of", "Chapter 3").stdout)
    assert "screen-scribe-ballerina" not in {s["id"] for s in early["sources"]}


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert run("schema", "-o", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    out.chmod(0o640)
    assert run("schema", "-o", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
