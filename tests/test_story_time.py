"""Story time: spans, deaths and the graph at a point, on a partial order."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lorekit
from lorekit import LoreGraph

HERE = Path(__file__).parent / "story"


@pytest.fixture(scope="module")
def branches() -> LoreGraph:
    return lorekit.load(HERE / "branches.yaml")


def _span(lore: LoreGraph, subject: str, predicate: str, obj: str) -> lorekit.Statement:
    [found] = [s for s in lore.statements if s.key == (subject, predicate, obj)]
    return found


def test_events_inside_one_work_are_ordered_without_a_false_cycle(branches: LoreGraph) -> None:
    time = branches.story_time()
    assert time.precedes("heist", "escape") is True
    assert time.precedes("escape", "heist") is False
    assert branches.story_order().before("heist", "escape") is True
    assert branches.story_order().before("escape", "heist") is False
    # the work and an event within it overlap: neither is strictly before the other
    assert time.precedes("origin", "heist") is False
    assert time.precedes("heist", "origin") is False
    assert branches.story_order().before("origin", "heist") is None
    timeline = [e.entity.id for e in branches.timeline().entries()]
    assert timeline.index("heist") < timeline.index("escape")


def test_two_unordered_branches_are_not_determined(branches: LoreGraph) -> None:
    time = branches.story_time()
    assert time.precedes("branch-a", "branch-b") is None
    assert time.precedes("branch-b", "branch-a") is None
    assert time.precedes("fall", "branch-b") is None
    assert time.precedes("origin", "finale") is True
    assert time.precedes("escape", "fall") is True
    assert time.precedes("lost-tape", "origin") is None
    assert time.precedes("lost-tape", "lost-tape") is False


def test_since_inside_a_work(branches: LoreGraph) -> None:
    time = branches.story_time()
    member = _span(branches, "alice", "member_of", "guild")
    assert time.holding(member, "heist") == "does-not-hold"
    assert time.holding(member, "escape") == "holds"
    assert time.holding(member, "origin") == "holds"  # overlap counts as holding
    assert time.holding(member, "finale") == "holds"
    assert time.holding(member, "lost-tape") == "not-determined"


def test_until_on_one_branch(branches: LoreGraph) -> None:
    time = branches.story_time()
    leads = _span(branches, "bob", "leads", "guild")
    assert time.holding(leads, "origin") == "holds"
    assert time.holding(leads, "branch-a") == "holds"  # up to the point, that point included
    assert time.holding(leads, "fall") == "holds"
    assert time.holding(leads, "branch-b") == "not-determined"
    assert time.holding(leads, "finale") == "does-not-hold"


def test_a_span_of_one_event(branches: LoreGraph) -> None:
    time = branches.story_time()
    enemy = _span(branches, "alice", "enemy_of", "bob")
    assert time.holding(enemy, "heist") == "holds"
    assert time.holding(enemy, "origin") == "holds"
    assert time.holding(enemy, "escape") == "does-not-hold"
    assert time.holding(enemy, "branch-b") == "does-not-hold"


def test_death_is_three_valued(branches: LoreGraph) -> None:
    time = branches.story_time()
    assert time.deaths("bob") == ("fall",)
    assert time.death("bob", "origin") == "does-not-hold"
    assert time.death("bob", "fall") == "does-not-hold"  # alive within the event he dies in
    assert time.death("bob", "branch-a") == "does-not-hold"
    assert time.death("bob", "branch-b") == "not-determined"
    assert time.death("bob", "finale") == "holds"
    assert time.death("alice", "finale") == "does-not-hold"


def test_points_are_a_linear_extension(branches: LoreGraph) -> None:
    time = branches.story_time()
    points = [p.id for p in time.points()]
    assert sorted(points) == sorted(
        ["origin", "heist", "escape", "branch-a", "fall", "branch-b", "finale", "lost-tape"]
    )
    for a in points:
        for b in points:
            if time.precedes(a, b):
                assert time.rank(a) < time.rank(b), (a, b)
    assert points[-1] == "lost-tape"  # placed by nothing: last
    with pytest.raises(lorekit.LoreError, match="not a work or event"):
        time.rank("alice")


def test_at_removes_what_does_not_hold_and_keeps_the_dead(branches: LoreGraph) -> None:
    finale = branches.at("Finale")
    assert finale.point is not None and finale.point.id == "finale"
    keys = {s.key for s in finale.statements}
    assert ("bob", "leads", "guild") not in keys
    assert ("alice", "member_of", "guild") in keys
    assert ("alice", "ally_of", "bob") in keys  # not determined: kept, and marked
    assert "Bob" in finale and finale.dead("Bob") == "holds"
    assert finale.holding(_span(branches, "alice", "ally_of", "bob")) == "not-determined"
    [ally] = finale.relations("Alice", "ally_of")
    assert ally.holding == "not-determined"
    assert ally.since is not None and ally.since.id == "lost-tape" and ally.until is None
    [member] = finale.relations("alice", "member_of")
    assert member.holding == "holds"
    assert [m.id for m in finale.members("The Guild")] == ["alice"]
    assert {m.id for m in branches.members("The Guild")} == {"alice", "bob"}
    other = branches.at("branch b")
    assert {m.id for m in other.members("guild")} == {"alice", "bob"}
    assert other.dead("bob") == "not-determined"
    assert [r.holding for r in other.relations("bob", "leads")] == ["not-determined"]
    path = finale.path("Alice", "The Guild")
    assert path is not None and [s.holding for s in path.steps] == ["holds"]


def test_relations_say_their_span_without_a_point(branches: LoreGraph) -> None:
    [leads] = branches.relations("guild", "leads")
    assert leads.until is not None and leads.until.name == "Branch A"
    assert leads.since is None and leads.holding is None
    with pytest.raises(lorekit.LoreError, match="no story point"):
        branches.holding(leads.statement)


def test_at_takes_only_works_and_events(branches: LoreGraph) -> None:
    with pytest.raises(lorekit.LoreError, match="not a point of the story"):
        branches.at("Alice")
    with pytest.raises(lorekit.UnknownEntityError):
        branches.at("Nowhere")


def test_at_composes_with_as_of_both_ways(lore: LoreGraph) -> None:
    one = lore.as_of("Chapter 3").at("Chapter 2")
    other = lore.at("Chapter 2").as_of("Chapter 3")
    assert one.point is not None and other.point is not None
    assert one.point.id == other.point.id == "john-wick-chapter-2"
    assert one.horizon is not None and other.horizon is not None
    assert one.horizon.work.id == other.horizon.work.id
    assert [s.key for s in one.statements] == [s.key for s in other.statements]
    assert {e.id for e in one.entities()} == {e.id for e in other.entities()}
    with pytest.raises(lorekit.UnknownEntityError):
        lore.as_of("Chapter 2").at("Chapter 4")  # a point the viewer has not seen
    with pytest.raises(lorekit.UnknownEntityError):
        lore.at("Chapter 4").as_of("Chapter 2")
    again = lore.at("Chapter 2").at("Chapter 4")
    assert again.point is not None and again.point.id == "john-wick-chapter-4"


def test_a_contradiction_inside_one_work_names_its_statements(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text(
        "universe: {id: u, name: U}\n"
        "works:\n  - {id: w, name: W}\n"
        "events:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
        "statements:\n"
        "  - {subject: a, predicate: during, object: w, sources: [w]}\n"
        "  - {subject: b, predicate: during, object: w, sources: [w]}\n"
        "  - {subject: a, predicate: set_after, object: b, sources: [w]}\n"
        "  - {subject: b, predicate: set_after, object: a, sources: [w]}\n"
        "  - {subject: w, predicate: set_after, object: a, sources: [w]}\n"
    )
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    messages = sorted(e.message for e in info.value.errors)
    assert all(isinstance(e, lorekit.ChronologyError) for e in info.value.errors)
    cycle = "contradictory story order, a cycle: "
    assert messages == [
        cycle + f"A during W ({path}:8); W set after A ({path}:12)",
        cycle + f"A set after B ({path}:10); B set after A ({path}:11)",
        # W after A, A after B, B within W
        cycle + f"B during W ({path}:9); A set after B ({path}:10); W set after A ({path}:12)",
    ]
    assert {(e.file, e.line) for e in info.value.errors} == {(str(path), n) for n in (8, 9, 10)}


def _interval_reference(
    works: int, edges: set[tuple[int, int]], events: list[int], inner: set[tuple[int, int]]
) -> nx.DiGraph[str]:
    """The contract's DAG, built directly: a start and an end node per point."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for i in range(works):
        graph.add_edge(f"w{i}|s", f"w{i}|e")
    for a, b in edges:
        graph.add_edge(f"w{a}|e", f"w{b}|s")
    for k, w in enumerate(events):
        graph.add_edge(f"e{k}|s", f"e{k}|e")
        graph.add_edge(f"w{w}|s", f"e{k}|s")
        graph.add_edge(f"e{k}|e", f"w{w}|e")
    for a, b in inner:
        graph.add_edge(f"e{a}|e", f"e{b}|s")
    return graph


@settings(max_examples=60, deadline=None)
@given(
    works=st.integers(min_value=2, max_value=8),
    edges=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=12),
    during=st.lists(st.integers(0, 7), max_size=8),
    inner=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=8),
)
def test_precedes_matches_the_interval_dag(
    works: int,
    edges: list[tuple[int, int]],
    during: list[int],
    inner: list[tuple[int, int]],
) -> None:
    # order statements between works (lower to higher: a DAG), events during works,
    # and order statements between two events of the same work (lower to higher)
    pairs = {(min(a, b), max(a, b)) for a, b in edges if a != b and max(a, b) < works}
    events = [w for w in during if w < works]
    within = {
        (min(a, b), max(a, b))
        for a, b in inner
        if a != b and max(a, b) < len(events) and events[a] == events[b]
    }
    statements = [
        lorekit.Statement(subject=f"w{a}", predicate="set_before", object=f"w{b}", sources=["w0"])
        for a, b in pairs
    ]
    statements += [
        lorekit.Statement(subject=f"e{k}", predicate="during", object=f"w{w}", sources=["w0"])
        for k, w in enumerate(events)
    ]
    statements += [
        lorekit.Statement(subject=f"e{a}", predicate="set_before", object=f"e{b}", sources=["w0"])
        for a, b in within
    ]
    universe = lorekit.Universe(
        info=lorekit.UniverseInfo(id="u", name="U"),
        entities=(
            *(lorekit.Work(id=f"w{i}", name=f"W{i}") for i in range(works)),
            *(lorekit.Event(id=f"e{k}", name=f"E{k}") for k in range(len(events))),
        ),
        statements=tuple(statements),
    )
    lore = LoreGraph(universe)
    time = lore.story_time()
    reference = _interval_reference(works, pairs, events, within)
    points = [*(f"w{i}" for i in range(works)), *(f"e{k}" for k in range(len(events)))]
    for a in points:
        for b in points:
            placed = a == b or (f"{a}|s" in reference and f"{b}|s" in reference)
            if not placed:
                assert time.precedes(a, b) is None
                continue
            if nx.has_path(reference, f"{a}|e", f"{b}|s"):
                expected: bool | None = True
            elif nx.has_path(reference, f"{b}|s", f"{a}|e"):
                expected = False
            else:
                expected = None
            assert time.precedes(a, b) is expected, (a, b)
            if expected:
                assert time.rank(a) < time.rank(b)
    asked = [*points, "elsewhere"]  # a point no statement places, asked about too
    spans = [(a, b) for a in [None, *asked] for b in [None, *asked]]
    assert time.span_rows(spans, asked) == [_row(time, a, b, asked) for a, b in spans]


_CODE = {"holds": "1", "does-not-hold": "0", "not-determined": "?"}


def _row(time: lorekit.StoryTime, since: str | None, until: str | None, points: list[str]) -> str:
    return "".join(_CODE[time.span_holding(since, until, p)] for p in points)


def test_rows_answer_what_each_question_answers(tmp_path: Path) -> None:
    from lorekit._load.synth import synthesize

    for lore in (lorekit.load(), lorekit.load(synthesize(tmp_path / "u", entities=1500, seed=5))):
        time = lore.story_time()
        points = [p.id for p in time.points()]
        spans = list(dict.fromkeys((s.since, s.until) for s in lore.statements))
        assert len(spans) > 3
        assert time.span_rows(spans, points) == [_row(time, a, b, points) for a, b in spans]
        dying = [*{s.subject for s in lore.statements if s.predicate == "dies_in"}, "nobody"]
        assert time.death_rows(dying, points) == [
            "".join(_CODE[time.death(c, p)] for p in points) for c in dying
        ]
        assert any("1" in row for row in time.death_rows(dying, points))


def test_as_of_hides_a_span_end_the_viewer_has_not_seen(branches: LoreGraph) -> None:
    seen = branches.as_of("Origin")
    [leads] = seen.relations("bob", "leads")
    assert leads.until is None and leads.statement.until is None
    later = branches.as_of("Branch A")
    [leads] = later.relations("bob", "leads")
    assert leads.until is not None and leads.until.id == "branch-a"


def test_graph_views_at_a_point_agree_with_its_statements(branches: LoreGraph) -> None:
    finale = branches.at("finale")
    near = finale.neighbourhood("Bob", 1)
    assert {e.id for e in near.entities()} == {"bob", "alice", "fall"}
    assert near.point is not None and near.point.id == "finale"
    copied = finale.to_networkx()
    assert not copied.has_edge("bob", "guild")
    assert branches.to_networkx().has_edge("bob", "guild")
    assert finale.degree("bob") == branches.degree("bob") - 2  # leads, enemy of: ended
    assert {s.key for s in finale.statements} == {(u, k, v) for u, v, k in copied.edges(keys=True)}


def test_synthetic_universes_carry_spans_and_deaths(tmp_path: Path) -> None:
    from lorekit._load.synth import synthesize

    lore = lorekit.load(synthesize(tmp_path / "u", entities=2000, seed=3))
    spans = [s for s in lore.statements if s.since or s.until]
    deaths = [s for s in lore.statements if s.predicate == "dies_in"]
    assert len(spans) > 100 and len(deaths) > 10
    assert lore.warnings() == []
    works = [w.id for w in lore.entities(kind="work") if w.id != "franchise"]
    middle = lore.at(works[len(works) // 2])
    assert len(middle.statements) < len(lore.statements)
    assert any(middle.dead(d.subject) == "holds" for d in deaths)
