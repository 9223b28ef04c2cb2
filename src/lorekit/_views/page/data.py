"""The data of the graph page: the universe as the JSON the page script reads.

:func:`page_data` returns it as one dictionary: the universe's description and
counts, the legend (:data:`~.styles.KIND_STYLES`, :data:`~.styles.LAYER_STYLES`,
the relations in use), the vis-network nodes and edges, each with a ``lore``
object of its own for the side panel, the search and later views, the notes,
the spoiler horizons and the vis-network options.

The nodes and edges are the dictionaries pyvis's ``Network.add_node``/
``add_edge`` would make (``id``, ``label``, ``shape``, ``color``, ``title``;
``from``, ``to``, ``arrows``, ``dashes``), written as JSON text by
:mod:`.records` (one shape per kind and relation) and, here, read back: the
page and :func:`page_data` carry the same data because one writer made both.

Node ids are indices, not entity ids: vis-network keeps nodes in a plain
object, where an entity called ``constructor`` would collide with
``Object.prototype``. The entity id is ``node["lore"]["id"]``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..._core.gc import collector_paused
from ..._core.model import EntityBase, Statement
from ..._core.relations import LAYERS, RELATIONS
from .records import citations, edges_json, layer_of, nodes_json
from .story import story_data
from .styles import KIND_STYLES, LAYER_STYLES, KindStyle, dashes

if TYPE_CHECKING:
    from ..._graph.graph import LoreGraph

__all__ = ["DATA_FORMAT", "PageParts", "page_data", "page_parts"]

DATA_FORMAT = 1
"""Version of the JSON the page script reads; bump it when a field changes meaning."""

_NAMING_PREDICATES = frozenset({"holds_title"})
"""Predicates whose object's name also names the subject: the underworld calls
John Wick "Baba Yaga", so searching for the title finds its holder too."""


def page_data(
    lore: LoreGraph, *, title: str | None = None, at: str | None = None
) -> dict[str, Any]:
    """The JSON the page script reads: vis-network nodes and edges with their lore.

    Nodes and edges are the dictionaries pyvis would build, plus ``kind`` and a
    ``lore`` object (name, aliases, description, facts, citations; or the
    statement's predicate, layer, note, citations, ``revealed_in``). Views may
    add fields of their own to either without breaking the page. A universe
    with spans or deaths (or a page opened ``at`` a story point) also gets
    ``story``, the data of the "At: …" selector (:func:`~.story.story_data`).

    Examples
    --------
    >>> from lorekit import load
    >>> data = page_data(load())
    >>> eve = next(n for n in data["nodes"] if n["lore"]["id"] == "eve-macarro")
    >>> eve["label"], eve["shape"], eve["lore"]["aliases"]
    ('Eve Macarro', 'dot', ['Eve', 'Macarro'])
    >>> edge = next(e for e in data["edges"] if e["lore"]["predicate"] == "reviews")
    >>> edge["label"], edge["dashes"]
    ('reviews', [10, 6])
    """
    with collector_paused():
        parts = page_parts(lore, title=title, at=at)
        nodes, edges = json.loads(parts.nodes_json()), json.loads(parts.edges_json())
        return {**parts.head, "nodes": nodes, "edges": edges, **parts.tail}


@dataclass(frozen=True)
class PageParts:
    """The page data around its nodes and edges, and what those are written from.

    :func:`~lorekit._views.page.html.to_html` writes the JSON of the nodes and
    edges straight into the page; :func:`page_data` reads the same text back.
    """

    head: dict[str, Any]
    """The members before ``nodes``: format, title, universe, counts, legend."""
    tail: dict[str, Any]
    """The members after ``edges``: notes, horizons, cut, story (when any), options."""
    entities: Sequence[EntityBase]
    statements: Sequence[Statement]
    degree: Mapping[str, int]
    named_by: Mapping[str, Sequence[Mapping[str, str]]]
    """The titles that name each entity (see ``_NAMING_PREDICATES``)."""

    def nodes_json(self) -> str:
        """The nodes, one per entity, as a JSON array."""
        return nodes_json(self.entities, self.degree, self.named_by)

    def edges_json(self) -> str:
        """The edges, one per statement, as a JSON array."""
        by_id = {e.id: e for e in self.entities}
        index = {e.id: i for i, e in enumerate(self.entities)}
        return edges_json(self.statements, by_id, index)


def page_parts(lore: LoreGraph, *, title: str | None, at: str | None = None) -> PageParts:
    """Everything of the page data but the nodes and edges, and what those are made of."""
    entities = list(lore.entities())
    by_id = {e.id: e for e in entities}
    statements = lore.statements
    # counted with map and attrgetter: a generator per count took a third of this
    degree: Counter[str] = Counter(map(attrgetter("subject"), statements))
    degree.update(map(attrgetter("object"), statements))
    named_by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for st in statements:
        if st.predicate in _NAMING_PREDICATES:
            named_by[st.subject].append({"id": st.object, "name": by_id[st.object].name})
    kinds: Counter[str] = Counter(map(attrgetter("kind"), entities))
    predicates: Counter[str] = Counter(map(attrgetter("predicate"), statements))
    layers: Counter[str] = Counter(map(layer_of, statements))
    info = lore.info
    head = {
        "format": DATA_FORMAT,
        "title": title or info.name,
        "universe": info.model_dump(mode="json", exclude_none=True),
        "counts": {
            "entities": len(entities),
            "statements": len(statements),
            "notes": len(lore.notes),
        },
        "kinds": [
            {"kind": k, **_style_json(s), "count": kinds[k]}
            for k, s in KIND_STYLES.items()
            if kinds[k]
        ],
        "layers": [
            {
                "layer": layer,
                "label": LAYER_STYLES[layer].label,
                "hint": LAYER_STYLES[layer].hint,
                "color": LAYER_STYLES[layer].color,
                "dashes": dashes(layer),
                "count": layers[layer],
            }
            for layer in LAYERS
        ],
        "relations": [
            {
                "name": r.name,
                "label": r.label,
                "inverse_label": r.inverse_label or r.label,
                "layer": r.layer,
                "symmetric": r.symmetric,
                "count": predicates[r.name],
            }
            for r in RELATIONS.values()
            if predicates[r.name]
        ],
    }
    tail: dict[str, Any] = {
        "notes": [
            {
                "id": n.id,
                "about": list(n.about),
                "text": n.text,
                "layer": n.layer,
                "sources": citations(n.sources),
                "revealed_in": n.revealed_in,
            }
            for n in lore.notes
        ],
        "horizons": _horizons(lore),
        "cut": str(lore.horizon) if lore.horizon is not None else None,
    }
    story = story_data(lore, statements, at=at, predicates=predicates)
    if story is not None:  # a page without story time stays as it was
        tail["story"] = story
    tail["options"] = _vis_options(len(entities))
    return PageParts(head, tail, entities, statements, degree, named_by)


def _style_json(style: KindStyle) -> dict[str, Any]:
    return {
        "label": style.label,
        "plural": style.plural,
        "shape": style.shape,
        "color": style.color,
        "border": style.border,
    }


_MAX_HORIZONS = 50
"""Works a reader can stop at in one order; bitmasks stay exact in JavaScript numbers."""
_HORIZON_BUDGET = 150_000
"""Works times records: past it the live selector would slow page generation down
(one ``as_of`` per work), so the page leaves it out; ``LoreGraph.as_of`` still cuts the file."""


def _horizons(lore: LoreGraph) -> list[dict[str, Any]]:
    """For each order, the works a reader can stop at and what each one shows.

    Every entity, statement and note gets, per order, a bitmask: bit ``i`` is
    set when it is part of ``lore.as_of(works[i], order=...)``. The page then
    switches the spoiler horizon live with exactly the rules of ``as_of``.
    An order with no works to stop at, or more than 50, is left out, and so is
    the selector of a big graph with many works (see ``_HORIZON_BUDGET``).
    """
    from ..._core.model import Work
    from ..._graph.horizon import cut_universe

    records = len(lore) + len(lore.statements) + len(lore.notes)

    def too_many(count: int) -> bool:
        return count > _MAX_HORIZONS or count * records > _HORIZON_BUDGET

    out: list[dict[str, Any]] = []
    for order in ("release", "story"):
        # Count the works first: building a timeline of a big universe takes
        # seconds, and with no works or past the budget the selector is left
        # out anyway.
        count = _horizon_count(lore, order)
        if not count or too_many(count):
            continue
        if order == "release":
            works = [e.entity for e in lore.timeline("release").entries() if e.during is None]
        else:
            works = [
                e.entity for e in lore.timeline("story").entries() if isinstance(e.entity, Work)
            ]
        if not works or too_many(len(works)):
            continue
        nodes: Counter[str] = Counter()
        edges: Counter[tuple[str, str, str]] = Counter()
        notes: Counter[str] = Counter()
        for i, work in enumerate(works):
            cut, _ = cut_universe(lore, work, order=order)
            for e in cut.entities:
                nodes[e.id] |= 1 << i
            for st in cut.statements:
                edges[st.key] |= 1 << i
            for n in cut.notes:
                notes[n.id] |= 1 << i
        out.append(
            {
                "order": order,
                "works": [{"id": w.id, "name": w.name} for w in works],
                "nodes": dict(nodes),
                "edges": {"\t".join(k): v for k, v in edges.items()},
                "notes": dict(notes),
            }
        )
    return out


def _horizon_count(lore: LoreGraph, order: str) -> int:
    """How many works the timeline of ``order`` stops at, without building it.

    Release order: every dated work but whole franchises. Story order: every
    work a chronology statement places (a timeline lists each of them once).
    """
    from ..._core.model import Work
    from ..._graph.timeline import StoryOrder

    works = [w for w in lore.entities(kind="work") if isinstance(w, Work)]
    if order == "release":
        return sum(1 for w in works if w.form != "franchise" and w.release_date)
    story = StoryOrder.build(
        st for st in lore.statements if RELATIONS[st.predicate].chronology is not None
    )
    return sum(1 for w in works if story.placed(w.id))


def _vis_options(n: int) -> dict[str, Any]:
    """vis-network options: a bounded layout run, then the picture stays still."""
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    big = n > 400
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 16,
                "face": font,
                "color": "#1F2937",
                "strokeWidth": 4,
                "strokeColor": "#FFFFFF",
            },
            "widthConstraint": {"maximum": 170},
            "margin": {"top": 6, "right": 8, "bottom": 6, "left": 8},
        },
        "edges": {
            "width": 1.2,
            "selectionWidth": 1.5,
            "hoverWidth": 0.8,
            "smooth": False,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
            # relation labels appear once zoomed in enough to read them
            "scaling": {"label": {"drawThreshold": 8}},
            "font": {
                "size": 10,
                "face": font,
                "color": "#4B5563",
                "strokeWidth": 3,
                "strokeColor": "#FFFFFF",
                "align": "middle",
            },
        },
        # positions come from the page's own layout (layout.js); vis-network
        # only draws them, so nothing jitters
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
            "navigationButtons": False,
        },
    }
