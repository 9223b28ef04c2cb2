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

from collections.abc import Iterable, Mapping, Sequence
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

    def span_rows(
        self, spans: Sequence[tuple[str | None, str | None]], points: Sequence[str]
    ) -> list[str]:
        """:meth:`span_holding` of each span at each of ``points``, one string per span.

        Character ``i`` of a span's string answers for ``points[i]``: ``1``
        holds, ``0`` does not hold, ``?`` not determined. It is the batch form
        of :meth:`span_holding` (the same answers), built from one row of
        precedence per end of a span instead of a question per point, so the
        graph page's story data stays fast on a long story.

        Examples
        --------
        >>> from lorekit import load
        >>> time = load().story_time()
        >>> points = ["john-wick-2014", "john-wick-chapter-4"]
        >>> time.span_rows([("john-wick-chapter-3", None)], points)
        ['01']
        """
        rows = _Precedence(self, points)
        ones = rows.ones
        out = []
        for since, until in spans:
            starts = ones if since is None else rows.before(since)
            ends = ones if until is None else rows.after(until)
            out.append(rows.text(starts * 3 + ends, _SPAN_TABLE))
        return out

    def death_rows(self, characters: Sequence[str], points: Sequence[str]) -> list[str]:
        """:meth:`death` of each character at each of ``points``, one string per character.

        Character ``i`` of a string answers for ``points[i]``: ``1`` dead,
        ``0`` alive, ``?`` not determined (the batch form of :meth:`death`).

        Examples
        --------
        >>> from lorekit import load
        >>> load().story_time().death_rows(["helen-wick"], ["john-wick-2014", "ballerina"])
        ['01']
        """
        rows = _Precedence(self, points)
        out = []
        for character in characters:
            where = self._deaths.get(character, ())
            if len(where) == 1:
                out.append(rows.text(rows.after(where[0]), _DEATH_TABLE))
                continue
            answers = [rows.after(w).to_bytes(len(points), "big") for w in where]
            out.append(
                "".join(
                    "1" if 2 in codes else "0" if all(c == 1 for c in codes) else "?"
                    for codes in zip(*answers, strict=True)
                )
                if answers
                else "0" * len(points)
            )
        return out

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


_TRUE, _FALSE, _UNKNOWN = 2, 1, 0
"""How :class:`_Precedence` codes one answer of :meth:`StoryTime.precedes` in a byte."""
_SPAN_TABLE = bytes(
    ord("0" if _TRUE in (s, e) else "1" if s == e == _FALSE else "?") if i < 9 else 0
    for i in range(256)
    for s, e in [divmod(i, 3)]
)
"""Byte ``3 * starts + ends`` (the point precedes ``since``; ``until`` precedes the
point) to the answer character of :meth:`StoryTime.span_holding`. A missing end
counts as ``_FALSE``: it never excludes the point, as with ``span_holding``."""
_DEATH_TABLE = bytes(ord({_TRUE: "1", _FALSE: "0"}.get(i, "?")) if i < 3 else 0 for i in range(256))
"""Byte (the death point precedes the point) to the answer character of :meth:`StoryTime.death`."""


class _Precedence:
    """Rows of :meth:`StoryTime.precedes` against every one of ``points`` at once.

    A row is a big integer with one byte per point (the first point in the
    highest byte), coded ``_TRUE``, ``_FALSE`` or ``_UNKNOWN``, so that rows
    combine with integer arithmetic, byte by byte, without a carry. Across
    two nodes of the story order a row comes from the node's reachability
    bitsets; the points that share the end's node (an event and its work)
    are asked one by one.
    """

    def __init__(self, time: StoryTime, points: Sequence[str]) -> None:
        self.time = time
        self.points = points
        self.ones = int.from_bytes(bytes([_FALSE]) * len(points), "big")
        order = time.order
        self.reach = order._reachability()
        index = self.reach.index if self.reach is not None else {}
        self.sentinel = len(index)
        self.where = [
            index.get(order.node(p), self.sentinel) if order.placed(p) else self.sentinel
            for p in points
        ]
        self.same: dict[str, list[int]] = {}
        for i, p in enumerate(points):
            self.same.setdefault(order.node(p), []).append(i)
        self._rows: dict[tuple[str, bool], int] = {}

    def before(self, end: str) -> int:
        """Each point ``p`` of the row: ``precedes(p, end)``."""
        return self._row(end, later=False)

    def after(self, end: str) -> int:
        """Each point ``p`` of the row: ``precedes(end, p)``."""
        return self._row(end, later=True)

    def text(self, row: int, table: bytes) -> str:
        return row.to_bytes(len(self.points), "big").translate(table).decode("ascii")

    def _row(self, end: str, *, later: bool) -> int:
        found = self._rows.get((end, later))
        if found is not None:
            return found
        time, order, reach, n = self.time, self.time.order, self.reach, len(self.points)
        if reach is None:  # a cyclic order (not validated): ask point by point
            codes = bytearray(
                _code(time.precedes(end, p) if later else time.precedes(p, end))
                for p in self.points
            )
        else:
            codes = bytearray(n)
            if order.placed(end):
                v = reach.index[order.node(end)]
                nodes = len(reach.nodes)
                earlier, after = _bytes(reach.earlier[v], nodes), _bytes(reach.later[v], nodes)
                # a node after ``end``'s proves precedes(end, p); one before it, precedes(p, end)
                yes, no = (after, earlier) if later else (earlier, after)
                by_node = (
                    (
                        int.from_bytes(yes, "big") * _TRUE + int.from_bytes(no, "big") * _FALSE
                    ).to_bytes(nodes, "big")
                    + bytes([_UNKNOWN])  # the sentinel: a point the order does not place
                )
                codes = bytearray(map(by_node.__getitem__, self.where))
            for i in self.same.get(order.node(end), ()):
                p = self.points[i]
                codes[i] = _code(time.precedes(end, p) if later else time.precedes(p, end))
        found = self._rows[(end, later)] = int.from_bytes(codes, "big")
        return found


def _bytes(bits: int, width: int) -> bytes:
    """Byte ``i`` is 1 when bit ``i`` of ``bits`` is set, else 0."""
    return format(bits, f"0{width}b")[::-1].encode("ascii").translate(_BIT_TABLE) if width else b""


_BIT_TABLE = bytes(1 if i == ord("1") else 0 for i in range(256))


def _code(answer: bool | None) -> int:
    return _UNKNOWN if answer is None else _TRUE if answer else _FALSE


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
