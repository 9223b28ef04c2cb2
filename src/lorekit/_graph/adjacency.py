"""Which statements touch each entity: the graph's index, kept without networkx.

:class:`~lorekit._graph.graph.LoreGraph` answers its everyday queries
(:meth:`~lorekit.LoreGraph.relations`, :meth:`~lorekit.LoreGraph.degree`, a
path's steps) from an :class:`Adjacency`: the statements out of and into
each entity, in the order a networkx ``MultiDiGraph`` built from the same
statements gives its edges. The ``MultiDiGraph`` itself
(:func:`multidigraph`) is built only when a query needs networkx, so a
graph read back from the load cache answers ``lorekit show`` without
importing it.

Examples
--------
>>> from lorekit import Statement
>>> a = Statement(subject="a", predicate="ally_of", object="b", sources=["w"])
>>> c = Statement(subject="a", predicate="enemy_of", object="c", sources=["w"])
>>> d = Statement(subject="a", predicate="enemy_of", object="b", sources=["w"])
>>> index = Adjacency.of([a, c, d])
>>> [s.object for s in index.out_of("a")]  # grouped by the other end, as networkx does
['b', 'b', 'c']
>>> [s.subject for s in index.into("b")], index.degree("b")
(['a', 'a'], 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._core.gc import collector_paused

if TYPE_CHECKING:
    import networkx as nx

    from .._core.model import EntityBase, Statement

__all__ = ["Adjacency", "multidigraph"]

_NONE: tuple[Statement, ...] = ()
_State = tuple[
    "Mapping[str, tuple[Statement, ...]]",
    "Mapping[str, tuple[Statement, ...]]",
    "frozenset[tuple[str, str, str]]",
]


class Adjacency:
    """The statements out of and into each entity id, in networkx's edge order.

    Out of a node, networkx gives its edges grouped by the other end (the
    ends in the order their first statement came), and by predicate within
    a group; into a node, likewise. A statement about its own subject is
    both out of and into it. ``removed`` holds the keys of statements left
    out (:meth:`without`), filtered as they are read.
    """

    __slots__ = ("_in", "_out", "_removed")

    def __init__(
        self,
        out: Mapping[str, tuple[Statement, ...]],
        into: Mapping[str, tuple[Statement, ...]],
        removed: frozenset[tuple[str, str, str]] = frozenset(),
    ) -> None:
        self._out = out
        self._in = into
        self._removed = removed

    @classmethod
    def of(cls, statements: Iterable[Statement]) -> Adjacency:
        """The index of ``statements``; of two with one key, the later one stands where
        the first was (as networkx's ``add_edge`` keeps a key's place and takes its data)."""
        with collector_paused():  # dicts and tuples by the hundred thousand, in no cycle
            return cls._of(statements)

    @classmethod
    def _of(cls, statements: Iterable[Statement]) -> Adjacency:
        out: dict[str, dict[str, dict[str, Statement]]] = {}
        into: dict[str, dict[str, dict[str, Statement]]] = {}
        for st in statements:
            subject, obj = st.subject, st.object
            ends = out.get(subject)
            if ends is None:
                ends = out[subject] = {}
            keyed = ends.get(obj)
            if keyed is None:
                keyed = ends[obj] = {}
                back = into.get(obj)
                if back is None:
                    back = into[obj] = {}
                back[subject] = keyed  # the same statements, seen from the other end
            keyed[st.predicate] = st
        return cls(_flat(out), _flat(into))

    def __getstate__(self) -> _State:
        return (self._out, self._in, self._removed)

    def __setstate__(self, state: _State) -> None:
        self._out, self._in, self._removed = state

    def without(self, removed: frozenset[tuple[str, str, str]]) -> Adjacency:
        """The same index without the statements of these keys; nothing is copied."""
        return Adjacency(self._out, self._in, self._removed | removed) if removed else self

    def out_of(self, node: str) -> tuple[Statement, ...]:
        """The statements whose subject is ``node``."""
        return self._kept(self._out.get(node, _NONE))

    def into(self, node: str) -> tuple[Statement, ...]:
        """The statements whose object is ``node``."""
        return self._kept(self._in.get(node, _NONE))

    def subjects(self) -> Iterable[str]:
        """Every id some statement is about, in the order of its first statement."""
        return self._out.keys()

    def degree(self, node: str) -> int:
        """How many statements ``node`` is an end of; one about itself counts twice."""
        return len(self.out_of(node)) + len(self.into(node))

    def _kept(self, found: tuple[Statement, ...]) -> tuple[Statement, ...]:
        removed = self._removed
        if not removed or not found:
            return found
        return tuple(st for st in found if st.key not in removed)


def _flat(table: dict[str, dict[str, dict[str, Statement]]]) -> dict[str, tuple[Statement, ...]]:
    return {
        node: tuple(st for keyed in ends.values() for st in keyed.values())
        for node, ends in table.items()
    }


def multidigraph(
    name: str, entities: Iterable[EntityBase], statements: Iterable[Statement]
) -> nx.MultiDiGraph[str]:
    """The networkx graph of a universe: each entity a node keyed by its id, with the
    entity under ``"entity"``; each statement an edge keyed by its predicate, with the
    statement under ``"statement"``."""
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=name)
    for entity in entities:
        graph.add_node(entity.id, entity=entity)
    for st in statements:
        graph.add_edge(st.subject, st.object, key=st.predicate, statement=st)
    return graph
