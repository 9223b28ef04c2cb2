"""Story and release chronology: a partial order, never an invented one.

Story order comes from the statements whose predicate has a ``chronology`` in
the relation registry: ``set_after`` / ``set_before`` (the subject happens
after or before the object), ``causes`` (a cause comes first) and ``during``
(an event happens within a work or another event). Release order comes from
the works' release dates.

Where the constraints leave two items unordered, the timeline says so: items
in one group are tied (nothing orders them), and an entry lists the items of
other groups it is not ordered against. Contradictory constraints (a cycle)
are a :class:`ChronologyError` naming every statement of the cycle.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> [e.entity.name for e in lore.timeline().entries()][6:9]
["Murder of Eve's family", 'John Wick (2014)', 'Death of Helen']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

import networkx as nx

from .._core.errors import ChronologyError, LoreError
from .._core.model import EntityBase, Event, Statement, Work, release_key
from .._core.relations import RELATIONS

if TYPE_CHECKING:
    import datetime as dt

    from .._core.errors import Origin

__all__ = ["Order", "StoryOrder", "Timeline", "TimelineEntry", "check_chronology"]

Order = Literal["story", "release"]
"""Story order (when things happen in the story) or release order (when viewers see them)."""

ORDERS: tuple[Order, ...] = get_args(Order)


def check_order(order: Order | str) -> Order:
    """``order`` itself when it names an order, else a :class:`LoreError`.

    Examples
    --------
    >>> check_order("story")
    'story'
    >>> check_order("chronological")
    Traceback (most recent call last):
    ...
    lorekit._core.errors.LoreError: unknown order 'chronological'; use 'story' or 'release'
    """
    if order not in ORDERS:
        raise LoreError(f"unknown order {order!r}; use 'story' or 'release'", value=order)
    return order


"""Which chronology: in-universe story time, or the works' release dates."""


@dataclass(frozen=True)
class TimelineEntry:
    """One work or event in a timeline.

    Attributes
    ----------
    entity
        The work or event.
    position
        Index of its group in :attr:`Timeline.groups`.
    tied_with
        Other items of the same group: nothing orders them against this one.
    unordered_with
        Items of other groups that the constraints do not order against this
        one either; the group order says nothing about them.
    during
        The work or event this one happens within, for ``during`` statements
        (in release order: the work an event is first shown in).
    """

    entity: EntityBase
    position: int
    tied_with: tuple[EntityBase, ...] = ()
    unordered_with: tuple[EntityBase, ...] = ()
    during: EntityBase | None = None


@dataclass(frozen=True)
class Timeline:
    """Works and events in order, as far as the data orders them."""

    order: Order
    groups: tuple[tuple[TimelineEntry, ...], ...]
    unplaced: tuple[EntityBase, ...] = ()
    """Works and events that no constraint places (no date, no story-order statement)."""

    def entries(self) -> Iterator[TimelineEntry]:
        """Every placed entry, group by group."""
        for group in self.groups:
            yield from group

    def ids(self) -> list[list[str]]:
        """The groups as lists of ids: ``[["a"], ["b", "c"], ...]``."""
        return [[e.entity.id for e in group] for group in self.groups]

    def _repr_html_(self) -> str:
        from .._views.notebook import timeline_html

        return timeline_html(self)

    def __str__(self) -> str:
        lines: list[str] = []
        for number, group in enumerate(self.groups, start=1):
            for i, entry in enumerate(group):
                mark = f"{number:>3}." if i == 0 else "   ="
                if entry.during is not None:
                    mark = "   ↳"
                text = f"{mark} {entry.entity.name}"
                if entry.during is not None:
                    word = "during" if self.order == "story" else "shown in"
                    text += f" ({word} {entry.during.name})"
                if entry.unordered_with:
                    names = ", ".join(e.name for e in entry.unordered_with)
                    text += f"  [order unknown against: {names}]"
                lines.append(text)
        if self.unplaced:
            lines.append("not placed: " + ", ".join(e.name for e in self.unplaced))
        return "\n".join(lines)


@dataclass
class StoryOrder:
    """The story-time partial order of the works and events of a universe.

    Items joined by ``during`` share one node of :attr:`graph`, named for the
    outermost of them; an edge ``u → v`` means ``u`` happens before ``v``.
    An order statement between two items of one node (two events of one
    film) orders those items, not the node: it is kept in :attr:`inner` and
    answered by :meth:`strictly_before_within` from an interval order of the node's items.

    Build it once per universe: :meth:`before` answers in constant time from
    reachability sets computed on first use, in one pass over a topological
    order (linear in the graph, plus one bit per pair of nodes).
    """

    graph: nx.DiGraph[str]
    container: dict[str, str]
    """For an item that happens during another: the node it belongs to."""
    parent: dict[str, str]
    """For an item that happens during another: that other item."""
    statements: dict[tuple[str, str], list[Statement]] = field(default_factory=dict)
    entities: Mapping[str, EntityBase] = field(default_factory=dict)
    """The universe's entities: they break ties between nodes (release order, then name)."""
    inner: dict[str, list[tuple[str, str, Statement]]] = field(default_factory=dict)
    """Per node: ``(earlier, later, statement)`` for the order statements inside it."""
    during_of: dict[str, Statement] = field(default_factory=dict)
    """For an item that happens during another: the statement that says so."""
    _reach: _Reach | None = field(default=None, init=False, repr=False)
    _local: dict[str, _Reach] = field(default_factory=dict, init=False, repr=False)
    _members: dict[str, list[str]] | None = field(default=None, init=False, repr=False)
    _items: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def build(
        cls, statements: Iterable[Statement], entities: Mapping[str, EntityBase] | None = None
    ) -> StoryOrder:
        """The partial order the chronology statements describe (cycles included)."""
        parent: dict[str, str] = {}
        during_of: dict[str, Statement] = {}
        edges: list[tuple[str, str, Statement]] = []
        for st in statements:
            how = _CHRONOLOGY.get(st.predicate)
            if how is None:
                continue
            if how == "during":
                parent[st.subject] = st.object
                during_of[st.subject] = st
            elif how == "after":
                edges.append((st.object, st.subject, st))
            elif how == "before":
                edges.append((st.subject, st.object, st))
        container = {item: _outermost(item, parent) for item in parent}
        graph: nx.DiGraph[str] = nx.DiGraph()
        by_edge: dict[tuple[str, str], list[Statement]] = {}
        inner: dict[str, list[tuple[str, str, Statement]]] = {}
        for u, v, st in edges:
            a, b = container.get(u, u), container.get(v, v)
            if a == b and u != v:  # two items of one node: an order inside it
                inner.setdefault(a, []).append((u, v, st))
                continue
            graph.add_edge(a, b)
            by_edge.setdefault((a, b), []).append(st)
        graph.add_nodes_from(container.values())
        graph.add_nodes_from(inner)
        return cls(graph, container, parent, by_edge, entities or {}, inner, during_of)

    def node(self, item: str) -> str:
        """The node an item belongs to."""
        return self.container.get(item, item)

    def placed(self, item: str) -> bool:
        """Whether any constraint mentions the item."""
        return item in self.container or item in self.graph

    def before(self, a: str, b: str) -> bool | None:
        """``True`` if ``a`` comes before ``b``, ``False`` if after, ``None`` if unknown."""
        u, v = self.node(a), self.node(b)
        if not (self.placed(a) and self.placed(b)) or a == b:
            return None
        if u == v:
            if self.strictly_before_within(a, b):
                return True
            return False if self.strictly_before_within(b, a) else None
        reach = self._reachability()
        if reach is None:  # a cyclic order (not validated): walk the graph
            if nx.has_path(self.graph, u, v):
                return True
            return False if nx.has_path(self.graph, v, u) else None
        iu, iv = reach.index[u], reach.index[v]
        if reach.later[iu] >> iv & 1:
            return True
        if reach.later[iv] >> iu & 1:
            return False
        return None

    def _reachability(self) -> _Reach | None:
        """What comes before and after each node (None for a cyclic order)."""
        if self._reach is None and nx.is_directed_acyclic_graph(self.graph):
            entities = self.entities
            self._reach = _Reach.of(self.graph, key=lambda n: _sort_key(entities.get(n)))
        return self._reach

    def _local_reach(self, node: str) -> _Reach | None:
        """The interval order of one node's items (None if it contradicts itself).

        Each item ``x`` is an interval, two nodes ``"x|start"`` and
        ``"x|end"``; an item during another lies within it, and an order
        statement inside the node puts the earlier item's end before the
        later one's start.
        """
        found = self._local.get(node)
        if found is None:
            graph = self.local_graph(node)
            if not nx.is_directed_acyclic_graph(graph):
                return None
            found = self._local[node] = _Reach.of(graph, key=lambda n: n)
        return found

    def local_graph(self, node: str) -> nx.DiGraph[str]:
        """:meth:`_local_reach`'s graph; an edge's ``statement`` is the statement that makes it."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        for item in self.items(node):
            graph.add_edge(f"{item}|start", f"{item}|end")
            up = self.parent.get(item)
            if up is not None and item != node:
                st = self.during_of.get(item)
                graph.add_edge(f"{up}|start", f"{item}|start", statement=st)
                graph.add_edge(f"{item}|end", f"{up}|end", statement=st)
        for u, v, st in self.inner.get(node, ()):
            graph.add_edge(f"{u}|end", f"{v}|start", statement=st)
        return graph

    def strictly_before_within(self, a: str, b: str) -> bool:
        """Whether item ``a`` ends before item ``b`` starts, both of one node."""
        node = self.node(a)
        if node not in self.inner:  # only during statements: nothing is strictly ordered
            return False
        reach = self._local_reach(node)
        if reach is None:
            return False
        return bool(reach.later[reach.index[f"{a}|end"]] >> reach.index[f"{b}|start"] & 1)

    def items(self, node: str) -> list[str]:
        """The node and the items during it, depth first, as a timeline lists them."""
        if self._members is None:
            self._members = {}
            for item, up in self.parent.items():
                if self.container[item] != item:
                    self._members.setdefault(up, []).append(item)
        found = self._items.get(node)
        if found is None:
            found = self._items[node] = [
                node,
                *_ordered_members(node, self._members, self.entities),
            ]
            local = self._local_reach(node) if node in self.inner else None
            if local is not None:  # ordered inside: earlier starts first, else as listed
                depth = {i: local.generation[local.index[f"{i}|start"]] for i in found}
                found.sort(key=lambda i: depth[i])
        return found

    def between(self, a: str, b: str) -> list[str]:
        """The nodes story time puts after ``a`` and before ``b``, in :meth:`nodes` order."""
        reach = self._reachability()
        if reach is None or not (self.placed(a) and self.placed(b)):
            return []
        u, v = reach.index[self.node(a)], reach.index[self.node(b)]
        return [reach.nodes[i] for i in _bits(reach.later[u] & reach.earlier[v])]


@dataclass(frozen=True)
class _Reach:
    """Reachability in a story-order DAG, as bitsets over a topological order.

    ``nodes`` are in topological generations (the timeline's groups), ties
    within a generation broken by name; bit ``i`` of ``later[n]`` is set when
    ``nodes[i]`` comes after node number ``n``, of ``earlier[n]`` when before.
    """

    nodes: tuple[str, ...]
    index: dict[str, int]
    generation: tuple[int, ...]
    later: tuple[int, ...]
    earlier: tuple[int, ...]

    @classmethod
    def of(cls, graph: nx.DiGraph[str], key: Callable[[str], Any]) -> _Reach:
        """Raises networkx's ``NetworkXUnfeasible`` on a cyclic graph."""
        ranked: list[tuple[int, str]] = []
        for depth, generation in enumerate(nx.topological_generations(graph)):
            ranked += [(depth, n) for n in generation]
        ranked.sort(key=lambda r: (r[0], key(r[1])))
        nodes = tuple(n for _, n in ranked)
        index = {n: i for i, n in enumerate(nodes)}
        later = [0] * len(nodes)
        earlier = [0] * len(nodes)
        succ, pred = graph.succ, graph.pred
        for i in range(len(nodes) - 1, -1, -1):  # a node's successors come later in the list
            bits = 0
            for m in succ[nodes[i]]:
                j = index[m]
                bits |= later[j] | (1 << j)
            later[i] = bits
        for i, n in enumerate(nodes):
            bits = 0
            for m in pred[n]:
                j = index[m]
                bits |= earlier[j] | (1 << j)
            earlier[i] = bits
        return cls(nodes, index, tuple(d for d, _ in ranked), tuple(later), tuple(earlier))


def _bits(value: int) -> Iterator[int]:
    """The positions of the set bits of ``value``, lowest first."""
    while value:
        low = value & -value
        yield low.bit_length() - 1
        value ^= low


_CHRONOLOGY = {name: kind.chronology for name, kind in RELATIONS.items() if kind.chronology}
"""Predicate → how it orders story time (after, before, during)."""


def _outermost(item: str, parent: Mapping[str, str]) -> str:
    seen = {item}
    while item in parent:
        item = parent[item]
        if item in seen:  # a during-cycle; keep it as its own node
            return item
        seen.add(item)
    return item


def check_chronology(
    statements: Sequence[Statement],
    names: Mapping[str, str],
    origins: Mapping[tuple[str, ...], Origin],
    order: StoryOrder | None = None,
) -> list[ChronologyError]:
    """Every contradiction in the story order, each naming the statements that form it.

    ``order`` is the story order of the same statements, when it is already built.
    """
    errors: list[ChronologyError] = []
    chrono = [s for s in statements if s.predicate in _CHRONOLOGY]
    parent = {s.subject: s for s in chrono if _CHRONOLOGY[s.predicate] == "during"}
    for start in parent:
        loop = _during_loop(start, parent)
        if loop and start == min(s.subject for s in loop):
            errors.append(_cycle_error(loop, names, origins))
    if order is None:
        order = StoryOrder.build(chrono)
    for cycle in nx.simple_cycles(order.graph):
        steps: list[Statement] = []
        for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            steps.append(order.statements[(u, v)][0])
        # a cycle inside one during-group also needs the during statements that close it
        steps += _during_links(steps, order, parent)
        errors.append(_cycle_error(steps, names, origins))
    for node in order.inner:
        errors += _inner_cycles(order.local_graph(node), names, origins)
    return errors


def _inner_cycles(
    graph: nx.DiGraph[str],
    names: Mapping[str, str],
    origins: Mapping[tuple[str, ...], Origin],
) -> list[ChronologyError]:
    """The contradictions among the items of one node, from its interval graph."""
    errors: list[ChronologyError] = []
    seen: set[frozenset[tuple[str, str, str]]] = set()
    for cycle in nx.simple_cycles(graph):
        steps: list[Statement] = []
        for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            st = graph.edges[u, v].get("statement")
            if st is not None and st not in steps:
                steps.append(st)
        if all(_CHRONOLOGY[st.predicate] == "during" for st in steps):
            continue  # a loop of during statements, reported on its own
        keys = frozenset(st.key for st in steps)
        if keys not in seen:
            seen.add(keys)
            errors.append(_cycle_error(steps, names, origins))
    return errors


def _during_loop(start: str, parent: Mapping[str, Statement]) -> list[Statement]:
    path: list[Statement] = []
    item = start
    seen: set[str] = set()
    while item in parent and item not in seen:
        seen.add(item)
        path.append(parent[item])
        item = parent[item].object
    return path if item == start else []


def _during_links(
    steps: Sequence[Statement], order: StoryOrder, parent: Mapping[str, Statement]
) -> list[Statement]:
    links: list[Statement] = []
    for st in steps:
        for end in (st.subject, st.object):
            while end in parent and parent[end] not in links:
                links.append(parent[end])
                end = parent[end].object
    return links


def _cycle_error(
    steps: Sequence[Statement],
    names: Mapping[str, str],
    origins: Mapping[tuple[str, ...], Origin],
) -> ChronologyError:
    def written_at(st: Statement) -> tuple[str, int]:
        origin = origins.get(("statement", *st.key))
        return (origin.file, origin.line) if origin else ("", 0)

    # start the cycle at the statement written first, keeping its order
    start = min(range(len(steps)), key=lambda i: written_at(steps[i]))
    steps = [*steps[start:], *steps[:start]]
    parts = []
    for st in steps:
        where = origins.get(("statement", *st.key))
        text = (
            f"{names.get(st.subject, st.subject)} {RELATIONS[st.predicate].label} "
            f"{names.get(st.object, st.object)}"
        )
        parts.append(f"{text} ({where})" if where else text)
    first = origins.get(("statement", *steps[0].key))
    return ChronologyError(
        "contradictory story order, a cycle: " + "; ".join(parts),
        file=first.file if first else None,
        line=first.line if first else None,
        value=[s.key for s in steps],
    )


def story_timeline(
    entities: Mapping[str, EntityBase],
    statements: Iterable[Statement],
    order: StoryOrder | None = None,
) -> Timeline:
    """Works and events in story order, with ties and unknown orders marked.

    ``order`` is the universe's story order (built with ``entities``) when it
    is already built.
    """
    if order is None:
        order = StoryOrder.build(statements, entities)
    reach = order._reachability() or _Reach.of(
        order.graph, key=lambda n: _sort_key(entities.get(n))
    )
    everything = (1 << len(reach.nodes)) - 1
    groups: list[tuple[TimelineEntry, ...]] = []
    start = 0
    while start < len(reach.nodes):
        index = reach.generation[start]
        stop = start
        while stop < len(reach.nodes) and reach.generation[stop] == index:
            stop += 1
        nodes = reach.nodes[start:stop]
        same = ((1 << stop) - 1) ^ ((1 << start) - 1)
        entries: list[TimelineEntry] = []
        for offset, node in enumerate(nodes):
            i = start + offset
            unordered = everything & ~(reach.later[i] | reach.earlier[i] | same)
            incomparable = [reach.nodes[k] for k in _bits(unordered)]
            tied = [m for m in nodes if m != node]
            for item in order.items(node):
                if item not in entities:
                    continue
                during = order.parent.get(item)
                entries.append(
                    TimelineEntry(
                        entity=entities[item],
                        position=len(groups),
                        tied_with=tuple(entities[m] for m in tied if m in entities),
                        unordered_with=tuple(entities[m] for m in incomparable if m in entities),
                        during=entities.get(during) if during else None,
                    )
                )
        groups.append(tuple(entries))
        start = stop
    placed = {e.entity.id for g in groups for e in g}
    unplaced = tuple(
        sorted((e for e in entities.values() if _in_story(e) and e.id not in placed), key=_sort_key)
    )
    return Timeline(order="story", groups=tuple(groups), unplaced=unplaced)


def _ordered_members(
    node: str, children: Mapping[str, list[str]], entities: Mapping[str, EntityBase]
) -> list[str]:
    """Items during ``node``, depth first, each after the item it is during."""
    out: list[str] = []

    def visit(item: str) -> None:
        found = children.get(item)
        if found:
            for child in sorted(found, key=lambda m: _sort_key(entities.get(m))):
                out.append(child)
                visit(child)

    visit(node)
    return out


def release_timeline(
    entities: Mapping[str, EntityBase], rank: Callable[[str], int] | None = None
) -> Timeline:
    """Works by release date (same date: tied); events with the work they are first shown in.

    Within a work, its events follow ``rank`` (a linear extension of story
    order, such as :meth:`StoryTime.rank`), names breaking ties; without it,
    they follow their names.
    """

    def event_key(event: EntityBase) -> tuple[int, tuple[int, str, int, str]]:
        return (rank(event.id) if rank is not None else 0, _sort_key(event))

    works = [e for e in entities.values() if isinstance(e, Work) and _in_story(e)]
    dated = sorted((w for w in works if w.release_date), key=_sort_key)
    # grouped once, in the order a scan would meet them: one pass each, not one per date
    same_date: dict[dt.date, list[Work]] = {}
    for w in dated:
        if w.release_date is not None:
            same_date.setdefault(w.release_date, []).append(w)
    shown_in: dict[str, list[EntityBase]] = {}
    for e in entities.values():
        if isinstance(e, Event) and e.first_appearance is not None:
            shown_in.setdefault(e.first_appearance, []).append(e)
    groups: list[tuple[TimelineEntry, ...]] = []
    for index, date in enumerate(sorted(same_date)):
        same = same_date[date]
        entries: list[TimelineEntry] = []
        for work in same:
            entries.append(
                TimelineEntry(
                    entity=work, position=index, tied_with=tuple(w for w in same if w is not work)
                )
            )
            for event in sorted(shown_in.get(work.id, ()), key=event_key):
                entries.append(TimelineEntry(entity=event, position=index, during=work))
        groups.append(tuple(entries))
    shown = {e.entity.id for g in groups for e in g}
    unplaced = tuple(
        e for e in sorted(entities.values(), key=_sort_key) if _in_story(e) and e.id not in shown
    )
    return Timeline(order="release", groups=tuple(groups), unplaced=unplaced)


def _in_story(entity: EntityBase) -> bool:
    """Works (but not whole franchises) and events belong on a timeline."""
    if isinstance(entity, Work):
        return entity.form != "franchise"
    return isinstance(entity, Event)


def _sort_key(entity: EntityBase | None) -> tuple[int, str, int, str]:
    """Release order, names breaking ties, unknown ids last."""
    return (2, "", 0, "") if entity is None else release_key(entity, entity.name)
