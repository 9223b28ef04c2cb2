"""Story and release chronology: partial orders, ties, contradictions."""

from __future__ import annotations

from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph

HERE = Path(__file__).parent / "chronology"


def test_john_wick_story_order(lore: LoreGraph) -> None:
    order = lore.timeline("story").ids()
    flat = [i for group in order for i in group]
    assert flat.index("john-wick-chapter-3") < flat.index("ballerina")
    assert flat.index("ballerina") < flat.index("john-wick-chapter-4")
    assert order == [
        ["murder-of-eves-family"],
        ["john-wick-2014"],
        ["john-wick-chapter-2"],
        ["john-wick-chapter-3"],
        ["ballerina", "eves-revenge"],
        ["john-wick-chapter-4"],
    ]
    revenge = [e for e in lore.timeline().entries() if e.entity.id == "eves-revenge"][0]
    assert revenge.during is not None and revenge.during.id == "ballerina"
    assert lore.timeline().unplaced == ()


def test_john_wick_release_order_follows_dates(lore: LoreGraph) -> None:
    works = [e.entity for e in lore.timeline("release").entries() if e.during is None]
    assert [w.id for w in works] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "john-wick-chapter-4",
        "ballerina",
    ]
    dates = [w.release_date for w in works if isinstance(w, lorekit.Work)]
    assert dates == sorted(dates)


def test_story_and_release_orders_differ_for_ballerina(lore: LoreGraph) -> None:
    story = [e.entity.id for e in lore.timeline("story").entries()]
    release = [e.entity.id for e in lore.timeline("release").entries()]
    assert story.index("ballerina") < story.index("john-wick-chapter-4")
    assert release.index("ballerina") > release.index("john-wick-chapter-4")


def test_set_between(lore: LoreGraph) -> None:
    assert [e.id for e in lore.set_between("Chapter 3", "Chapter 4")] == [
        "ballerina",
        "eves-revenge",
    ]
    assert lore.set_between("Chapter 4", "Chapter 3") == []
    assert [e.id for e in lore.set_between("John Wick (2014)", "Ballerina")] == [
        "john-wick-chapter-2",
        "john-wick-chapter-3",
    ]


def test_partial_order_is_shown_as_ties_never_invented() -> None:
    lore = lorekit.load(HERE / "ties.yaml")
    timeline = lore.timeline("story")
    # the flashback is only known to come before the finale: it stands in the first
    # group, tied with what nothing orders it against, and says what it is unordered with
    assert timeline.ids() == [
        ["origins", "war", "battle", "flashback"],
        ["sequel", "side-story"],
        ["finale"],
    ]
    by_id = {e.entity.id: e for e in timeline.entries()}
    assert [e.id for e in by_id["side-story"].tied_with] == ["sequel"]
    assert {e.id for e in by_id["side-story"].unordered_with} == {"finale", "flashback"}
    assert [e.id for e in by_id["flashback"].tied_with] == ["origins"]
    assert {e.id for e in by_id["flashback"].unordered_with} == {"sequel", "side-story"}
    assert by_id["finale"].unordered_with == (by_id["side-story"].entity,)
    assert by_id["origins"].unordered_with == ()
    assert by_id["battle"].during is not None and by_id["battle"].during.id == "war"
    assert [e.id for e in timeline.unplaced] == ["lost-tape"]
    text = str(timeline)
    assert "   = Side Story" in text
    assert "   ↳ The Battle (during The War)" in text
    assert "not placed: Lost Tape" in text
    assert "   = The Flashback  [order unknown against: Sequel, Side Story]" in text


def test_release_order_ties_on_the_same_date() -> None:
    timeline = lorekit.load(HERE / "ties.yaml").timeline("release")
    assert timeline.ids() == [
        ["origins", "war"],
        ["sequel", "battle", "side-story"],
        ["finale", "flashback"],
    ]
    assert [e.id for e in timeline.unplaced] == ["lost-tape"]


def test_a_cycle_is_a_load_error_naming_every_statement() -> None:
    path = HERE / "cycle.yaml"
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    [error] = info.value.errors
    assert isinstance(error, lorekit.ChronologyError)
    assert (error.file, error.line) == (str(path), 7)
    assert error.message == (
        "contradictory story order, a cycle: "
        f"Film A set after Film B ({path}:7); "
        f"Film C set after Film A ({path}:9); "
        f"Film B set after Film C ({path}:8)"
    )


def test_an_event_during_a_later_work_cannot_precede_the_earlier_one() -> None:
    path = HERE / "during-contradiction.yaml"
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    [error] = info.value.errors
    assert isinstance(error, lorekit.ChronologyError)
    assert "Later Film set after The Film" in error.message
    assert "The Film set after The Heist" in error.message
    assert "The Heist during Later Film" in error.message


def test_timeline_of_an_unvalidated_cyclic_universe_raises() -> None:
    universe = lorekit.Universe(
        info=lorekit.UniverseInfo(id="u", name="U"),
        entities=(lorekit.Work(id="a", name="A"), lorekit.Work(id="b", name="B")),
        statements=(
            lorekit.Statement(subject="a", predicate="set_after", object="b", sources=["a"]),
            lorekit.Statement(subject="b", predicate="set_after", object="a", sources=["b"]),
        ),
    )
    with pytest.raises(lorekit.ChronologyError, match="a cycle"):
        LoreGraph(universe).timeline()
