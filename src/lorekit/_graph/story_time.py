"""Story time: what holds at a point of the story, and who is dead by then.

Every work and event is an interval of story time. An event ``during`` a
work lies within it, and ``A set_after B`` puts the end of ``B`` before the
start of ``A``; an order statement between items of two different works
orders the works themselves, as the timeline does (:class:`StoryOrder`).
Point ``A`` is *strictly before* ``B`` when that order proves ``A`` ends
before ``B`` starts.

A statement with ``since`` and ``until`` holds at a point unless the point
is strictly before ``since`` or ``until`` is strictly before the point. The
order is partial, so every answer is one of three (:data:`Holding`):
``"holds"`` when the order proves neither, ``"does-not-hold"`` when it proves
one, ``"not-determined"`` otherwise. A character who ``dies_in`` a point is
dead at every point that point is strictly before.

Examples
--------
>>> from lorekit import load
>>> time = load().story_time()
>>> time.precedes("john-wick-chapter-3", "john-wick-chapter-4")
True
>>> time.precedes("john-wick-chapter-4", "john-wick-chapter-3")
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

import networkx as nx

from .._core.errors import LoreError
from .._core.model import EntityBase, Event, Statement, Universe, Work
from .timeline import StoryOrder, _in_story, _sort_key

if TYPE_CHECKING:
    from .graph import LoreGraph
    from .relation import EntityRef

__all__ = ["Holding", "StoryChanges", "StoryPoint", "StoryTime", "cut_at", "story_changes"]

Holding = Literal["holds", "does-not-hold", "not-determined"]
"""Whether something holds at a story point: proven, disproven, or not determined by the order."""


class StoryTime:
    """The story order of a universe's works and events, as intervals, with its deaths.

    Build it once per universe (:meth:`LoreGraph.story_time
    <lorekit.LoreGraph.story_time>` caches it); every answer is then a few
    set lookups.

    Parameters
    ----------
    order
        The universe's story order, free of contradictions.
    entities
        The universe's entities by id.
    statements
        The universe's statements (for its ``dies_in`` deaths).
    """

    def __init__(
        self,
        order: StoryOrder,
        entities: Mapping[str, EntityBase],
        statements: Iterable[Statement],
    ) -> None:
        self._order = order
        self._entities = entities
        deaths: dict[str, list[str]] = {}
        for st in statements:
            if st.predicate == "dies_in":
                deaths.setdefault(st.subject, []).append(st.object)
        self._deaths = {k: tuple(v) for k, v in deaths.items()}
        self._points: tuple[EntityBase, ...] | None = None
        self._rank: dict[str, int] = {}

    @property
    def order(self) -> StoryOrder:
        """The story order the answers come from."""
        return self._order

    def deaths(self, character: str) -> tuple[str, ...]:
        """The points a character ``dies_in`` (ids; empty for the living)."""
        return self._deaths.get(character, ())

    def precedes(self, a: str, b: str) -> bool | None:
        """Whether point ``a`` ends before point ``b`` starts.

        ``True`` when the story order proves it, ``False`` when it proves it
        cannot be (``b`` starts no later than ``a`` ends: a point never
        precedes itself, nor an event within it), ``None`` when the order
        does not say.

        Examples
        --------
        >>> from lorekit import load
        >>> time = load().story_time()
        >>> time.precedes("ballerina", "eves-revenge"), time.precedes("eves-revenge", "ballerina")
        (False, False)
        """
        if a == b:
            return False
        order = self._order
        if not (order.placed(a) and order.placed(b)):
            return None
        u, v = order.node(a), order.node(b)
        if u != v:  # two works (with their events) the order may compare
            return order.before(a, b)
        if order.strictly_before_within(a, b):
            return True
        reach = order._local_reach(u)
        if reach is None:
            return None
        # b's start reaches a's end: b starts no later than a ends
        ends = reach.later[reach.index[f"{b}|start"]] >> reach.index[f"{a}|end"] & 1
        return False if ends else None

    def holding(self, statement: Statement, point: str) -> Holding:
        """Whether ``statement`` holds at ``point``, by its ``since`` and ``until``.

        Examples
        --------
        >>> from lorekit import Statement, load
        >>> time = load().story_time()
        >>> st = Statement(subject="john-wick", predicate="member_of", object="ruska-roma",
        ...                sources=["john-wick-2014"], since="john-wick-chapter-3")
        >>> time.holding(st, "john-wick-2014"), time.holding(st, "john-wick-chapter-4")
        ('does-not-hold', 'holds')
        """
        return self.span_holding(statement.since, statement.until, point)

    def span_holding(self, since: str | None, until: str | None, point: str) -> Holding:
        """:meth:`holding` for a span given by its ends."""
        before_start = None if since is None else self.precedes(point, since)
        after_end = None if until is None else self.precedes(until, point)
        if before_start is True or after_end is True:
            return "does-not-hold"
        if (since is None or before_start is False) and (until is None or after_end is False):
            return "holds"
        return "not-determined"

    def death(self, character: str, point: str) -> Holding:
        """Whether the character is dead at ``point``: ``"holds"`` when dead.

        A character who dies in a point is dead at the points it is strictly
        before, alive within it (``"does-not-hold"``).

        Examples
        --------
        >>> from lorekit import load
        >>> load().story_time().death("john-wick", "john-wick-2014")
        'does-not-hold'
        """
        answers = [self.precedes(where, point) for where in self._deaths.get(character, ())]
        if any(a is True for a in answers):
            return "holds"
        if all(a is False for a in answers):
            return "does-not-hold"
        return "not-determined"

    def points(self) -> tuple[EntityBase, ...]:
        """The works and events, in an order that never puts a point after a later one.

        Placed points come first, group by group as the timeline lists them
        (events inside a work ordered as far as the data orders them); the
        points no order statement places follow, in release order.

        Examples
        --------
        >>> from lorekit import load
        >>> [p.id for p in load().story_time().points()][:2]
        ['the-continental', 'the-continental-night-1']
        """
        if self._points is None:
            self._points = tuple(self._linear())
            self._rank = {p.id: i for i, p in enumerate(self._points)}
        return self._points

    def rank(self, point: str) -> int:
        """The position of ``point`` in :meth:`points`: ``a`` strictly before ``b``
        implies ``rank(a) < rank(b)``.

        Examples
        --------
        >>> from lorekit import load
        >>> time = load().story_time()
        >>> time.rank("john-wick-2014") < time.rank("john-wick-chapter-4")
        True
        """
        self.points()
        found = self._rank.get(point)
        if found is None:
            raise LoreError(f"{point!r} is not a work or event of the story", value=point)
        return found

    def _linear(self) -> Iterable[EntityBase]:
        order, entities = self._order, self._entities
        reach = order._reachability()
        nodes = reach.nodes if reach is not None else ()
        placed: set[str] = set()
        for node in nodes:
            for item in order.items(node):
                found = entities.get(item)
                if found is not None and _is_point(found):
                    placed.add(item)
                    yield found
        rest = (e for e in entities.values() if _is_point(e) and e.id not in placed)
        yield from sorted(rest, key=_sort_key)


def _is_point(entity: EntityBase) -> bool:
    return isinstance(entity, Work | Event) and _in_story(entity)


class StoryPoint:
    """The story point a graph stands at (:meth:`LoreGraph.at <lorekit.LoreGraph.at>`).

    ``base`` is the graph before the cut, ``time`` its story time,
    ``universe`` the cut and ``removed`` the keys of the statements it left out.
    """

    def __init__(
        self,
        point: EntityBase,
        time: StoryTime,
        base: LoreGraph,
        universe: Universe,
        removed: frozenset[tuple[str, str, str]],
    ) -> None:
        self.point = point
        self.time = time
        self.base = base
        self.universe = universe
        self.removed = removed

    def holding(self, statement: Statement) -> Holding:
        """Whether the statement holds at the point."""
        return self.time.holding(statement, self.point.id)

    def dead(self, character: str) -> Holding:
        """Whether the character is dead at the point."""
        return self.time.death(character, self.point.id)

    def view(self, graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
        """``graph`` without the removed statements' edges: a view, nothing copied."""
        removed = self.removed
        if not removed:
            return graph

        def keep(u: str, v: str, key: str) -> bool:
            return (u, key, v) not in removed

        return cast("nx.MultiDiGraph[str]", nx.subgraph_view(graph, filter_edge=keep))


def resolve_point(lore: LoreGraph, ref: EntityRef) -> EntityBase:
    """The work or event ``ref`` names, else a :class:`LoreError`."""
    found = lore.entity(ref)
    if not isinstance(found, Work | Event):
        raise LoreError(
            f"{found.name!r} is a {found.kind}, not a point of the story (a work or an event)",
            value=ref if isinstance(ref, str) else found.id,
        )
    return found


def cut_at(lore: LoreGraph, point: EntityBase) -> tuple[Universe, frozenset[tuple[str, str, str]]]:
    """The universe of ``lore`` without the statements that do not hold at ``point``,
    and the keys of those left out.

    :meth:`LoreGraph.at <lorekit.LoreGraph.at>` builds its graph from it.
    """
    time = lore.story_time()
    universe = lore.universe
    answers: dict[tuple[str | None, str | None], Holding] = {}  # few distinct spans
    removed: list[tuple[str, str, str]] = []
    kept: list[Statement] = []
    for st in universe.statements:
        if st.since is not None or st.until is not None:
            span = (st.since, st.until)
            found = answers.get(span)
            if found is None:
                found = answers[span] = time.span_holding(st.since, st.until, point.id)
            if found == "does-not-hold":
                removed.append(st.key)
                continue
        kept.append(st)
    if not removed:
        return universe.model_copy(), frozenset()
    return universe.model_copy(update={"statements": tuple(kept)}), frozenset(removed)


@dataclass(frozen=True)
class StoryChanges:
    """What changes at one story point: statements that start or end there, and deaths."""

    starts: tuple[Statement, ...] = ()
    ends: tuple[Statement, ...] = ()
    deaths: tuple[Statement, ...] = ()


def story_changes(statements: Iterable[Statement]) -> dict[str, StoryChanges]:
    """The changes at each point (by id) that statements start at, end at, or die in.

    Examples
    --------
    >>> from lorekit import Statement
    >>> st = Statement(subject="a", predicate="ally_of", object="b", sources=["w"], since="w")
    >>> story_changes([st])["w"].starts == (st,)
    True
    """
    found: dict[str, tuple[list[Statement], list[Statement], list[Statement]]] = {}
    for st in statements:
        if st.since is not None:
            found.setdefault(st.since, ([], [], []))[0].append(st)
        if st.until is not None:
            found.setdefault(st.until, ([], [], []))[1].append(st)
        if st.predicate == "dies_in":
            found.setdefault(st.object, ([], [], []))[2].append(st)
    return {k: StoryChanges(tuple(a), tuple(b), tuple(c)) for k, (a, b, c) in found.items()}
