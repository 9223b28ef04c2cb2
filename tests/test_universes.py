"""Every universe shipped in data/ loads cleanly and answers its example questions."""

from __future__ import annotations

from pathlib import Path

import pytest

import lorekit

DATA = Path(__file__).resolve().parents[1] / "data"
UNIVERSES = sorted(p for p in DATA.iterdir() if p.is_dir())


def test_there_are_two_universes() -> None:
    assert [p.name for p in UNIVERSES] == ["john-wick", "the-matrix"]


@pytest.mark.parametrize("path", UNIVERSES, ids=lambda p: p.name)
def test_universe_loads_and_points_at_the_schema(path: Path) -> None:
    lore = lorekit.load(path)
    assert len(lore) > 20
    assert lore.timeline("story").groups
    for file in path.glob("*.yaml"):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../docs/lorekit-data.schema.json"


def test_the_matrix_example_questions() -> None:
    lore = lorekit.load(DATA / "the-matrix")
    assert [h.id for h in lore.holders("The One")] == ["neo"]
    assert {m.id for m in lore.members("Zion")} == {"morpheus", "neo", "trinity", "cypher", "niobe"}
    assert {p.id for p in lore.portrayed_by("Morpheus")} == {
        "laurence-fishburne",
        "yahya-abdul-mateen-ii",
    }
    found = lore.path("Neo", "Agent Smith", layers={"lore"})
    assert found is not None and str(found) == "Neo —enemy of→ Agent Smith"
    assert lore.timeline("story").ids()[2] == ["the-matrix-revolutions", "siege-of-zion"]
    assert "the-architect" not in lore.as_of("The Matrix")
