"""Shortest explained paths: the walk behind :meth:`LoreGraph.path <lorekit.LoreGraph.path>`.

A path walks statements in both directions, each step costing its
relation's ``cost`` (lore steps are cheaper than production and reception
ones). The walk is a bidirectional Dijkstra over an undirected graph with
one edge per linked pair (:func:`path_graph`), built from the graph's index
(:mod:`.adjacency`) in the order of the networkx ``MultiDiGraph``'s edges.
It is networkx's ``bidirectional_dijkstra`` step for step (the same
expansion order, the same tie-breaking counter), so ties fall as they
always have, over plain dicts: no networkx import, no weight function per
edge.

Examples
--------
>>> from lorekit import load
>>> print(load().path("Eve Macarro", "John Wick"))
Eve Macarro —member of→ Ruska Roma —has member→ John Wick
"""

from __future__ import annotations

from collections.abc import Mapping
from heapq import heappop, heappush
from itertools import count
from typing import TYPE_CHECKING

from .._core.gc import collector_paused
from .._core.relations import RELATIONS

if TYPE_CHECKING:
    from .._core.model import EntityBase, Statement
    from .adjacency import Adjacency

__all__ = ["PathGraph", "path_graph", "shortest_path", "step_statement"]

PathGraph = dict[str, dict[str, float]]
"""Each node's neighbours with the cost of the cheapest step to them, in the order
a networkx ``Graph`` built edge by edge keeps them (both ends share one cost)."""


def path_graph(
    entities: Mapping[str, EntityBase], adjacency: Adjacency, keep: frozenset[str] | None
) -> PathGraph:
    """The undirected graph a path walks: one edge per linked pair, weighted by the
    cheapest statement between them in the kept layers (``None``: every layer)."""
    graph: PathGraph = {node: {} for node in entities}
    others = [node for node in adjacency.subjects() if node not in entities]
    with collector_paused():  # a dict per node: the collector would walk the whole universe
        for u in (*entities, *others):
            for st in adjacency.out_of(u):
                v = st.object
                if u == v or (keep is not None and st.layer not in keep):
                    continue
                cost = RELATIONS[st.predicate].cost
                near = graph.get(u)
                if near is None:
                    near = graph[u] = {}
                known = near.get(v)
                if known is None:
                    far = graph.get(v)
                    if far is None:
                        far = graph[v] = {}
                    near[v] = far[u] = cost
                elif cost < known:  # a cheaper statement: the pair keeps its place
                    near[v] = graph[v][u] = cost
    return graph


def shortest_path(graph: PathGraph, start: str, end: str) -> list[str] | None:
    """The ids along the cheapest path from ``start`` to ``end`` in a :func:`path_graph`,
    as networkx's ``bidirectional_dijkstra`` finds it; ``None`` when there is none."""
    if start not in graph or end not in graph:
        return None
    if start == end:
        return [start]
    dists: tuple[dict[str, float], dict[str, float]] = ({}, {})
    preds: tuple[dict[str, str | None], dict[str, str | None]] = ({start: None}, {end: None})
    seen: tuple[dict[str, float], dict[str, float]] = ({start: 0}, {end: 0})
    fringe: tuple[list[tuple[float, int, str]], list[tuple[float, int, str]]] = ([], [])
    c = count()
    heappush(fringe[0], (0, next(c), start))
    heappush(fringe[1], (0, next(c), end))
    finaldist: float | None = None
    meetnode: str | None = None
    direction = 1
    while fringe[0] and fringe[1]:
        direction = 1 - direction
        dist, _, v = heappop(fringe[direction])
        done = dists[direction]
        if v in done:
            continue
        done[v] = dist
        if v in dists[1 - direction]:
            assert meetnode is not None
            return _walk(preds, meetnode)
        near, pred = seen[direction], preds[direction]
        other = seen[1 - direction]
        heap = fringe[direction]
        for w, cost in graph[v].items():
            length = dist + cost
            if w in done:
                continue  # costs are positive: never shorter than its final distance
            if w not in near or length < near[w]:
                near[w] = length
                heappush(heap, (length, next(c), w))
                pred[w] = v
                if w in other:
                    through = length + other[w]
                    if finaldist is None or finaldist > through:
                        finaldist, meetnode = through, w
    return None


def _walk(preds: tuple[dict[str, str | None], dict[str, str | None]], meet: str) -> list[str]:
    """The path through ``meet``: back to the start, then on to the end."""
    forward: list[str] = []
    node: str | None = meet
    while node is not None:
        forward.append(node)
        node = preds[0][node]
    forward.reverse()
    node = preds[1][meet]
    while node is not None:
        forward.append(node)
        node = preds[1][node]
    return forward


def step_statement(adjacency: Adjacency, u: str, v: str, keep: frozenset[str] | None) -> Statement:
    """The statement a step from ``u`` to ``v`` takes: the cheapest between them (either
    way round) in the kept layers, the first predicate in alphabetical order on a tie."""
    candidates = [
        st
        for x, y in ((u, v), (v, u))
        for st in adjacency.out_of(x)
        if st.object == y and (keep is None or st.layer in keep)
    ]
    return min(candidates, key=lambda s: (RELATIONS[s.predicate].cost, s.predicate))
