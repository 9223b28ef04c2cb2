"""Story order as triples a SPARQL planner can use: ranks and precedence edges.

Story time is a partial order of intervals (see :mod:`lorekit._graph.story_time`):
every work and event is an interval, an event ``during`` a work lies within
it, and ``A set_after B`` (or ``B causes A``) puts the end of ``B`` strictly
before the start of ``A``. Point ``A`` is *strictly before* ``B`` when the end
of ``A`` reaches the start of ``B`` in the DAG of interval ends.

For every work and event that a story-order statement places, the export
derives (and the reader ignores):

* ``lore:storyPrecedes``: edges whose transitive closure is exactly
  *strictly before*. For each ``Y set_after X`` every point within ``X``
  (``X`` and what happens ``during`` it, transitively) precedes every point
  within ``Y``; so ``?a lore:storyPrecedes+ ?b`` asks "does ``a`` end before
  ``b`` starts?" with one property path from a bound point.
* ``lore:storyRank``: the point's depth in that order, the length of the
  longest ``lore:storyPrecedes`` chain that ends at it. ``a`` strictly before
  ``b`` implies ``rank(a) < rank(b)``, so ordering by rank is a linear
  extension of story order, and a query can prune with ``FILTER(?r < ?s)``
  before it walks a path.

Points no story-order statement places get neither: nothing orders them.

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
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING

from rdflib.namespace import XSD

from .._core.model import Event, Universe, Work
from .._core.relations import RELATIONS
from .vocab import LORE

if TYPE_CHECKING:
    from .triples import Triple

__all__ = ["story_edges", "order_triples"]

_RANK = str(LORE.storyRank)
_PRECEDES = str(LORE.storyPrecedes)
_INTEGER = str(XSD.integer)


def story_edges(universe: Universe) -> tuple[dict[str, set[str]], dict[str, int]] | None:
    """The precedence edges (earlier → later points) and ranks of ``universe``'s story order.

    ``None`` when the order has a cycle (a universe that failed its chronology
    check); the points no order statement places are in neither.

    Examples
    --------
    >>> from lorekit import load
    >>> edges, rank = story_edges(load().universe)
    >>> "john-wick-chapter-3" in edges["john-wick-chapter-2"]
    True
    """
    points = {e.id for e in universe.entities if isinstance(e, Work | Event)}
    after: list[tuple[str, str]] = []  # (earlier, later)
    within: dict[str, list[str]] = defaultdict(list)  # container → what is during it
    placed: set[str] = set()
    for st in universe.statements:
        how = RELATIONS[st.predicate].chronology
        if not how or st.subject not in points or st.object not in points:
            continue
        placed.update((st.subject, st.object))
        if how == "after":
            after.append((st.object, st.subject))
        elif how == "before":
            after.append((st.subject, st.object))
        else:
            within[st.object].append(st.subject)
    inside: dict[str, list[str]] = {}

    def inside_of(point: str, path: frozenset[str] = frozenset()) -> list[str]:
        found = inside.get(point)
        if found is None:
            found = [point]
            for child in within.get(point, ()):
                if child not in path:  # a during-cycle: the chronology check reports it
                    found += inside_of(child, path | {point})
            inside[point] = found = list(dict.fromkeys(found))
        return found

    edges: dict[str, set[str]] = defaultdict(set)
    for earlier, later in after:
        late = inside_of(later)
        for p in inside_of(earlier):
            edges[p].update(late)
    preds: dict[str, set[str]] = {p: set() for p in placed}
    for p, later_ones in edges.items():
        for q in later_ones:
            preds[q].add(p)
    rank: dict[str, int] = {}
    try:
        for p in TopologicalSorter(preds).static_order():
            rank[p] = max((rank[q] + 1 for q in preds[p]), default=0)
    except CycleError:
        return None
    return dict(edges), rank


def order_triples(universe: Universe, base: str) -> Iterator[Triple]:
    """The ``lore:storyRank`` and ``lore:storyPrecedes`` triples of ``universe``."""
    found = story_edges(universe)
    if found is None:
        return
    edges, rank = found
    for point in sorted(rank):
        node = base + point
        yield (node, _RANK, (rank[point], str(rank[point]), _INTEGER))
        for later in sorted(edges.get(point, ())):
            yield (node, _PRECEDES, base + later)
