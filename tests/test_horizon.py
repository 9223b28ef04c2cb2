"""The spoiler horizon: what a viewer knows after watching up to a work."""

from __future__ import annotations

from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph

HERE = Path(__file__).parent


def ids(lore: LoreGraph) -> set[str]:
    return {e.id for e in lore.entities()}


def test_as_of_chapter_3_in_release_order(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 3")
    assert before.horizon is not None and before.horizon.order == "release"
    assert {"john-wick", "winston", "high-table", "charon", "ruska-roma"} <= ids(before)
    assert ids(before).isdisjoint({"eve-macarro", "kikimora", "the-cult", "ballerina"})
    # later works, the review of a later work, people known only for later works
    assert ids(before).isdisjoint(
        {"john-wick-chapter-4", "screen-scribe-ballerina", "ana-de-armas", "gabriel-byrne"}
    )
    assert "Eve" not in before and "Eve Macarro" not in before


def test_as_of_ballerina_knows_eve(lore: LoreGraph) -> None:
    after = lore.as_of("Ballerina")
    assert {"eve-macarro", "kikimora", "the-cult", "screen-scribe-ballerina"} <= ids(after)
    assert ids(after) == ids(lore)  # Ballerina is the latest release


def test_story_order_horizon_differs(lore: LoreGraph) -> None:
    story = lore.as_of("Ballerina", order="story")
    assert "eve-macarro" in ids(story)
    assert "john-wick-chapter-4" not in ids(story)  # set after Ballerina in story time
    assert story.horizon is not None and story.horizon.seen == {
        "john-wick-franchise",
        "the-continental",  # the prequel series comes first in story time
        "the-continental-night-1",  # with its three nights (episodes)
        "the-continental-night-2",
        "the-continental-night-3",
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "ballerina",
    }
    release = lore.as_of("Chapter 4")
    assert "eve-macarro" not in ids(release)


def test_nothing_left_behind_refers_to_what_is_hidden(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 3")
    known = ids(before)
    for st in before.statements:
        assert st.subject in known and st.object in known
        assert st.revealed_in is None or st.revealed_in in known
        assert st.sources and all(c.source in known for c in st.sources)
    for note in before.notes:
        assert set(note.about) <= known
    for entity in before.entities():
        assert all(c.source in known for c in entity.sources)
        assert "Ballerina" not in (entity.description or "")
    assert "Ballerina" not in (before.universe.info.description or "")


def test_statements_cited_only_by_a_later_review_are_hidden(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 3")
    part_of = [r for r in before.relations("john-wick-chapter-3", "part_of_franchise")]
    assert part_of == []  # only the Ballerina review says so
    titles = before.relations("john-wick", "holds_title")
    assert [c.source for c in titles[0].statement.sources] == ["john-wick-2014"]


def test_no_opinion_survives_before_the_reviewed_film(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 4")
    assert before.notes == ()
    assert before.counts()["statements"]["reception"] == 0


def test_queries_work_on_the_cut_graph(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 3")
    assert {m.id for m in before.members("Ruska Roma")} == {"the-director", "john-wick"}
    found = before.path("Winston", "John Wick")
    assert found is not None and all(e.id in ids(before) for e in found.entities)
    assert before.timeline("release").ids()[-1][0] == "john-wick-chapter-3"
    assert before.as_of("Chapter 2").horizon is not None
    assert "john-wick-chapter-3" not in ids(before.as_of("Chapter 2"))


def test_horizon_must_be_a_dated_work(lore: LoreGraph) -> None:
    with pytest.raises(lorekit.LoreError, match="is a character, not a work"):
        lore.as_of("Eve")
    with pytest.raises(lorekit.LoreError, match="has no release date"):
        lore.as_of("World of John Wick")
    with pytest.raises(lorekit.UnknownEntityError):
        lore.as_of("Chapter 9")


def test_review_published_later_is_hidden_in_release_order() -> None:
    lore = lorekit.load(HERE / "chronology" / "ties.yaml")
    universe = lore.universe.model_copy(
        update={
            "entities": (
                *lore.universe.entities,
                lorekit.Source(id="early-essay", name="Early essay", published="2002-06-01"),
                lorekit.Source(id="late-essay", name="Late essay", published="2005-06-01"),
            )
        }
    )
    graph = LoreGraph(universe)
    kept = ids(graph.as_of("Sequel"))
    assert "early-essay" in kept and "late-essay" not in kept
    assert "late-essay" in ids(graph.as_of("Finale"))
    assert "late-essay" in ids(graph.as_of("Sequel", order="story"))  # dates are release order
