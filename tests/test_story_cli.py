"""``--at`` on the commands, spans in ``show``, changes in ``timeline``, ``validate --strict``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert EXE is not None, "the lorekit console script is not installed"
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "COLUMNS": "200",
            "LC_ALL": "C.UTF-8",
            "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
        },
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


HERE = Path(__file__).parent / "story"
BRANCHES = str(HERE / "branches.yaml")
AFTER_DEATH = str(HERE / "after-death.yaml")


def test_show_prints_spans_and_the_dead() -> None:
    result = run("show", "bob", "--data", BRANCHES, "--at", "Finale")
    assert result.returncode == 0, result.stderr
    assert "(at Finale in story time" in result.stdout
    assert "† dead by Finale (dies in The Fall)" in result.stdout
    assert "leads" not in result.stdout  # ended in Branch A
    assert "ally of (since Lost Tape) [may not hold then]" in result.stdout
    unordered = run("show", "bob", "--data", BRANCHES, "--at", "branch-b")
    assert "† may be dead by Branch B" in unordered.stdout
    assert "leads (until Branch A) [may not hold then]" in unordered.stdout
    plain = run("show", "bob", "--data", BRANCHES)
    assert "leads (until Branch A)" in plain.stdout and "may not hold" not in plain.stdout
    assert "†" not in plain.stdout


def test_json_carries_since_until_and_holding() -> None:
    result = run("relations", "bob", "--data", BRANCHES, "--at", "branch b", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["at"] == {"id": "branch-b", "name": "Branch B", "kind": "work"}
    leads = [r for r in found["relations"] if r["predicate"] == "leads"]
    assert leads[0]["until"] == "branch-a" and leads[0]["holding"] == "not-determined"
    shown = json.loads(run("show", "bob", "--data", BRANCHES, "--at", "finale", "--json").stdout)
    assert shown["dead"] == "holds"
    plain = json.loads(run("relations", "bob", "--data", BRANCHES, "--json").stdout)
    assert "at" not in plain
    assert all("holding" not in r for r in plain["relations"])


def test_path_at_a_point() -> None:
    before = run("path", "bob", "guild", "--data", BRANCHES, "--at", "origin", "--json")
    after = run("path", "bob", "guild", "--data", BRANCHES, "--at", "finale", "--json")
    assert json.loads(before.stdout)["text"] == "Bob —leads→ The Guild"
    assert json.loads(after.stdout)["text"] == "Bob —ally of→ Alice —member of→ The Guild"


def test_timeline_lists_what_starts_and_ends_beside_the_works() -> None:
    result = run("timeline", "--data", BRANCHES, "--at", "Branch B")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    at = lines.index("  2. Branch A")
    assert lines[at + 1] == "       − Bob leads The Guild (ends)"
    assert lines[at + 3] == "       † Bob dies"
    assert "   = Branch B  ◀ at" in lines
    assert "       + Alice member of The Guild" in lines
    data = json.loads(run("timeline", "--data", BRANCHES, "--json").stdout)
    entries = {e["id"]: e for group in data["groups"] for e in group}
    assert [s["subject"] for s in entries["branch-a"]["ends"]] == ["bob"]
    assert [s["subject"] for s in entries["fall"]["deaths"]] == ["bob"]
    assert entries["finale"]["starts"] == []


@pytest.mark.parametrize("command", ["export", "query"])
def test_export_and_query_take_at(command: str, tmp_path: Path) -> None:
    members = ["queries/faction-members.rq", "--bind", "faction=guild", "--csv"]
    args = ["--format", "nt", "-o", "-"] if command == "export" else members
    full = run(command, *args, "--data", BRANCHES)
    then = run(command, *args, "--data", BRANCHES, "--at", "finale")
    assert full.returncode == 0 and then.returncode == 0, full.stderr + then.stderr
    assert "bob" in full.stdout.lower()
    assert len(then.stdout) < len(full.stdout)


def test_info_and_sources_take_at() -> None:
    full = json.loads(run("info", "--json", "--data", BRANCHES).stdout)
    then = json.loads(run("info", "--json", "--data", BRANCHES, "--at", "finale").stdout)
    assert "at" not in full and then["at"]["id"] == "finale"
    assert sum(then["statements"].values()) < sum(full["statements"].values())
    full = json.loads(run("sources", "--json", "--data", BRANCHES).stdout)
    then = json.loads(run("sources", "--json", "--data", BRANCHES, "--at", "finale").stdout)
    assert then["at"]["id"] == "finale"
    cited = sum(s["total"] for s in then["sources"])
    assert 0 < cited < sum(s["total"] for s in full["sources"])


def test_link_takes_at(tmp_path: Path) -> None:
    text = tmp_path / "text.md"
    text.write_text("Bob meets Alice.\n", encoding="utf-8")
    result = run("link", str(text), "--json", "--data", BRANCHES, "--at", "finale")
    assert result.returncode == 0, result.stderr
    assert {m["id"] for m in json.loads(result.stdout)["mentions"]} == {"bob", "alice"}
    wrong = run("link", str(text), "--data", BRANCHES, "--at", "nowhere")
    assert wrong.returncode == 1 and wrong.stderr.startswith("error: ")


def test_at_an_entity_that_is_no_point_is_a_clean_error() -> None:
    result = run("show", "bob", "--data", BRANCHES, "--at", "Alice")
    assert result.returncode == 1
    assert result.stderr.startswith("error: 'Alice' is a character, not a point of the story")


def test_validate_warns_and_strict_fails() -> None:
    warned = run("validate", "--data", AFTER_DEATH)
    assert warned.returncode == 0, warned.stderr
    message = (
        f"{AFTER_DEATH}:17: warning: Bob participant in The Wake: the event is set after "
        f"Bob dies in The Duel ({AFTER_DEATH}:15)"
    )
    assert warned.stderr.splitlines() == [message]
    strict = run("validate", "--strict", "--data", AFTER_DEATH)
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == message.replace(": warning: ", ": error: ")
    assert run("validate", "--strict", "--data", BRANCHES).returncode == 0
