"""A stand-in for ``LoreGraph.story_time`` until the story branch is merged (tests only).

It follows the shared contract: a start and an end node per point, ``set_after``
and ``during`` edges, "strictly before" as reachability from an end to a start.
"""

from __future__ import annotations

from typing import Any

import networkx as nx


class StandInStoryTime:
    def __init__(self, lore: Any) -> None:
        g: nx.DiGraph[tuple[str, str]] = nx.DiGraph()
        self._points = [e.id for e in lore.entities() if e.kind in ("work", "event")]
        for p in self._points:
            g.add_edge(("s", p), ("e", p))
        for st in lore.statements:
            if st.predicate == "set_after":
                g.add_edge(("e", st.object), ("s", st.subject))
            elif st.predicate == "set_before":
                g.add_edge(("e", st.subject), ("s", st.object))
            elif st.predicate == "during":
                g.add_edge(("s", st.object), ("s", st.subject))
                g.add_edge(("e", st.subject), ("e", st.object))
        self._g = g
        self._dies = {st.subject: st.object for st in lore.statements if st.predicate == "dies_in"}

    def _path(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        return bool(nx.has_path(self._g, a, b))

    def points(self) -> list[str]:
        return [n[1] for n in nx.lexicographical_topological_sort(self._g) if n[0] == "s"]

    def holding(self, st: Any, p: str) -> str:
        if (st.since and self._path(("e", p), ("s", st.since))) or (
            st.until and self._path(("e", st.until), ("s", p))
        ):
            return "does-not-hold"
        if (not st.since or self._path(("s", st.since), ("e", p))) and (
            not st.until or self._path(("s", p), ("e", st.until))
        ):
            return "holds"
        return "not-determined"

    def death(self, character: str, p: str) -> str:
        x = self._dies.get(character)
        if x is None:
            return "does-not-hold"
        if self._path(("e", x), ("s", p)):
            return "holds"
        if self._path(("s", p), ("e", x)):
            return "does-not-hold"
        return "not-determined"


def install() -> None:
    """Give ``LoreGraph`` a ``story_time`` if it has none yet."""
    from lorekit import LoreGraph

    if not hasattr(LoreGraph, "story_time"):
        LoreGraph.story_time = lambda self: StandInStoryTime(self)  # type: ignore[attr-defined]
