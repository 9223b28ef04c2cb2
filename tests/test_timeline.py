"""Story and release chronology: partial orders, ties, contradictions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lorekit
from lorekit import LoreGraph

HERE = Path(__file__).parent / "chronology"


def test_john_wick_story_order(lore: LoreGraph) -> None:
    order = lore.timeline("story").ids()
    flat = [i for group in order for i in group]
    assert flat.index("john-wick-chapter-3") < flat.index("ballerina")
    assert flat.index("ballerina") < flat.index("john-wick-chapter-4")
    # each group: a work and the events during it (the prequel's stage also holds
    # the murder of Eve's family, unordered against it)
    assert [group[0] for group in order] == [
        "the-continental",
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "ballerina",
        "john-wick-chapter-4",
    ]
    assert "murder-of-eves-family" in order[0]
    assert order[4] == ["ballerina", "eves-revenge"]
    revenge = [e for e in lore.timeline().entries() if e.entity.id == "eves-revenge"][0]
    assert revenge.during is not None and revenge.during.id == "ballerina"
    assert lore.timeline().unplaced == ()


def test_john_wick_release_order_follows_dates(lore: LoreGraph) -> None:
    works = [
        e.entity
        for e in lore.timeline("release").entries()
        if e.during is None and getattr(e.entity, "form", None) != "episode"
    ]
    assert [w.id for w in works] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "john-wick-chapter-4",
        "the-continental",
        "ballerina",
    ]
    dates = [w.release_date for w in works if isinstance(w, lorekit.Work)]
    assert dates == sorted(dates)


def test_release_order_lists_a_works_events_in_story_order(lore: LoreGraph) -> None:
    release = lore.timeline("release")
    chapter_2 = [
        e.entity.id for e in release.entries() if e.during and e.during.id == "john-wick-chapter-2"
    ]
    # by name, the excommunication ("John ...") would come before the killing that causes it
    assert chapter_2.index("killing-of-santino") < chapter_2.index("johns-excommunication")
    time = lore.story_time()
    for work in {e.during.id for e in release.entries() if e.during}:
        events = [e.entity.id for e in release.entries() if e.during and e.during.id == work]
        assert events == sorted(events, key=time.rank), work


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
    works = [e.id for e in lore.set_between("John Wick (2014)", "Ballerina") if e.kind == "work"]
    assert works == ["john-wick-chapter-2", "john-wick-chapter-3"]


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


def _reference(lore: LoreGraph) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Brute force: every pair walked in networkx, as the first implementation did."""
    import networkx as nx

    order = lore.story_order()
    closure = nx.transitive_closure_dag(order.graph)
    depth = {n: d for d, gen in enumerate(nx.topological_generations(order.graph)) for n in gen}
    unordered = {
        n: {m for m in depth if m != n and depth[m] != depth[n]}
        - set(closure.successors(n))
        - set(closure.predecessors(n))
        for n in depth
    }
    return unordered, depth


@settings(max_examples=60, deadline=None)
@given(
    works=st.integers(min_value=2, max_value=14),
    edges=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=30),
    during=st.lists(st.integers(0, 13), max_size=5),
)
def test_the_linear_timeline_matches_brute_force(
    works: int, edges: list[tuple[int, int]], during: list[int]
) -> None:
    # works w0..wN with set_before edges only from lower to higher numbers (a DAG),
    # and events happening during some of them
    ids = [f"w{i}" for i in range(works)]
    statements = [
        lorekit.Statement(subject=ids[a], predicate="set_before", object=ids[b], sources=["w0"])
        for a, b in {(min(a, b), max(a, b)) for a, b in edges if a != b and max(a, b) < works}
    ]
    events = [lorekit.Event(id=f"e{k}", name=f"E{k}") for k, w in enumerate(during) if w < works]
    statements += [
        lorekit.Statement(subject=e.id, predicate="during", object=f"w{w}", sources=["w0"])
        for e, w in zip(events, [w for w in during if w < works], strict=True)
    ]
    universe = lorekit.Universe(
        info=lorekit.UniverseInfo(id="u", name="U"),
        entities=(*(lorekit.Work(id=i, name=i.upper()) for i in ids), *events),
        statements=tuple(statements),
    )
    lore = LoreGraph(universe)
    unordered, depth = _reference(lore)
    timeline = lore.timeline("story")
    story = lore.story_order()
    for entry in timeline.entries():
        node = story.node(entry.entity.id)
        assert entry.position == depth[node]
        assert {e.id for e in entry.unordered_with} == unordered[node]
    for a in ids:
        for b in ids:
            between = {e.id for e in lore.set_between(a, b)}
            expected = {
                x
                for x in [*ids, *(e.id for e in events)]
                if story.before(a, x) is True and story.before(x, b) is True
            }
            assert between == expected
            # before() agrees with walking the graph
            u, v = story.node(a), story.node(b)
            if story.placed(a) and story.placed(b) and u != v:
                import networkx as nx

                walked = (
                    True
                    if nx.has_path(story.graph, u, v)
                    else False
                    if nx.has_path(story.graph, v, u)
                    else None
                )
                assert story.before(a, b) is walked
