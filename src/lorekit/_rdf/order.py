"""Story order as triples a SPARQL planner can use: ranks and precedence edges.

Story time is a partial order of intervals (see :mod:`lorekit._graph.story_time`):
every work and event is an interval, an event ``during`` a work lies within
it, and ``A set_after B`` (or ``B causes A``) puts the end of ``B`` strictly
before the start of ``A``. Point ``A`` is *strictly before* ``B`` when the end
of ``A`` reaches the start of ``B`` in the DAG of interval ends.

For every work and event that a story-order statement places, the export
derives (and the reader ignores):

* ``lore:storyPrecedes``: edges whose transitive closure is exactly
  *strictly before* (:meth:`StoryTime.precedes
  <lorekit._graph.story_time.StoryTime.precedes>` is ``True``). Between two
  works ordered by a statement, every point within the earlier (the work and
  what happens ``during`` it) precedes every point within the later; inside a
  work, the events its order statements put strictly before others. So
  ``?a lore:storyPrecedes+ ?b`` asks "does ``a`` end before ``b`` starts?"
  with one property path from a bound point. The closure itself is not
  exported: on a long saga it grows with the square of its length.
* ``lore:storyRank``: the point's place in a linear extension of story order
  (:meth:`StoryTime.rank <lorekit._graph.story_time.StoryTime.rank>`): ``a``
  strictly before ``b`` implies ``rank(a) < rank(b)``, so a query can prune
  with ``FILTER(?ra < ?rb)`` before it walks a path. Equal order of ranks
  says nothing by itself: two points may be unordered whatever their ranks.

* ``lore:storyPosition``: on a work, how many works story time puts strictly
  before it (:meth:`StoryTime.precedes
  <lorekit._graph.story_time.StoryTime.precedes>` is ``True``), counted from
  the order's reachability bitsets, so ``queries/story-order.rq`` reads one
  number per work instead of walking every chain.
* ``lore:storyOutermost``: the outermost work or event the point lies within
  (itself when it lies within none): the node of :class:`StoryOrder
  <lorekit._graph.timeline.StoryOrder>` it belongs to. Points of two different
  outermost points are ordered as those are; inside one, only the order
  statements between its items order them (the ``lore:storyPrecedes`` edges
  between them, closed already).
* ``lore:storyStage``: the stage of the point's outermost point
  (:func:`story_stages`). An outermost point that story time orders against
  every other is a *milestone*; milestones form a chain, and the stages
  number them and the stretches between them: the ``k``-th milestone
  (from 0) has stage ``2k + 1``, the outermost points after ``k`` milestones
  and before the next have stage ``2k``. Points of different stages are
  ordered by their stages, exactly: a smaller stage ends strictly before a
  larger one starts. Two outermost points of one even stage may or may not
  be ordered (only there does a query need ``lore:storyPrecedes+``). On a
  saga whose works form one chain, every work is a milestone, and a query
  answers "before or after" by comparing two numbers.

Points no story-order statement places get none of them: nothing orders them.

Examples
--------
>>> from lorekit import load
>>> base = "https://w3id.org/lorekit/universe/john-wick/"
>>> found = set(order_triples(load().universe, base))
>>> rank = {s[len(base):]: o[0] for s, p, o in found if p.endswith("storyRank")}
>>> rank["john-wick-2014"] < rank["john-wick-chapter-2"] < rank["john-wick-chapter-4"]
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx
from rdflib.namespace import XSD

from .._core.model import Event, Universe, Work
from .._graph.story_time import StoryTime
from .._graph.timeline import StoryOrder
from .vocab import LORE

if TYPE_CHECKING:
    from .triples import Triple

__all__ = ["order_triples", "story_edges", "story_stages", "work_positions"]

_RANK = str(LORE.storyRank)
_POSITION = str(LORE.storyPosition)
_PRECEDES = str(LORE.storyPrecedes)
_STAGE = str(LORE.storyStage)
_OUTERMOST = str(LORE.storyOutermost)
_INTEGER = str(XSD.integer)


def story_edges(
    universe: Universe,
) -> tuple[dict[str, set[str]], dict[str, int], StoryOrder] | None:
    """The precedence edges (earlier → later points) and ranks of ``universe``'s story order,
    and the order they come from.

    Both come from :class:`lorekit._graph.story_time.StoryTime`, so the export
    answers as :meth:`LoreGraph.at <lorekit.LoreGraph.at>` does: ``a`` reaches
    ``b`` by the edges exactly when ``StoryTime.precedes(a, b)`` is ``True``,
    and a rank is :meth:`StoryTime.rank`. ``None`` when the order has a cycle
    (a universe that failed its chronology check); the points no order
    statement places are in neither.

    Examples
    --------
    >>> from lorekit import load
    >>> edges, rank, order = story_edges(load().universe)
    >>> "john-wick-chapter-3" in edges["john-wick-chapter-2"]
    True
    """
    entities = {e.id: e for e in universe.entities}
    order = StoryOrder.build(universe.statements, entities)
    if not nx.is_directed_acyclic_graph(order.graph):
        return None
    time = StoryTime(order, entities, universe.statements)
    points = {e.id for e in universe.entities if isinstance(e, Work | Event)}
    edges: dict[str, set[str]] = defaultdict(set)
    # between two nodes (works with what happens during them): every item before every item
    for u, v in order.graph.edges:
        later = [i for i in order.items(v) if i in points]
        for item in order.items(u):
            if item in points:
                edges[item].update(later)
    # inside one node: the items its order statements put strictly before others
    for node in order.inner:
        items = [i for i in order.items(node) if i in points]
        for a in items:
            for b in items:
                if a != b and order.strictly_before_within(a, b):
                    edges[a].add(b)
    rank = {p: time.rank(p) for p in points if order.placed(p)}
    return dict(edges), rank, order


def work_positions(universe: Universe, order: StoryOrder | None = None) -> dict[str, int]:
    """How many works story time puts strictly before each placed work of ``universe``.

    Only works that lie within no other work count and get a position: an
    episode ``during`` its series takes its place within the series, which
    counts once.

    The count :meth:`StoryTime.precedes
    <lorekit._graph.story_time.StoryTime.precedes>` gives, in one pass over
    the order's reachability bitsets (one population count per work and per
    number of works a node holds) plus the few orders inside one node. Empty
    when the order has a cycle. ``order`` is the universe's story order when
    it is already built.

    Examples
    --------
    >>> from lorekit import load
    >>> found = work_positions(load().universe)
    >>> found["john-wick-2014"], found["john-wick-chapter-4"]
    (1, 5)
    """
    if order is None:
        entities = {e.id: e for e in universe.entities}
        order = StoryOrder.build(universe.statements, entities)
    reach = order._reachability()
    if reach is None:
        return {}
    works = {e.id for e in universe.entities if isinstance(e, Work)}
    works -= {
        st.subject for st in universe.statements if st.predicate == "during" and st.object in works
    }
    held = [[i for i in order.items(n) if i in works] for n in reach.nodes]
    # masks[k]: the nodes holding more than k works, so the works in a set of
    # nodes are the sum of its population counts against every mask
    masks: list[int] = []
    for index, found in enumerate(held):
        for k in range(len(found)):
            if k == len(masks):
                masks.append(0)
            masks[k] |= 1 << index
    positions: dict[str, int] = {}
    for index, found in enumerate(held):
        earlier = reach.earlier[index]
        count = sum((earlier & mask).bit_count() for mask in masks)
        for work in found:  # works of one node: only an order inside it puts one first
            inside = sum(1 for w in found if order.strictly_before_within(w, work))
            positions[work] = count + inside
    return positions


def story_stages(order: StoryOrder) -> dict[str, int]:
    """The stage of each node of an acyclic story ``order`` (empty when it has a cycle).

    A node that the order puts before or after every other node is a
    milestone. Milestones are ordered against each other, so they form a
    chain, and every other node lies between two consecutive ones (or before
    the first, or after the last). The ``k``-th milestone (from 0) has stage
    ``2k + 1``; a node after ``k`` milestones and before the next has stage
    ``2k``. So for two different nodes, ``stage(u) < stage(v)`` implies ``u``
    comes before ``v``, and equal stages mean both lie between the same two
    milestones, where only the order itself can tell.

    Computed from the order's reachability bitsets: one test per node whether
    what comes before or after it is every other node, and one population
    count of the milestones before it.

    Examples
    --------
    >>> from lorekit import load
    >>> stage = story_stages(load().story_order())
    >>> stage["john-wick-2014"] < stage["john-wick-chapter-2"] < stage["john-wick-chapter-4"]
    True
    >>> stage["the-continental"], stage["murder-of-eves-family"]  # not ordered against each other
    (0, 0)
    """
    reach = order._reachability()
    if reach is None:
        return {}
    full = (1 << len(reach.nodes)) - 1
    milestones = 0
    for index in range(len(reach.nodes)):
        if reach.later[index] | reach.earlier[index] | (1 << index) == full:
            milestones |= 1 << index
    return {
        node: 2 * (reach.earlier[index] & milestones).bit_count() + (milestones >> index & 1)
        for index, node in enumerate(reach.nodes)
    }


def order_triples(universe: Universe, base: str) -> Iterator[Triple]:
    """The ``lore:storyRank``, ``lore:storyPrecedes``, ``lore:storyPosition``,
    ``lore:storyOutermost`` and ``lore:storyStage`` triples of ``universe``."""
    found = story_edges(universe)
    if found is None:
        return
    edges, rank, order = found
    for work, position in sorted(work_positions(universe, order).items()):
        yield (base + work, _POSITION, (position, str(position), _INTEGER))
    stages = story_stages(order)
    for point in sorted(rank):
        node = base + point
        outermost = order.node(point)
        stage = stages[outermost]
        yield (node, _RANK, (rank[point], str(rank[point]), _INTEGER))
        yield (node, _STAGE, (stage, str(stage), _INTEGER))
        yield (node, _OUTERMOST, base + outermost)
        for later in sorted(edges.get(point, ())):
            yield (node, _PRECEDES, base + later)
