"""Shortest explained paths: the walk behind :meth:`LoreGraph.path <lorekit.LoreGraph.path>`.

A path walks statements in both directions, each step costing its
relation's ``cost`` (lore steps are cheaper than production and reception
ones). The walk is networkx's bidirectional Dijkstra over an undirected
graph with one edge per linked pair, built from the graph's index
(:mod:`.adjacency`) in the order of the networkx ``MultiDiGraph``'s edges, so
that ties fall as they always have. networkx is imported when a path is
first asked for.

Examples
--------
>>> from lorekit import load
>>> print(load().path("Eve Macarro", "John Wick"))
Eve Macarro —member of→ Ruska Roma —has member→ John Wick
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._core.relations import RELATIONS

if TYPE_CHECKING:
    import networkx as nx

    from .._core.model import EntityBase, Statement
    from .adjacency import Adjacency

__all__ = ["path_graph", "shortest_path", "step_statement"]


def path_graph(
    entities: Mapping[str, EntityBase], adjacency: Adjacency, keep: frozenset[str] | None
) -> nx.Graph[str]:
    """The undirected graph a path walks: one edge per linked pair, weighted by the
    cheapest statement between them in the kept layers (``None``: every layer)."""
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(entities)
    others = (node for node in adjacency.subjects() if node not in entities)
    for u in (*entities, *others):
        for st in adjacency.out_of(u):
            v = st.object
            if u == v or (keep is not None and st.layer not in keep):
                continue
            cost = RELATIONS[st.predicate].cost
            known = graph.get_edge_data(u, v)
            if known is None or cost < known["cost"]:
                graph.add_edge(u, v, cost=cost)
    return graph


def shortest_path(graph: nx.Graph[str], start: str, end: str) -> list[str] | None:
    """The ids along the cheapest path from ``start`` to ``end`` in a :func:`path_graph`."""
    import networkx as nx

    try:
        _, nodes = nx.bidirectional_dijkstra(graph, start, end, weight="cost")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return list(nodes)


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
