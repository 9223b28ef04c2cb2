"""Synthetic universes: valid, deterministic, shaped like the real data."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

import lorekit
from lorekit._load.synth import synthesize


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")
def universe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, lorekit.LoreGraph]:
    out = tmp_path_factory.mktemp("synth") / "u"
    synthesize(out, entities=2000, seed=7)
    return out, lorekit.load(out)


def test_valid_and_of_the_asked_size(universe: tuple[Path, lorekit.LoreGraph]) -> None:
    _, lore = universe
    assert len(lore) == 2000
    per_entity = len(lore.statements) / len(lore)
    assert 4.5 <= per_entity <= 5.5


def test_shape_like_the_john_wick_data(universe: tuple[Path, lorekit.LoreGraph]) -> None:
    _, lore = universe
    kinds = Counter(e.kind for e in lore.entities())  # type: ignore[attr-defined]
    assert 0.55 <= kinds["character"] / len(lore) <= 0.65
    assert set(kinds) == set(lorekit.ENTITY_KINDS)
    layers = lore.counts()["statements"]
    assert all(layers[layer] > 0 for layer in lorekit.LAYERS)
    assert any(lore.units(f) for f in lore.entities(kind="faction"))
    assert all(st.sources for st in lore.statements)
    assert lore.notes


def test_story_order_and_queries_work(universe: tuple[Path, lorekit.LoreGraph]) -> None:
    _, lore = universe
    timeline = lore.timeline("story")
    assert len(timeline.groups) == len([w for w in lore.entities(kind="work")]) - 1
    faction = next(iter(lore.entities(kind="faction")))
    assert lore.members(faction)
    first_film = timeline.groups[0][0].entity
    assert len(lore.as_of(first_film)) < len(lore)


def test_same_seed_same_bytes(tmp_path: Path, universe: tuple[Path, lorekit.LoreGraph]) -> None:
    again = tmp_path / "again"
    synthesize(again, entities=2000, seed=7)
    assert digest(again) == digest(universe[0])
    other = tmp_path / "other"
    synthesize(other, entities=2000, seed=8)
    assert digest(other) != digest(again)


def test_refuses_a_non_empty_directory_and_leaves_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "full"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(lorekit.OutputError, match="not empty"):
        synthesize(target, entities=100)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_too_small_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 50"):
        synthesize(tmp_path / "x", entities=10)


def test_names_still_come_when_the_short_ones_run_out() -> None:
    # a million entities want more one-word names than 2-3 syllables make: longer ones follow
    import itertools
    import random

    from lorekit._load.synth import _SYLLABLES, _Builder

    taken = {
        "".join(p).capitalize() for n in (2, 3) for p in itertools.product(_SYLLABLES, repeat=n)
    }
    builder = _Builder(random.Random(1), names=set(taken))
    fresh = [builder.name(1) for _ in range(5)]
    assert len(set(fresh)) == 5 and not set(fresh) & taken
