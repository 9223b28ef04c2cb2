"""The graph page: one self-contained HTML file to explore a universe offline.

:func:`to_html` (and :meth:`LoreGraph.to_html`) writes a page a reader opens by
double-clicking it: no server, no network, nothing fetched. It carries the
vis-network library bundled with pyvis, the lorekit page (``lorekit/_page/``:
``page.html``, ``page.css``, ``layout.js``, ``page.js``) and the universe as JSON.

The data is built here, in one pass, as the node and edge dictionaries that
pyvis's ``Network.add_node``/``add_edge`` would make (``id``, ``label``,
``shape``, ``color``, ``title``; ``from``, ``to``, ``arrows``, ``dashes``),
each with a ``lore`` object of its own for the side panel, the search and
later views. We do not go through ``pyvis.network.Network``: its ``add_node``
and ``add_edge`` look ids up in lists (quadratic at scale), its template loads
Bootstrap from a CDN and renders tooltips as HTML, and importing it pulls in
IPython. pyvis is used for what it ships: the vis-network build, read from the
installed package (without importing it) and inlined.

:func:`page_data` returns those dictionaries; :func:`to_html` writes the same
JSON, byte for byte, straight from the model (``_nodes_json``, ``_edges_json``:
one template per kind or relation, filled per entity or statement), without
building them, and with the garbage collector paused: at 10,000 entities and
50,000 statements that is several times faster.

Node ids are indices, not entity ids: vis-network keeps nodes in a plain
object, where an entity called ``constructor`` would collide with
``Object.prototype``. The entity id is ``node["lore"]["id"]``.

Safety
------
Every string of the data is text, never markup:

- the data sits in ``<script type="application/json">`` with ``<``, ``>``,
  ``&``, U+2028 and U+2029 written as ``\\u003c`` and so on, so no value can
  close the element or open a comment;
- the page script builds every element with ``createElement`` and
  ``textContent``; vis-network (9.x) shows string tooltips as text and draws
  labels on a canvas;
- the only markup made from data is the ``<title>``, HTML-escaped, and the
  template's slots are filled in one pass, so data cannot fill a slot;
- a Content-Security-Policy allows only this page's own scripts and styles,
  by their SHA-256 hashes, and no network at all: an injected script or event
  handler would be refused even if one got in.

Layout
------
The page lays the graph out once as it opens (``layout.js``: a deterministic
force layout with a Barnes-Hut quadtree and a bounded number of cooling steps,
each connected part on its own, then packed, then labels pushed apart), and
vis-network draws it with physics off. Nothing moves after that unless the
reader drags it, and the same data gives the same picture every time.
Computing it in Python would need numpy or take seconds; in the page it takes
about a second at 2,000 entities. A graph of more than 20,000 statements is
first drawn with bare edges, as labels and arrowheads would be too small to see
anyway and vis-network would measure every label; an edge gets them once the
reader zooms in close enough to read labels near it.

Examples
--------
>>> from lorekit import load
>>> page = to_html(load())
>>> page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..._core.gc import collector_paused
from ..._core.model import Citation, EntityBase, Statement
from ..._core.output import write_atomic
from ..._core.relations import LAYERS, RELATIONS, EntityKind, Layer

if TYPE_CHECKING:
    from ..._graph.graph import LoreGraph

__all__ = ["KIND_STYLES", "LAYER_STYLES", "page_data", "render_page", "to_html"]

DATA_FORMAT = 1
"""Version of the JSON the page script reads; bump it when a field changes meaning."""


@dataclass(frozen=True)
class KindStyle:
    """How entities of one kind are drawn and named on the page."""

    label: str
    plural: str
    shape: str
    """A vis-network shape; ``box`` and ``ellipse`` carry their label inside."""
    color: str
    border: str
    font: str | None = None
    """Label colour for shapes that hold their label."""


KIND_STYLES: Mapping[EntityKind, KindStyle] = MappingProxyType(
    {
        # Okabe-Ito colours, told apart by shape as well as by colour.
        "character": KindStyle("Character", "Characters", "dot", "#D55E00", "#8F3F00"),
        "faction": KindStyle("Faction", "Factions", "hexagon", "#0072B2", "#004C77"),
        "title": KindStyle("Title", "Titles", "star", "#E69F00", "#9A6A00"),
        "place": KindStyle("Place", "Places", "triangle", "#009E73", "#006A4D"),
        "work": KindStyle("Work", "Works", "square", "#56B4E9", "#2B7FB0"),
        "event": KindStyle("Event", "Events", "triangleDown", "#CC79A7", "#8E4A72"),
        "person": KindStyle("Person", "People", "diamond", "#8A6A45", "#5C4429"),
        "concept": KindStyle("Concept", "Concepts", "ellipse", "#F3EBA0", "#A39422", "#3F3A0A"),
        "source": KindStyle("Source", "Sources", "box", "#E5E7EB", "#6B7280", "#1F2937"),
    }
)
"""Shape, colour and names of each entity kind, used by the nodes and the legend."""


@dataclass(frozen=True)
class LayerStyle:
    """How the statements of one layer are drawn."""

    label: str
    hint: str
    color: str
    dashes: tuple[int, ...] | None


LAYER_STYLES: Mapping[Layer, LayerStyle] = MappingProxyType(
    {
        "lore": LayerStyle("Lore", "in the story world", "#4B5563", None),
        "production": LayerStyle("Production", "the real world of the works", "#B45309", (2, 5)),
        "reception": LayerStyle("Reception", "what critics say", "#7C3AED", (10, 6)),
    }
)
"""Line colour and dash pattern of each layer: lore solid, production dotted,
reception dashed."""

_NAMING_PREDICATES = frozenset({"holds_title"})
"""Predicates whose object's name also names the subject: the underworld calls
John Wick "Baba Yaga", so searching for the title finds its holder too."""

_BASE_FIELDS = frozenset(
    {"id", "name", "kind", "aliases", "description", "sources", "first_appearance"}
)


# --- the data ---------------------------------------------------------------
def page_data(lore: LoreGraph, *, title: str | None = None) -> dict[str, Any]:
    """The JSON the page script reads: vis-network nodes and edges with their lore.

    Nodes and edges are the dictionaries pyvis would build, plus ``kind`` and a
    ``lore`` object (name, aliases, description, facts, citations; or the
    statement's predicate, layer, note, citations, ``revealed_in``). Views may
    add fields of their own to either without breaking the page.

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
    head, nodes, edges, tail = _parts(lore, title=title)
    return {**head, "nodes": list(_nodes(*nodes)), "edges": list(_edges(*edges)), **tail}


_NodeInputs = tuple[
    Sequence[EntityBase], Mapping[str, int], Mapping[str, Sequence[Mapping[str, str]]]
]
_EdgeInputs = tuple[Sequence[Statement], Mapping[str, EntityBase], Mapping[str, int]]


def _parts(
    lore: LoreGraph, *, title: str | None
) -> tuple[dict[str, Any], _NodeInputs, _EdgeInputs, dict[str, Any]]:
    """The page data around its nodes and edges, and what those are made of.

    :func:`to_html` writes the JSON of nodes and edges straight from the model
    (:func:`_nodes_json`, :func:`_edges_json`); :func:`page_data` builds them
    as dictionaries.
    """
    entities = list(lore.entities())
    by_id = {e.id: e for e in entities}
    statements = lore.statements
    degree: Counter[str] = Counter()
    named_by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for st in statements:
        degree[st.subject] += 1
        degree[st.object] += 1
        if st.predicate in _NAMING_PREDICATES:
            named_by[st.subject].append({"id": st.object, "name": by_id[st.object].name})
    kinds: Counter[str] = Counter(_kind(e) for e in entities)
    predicates: Counter[str] = Counter(st.predicate for st in statements)
    layers: Counter[str] = Counter(_layer(st) for st in statements)
    info = lore.universe.info
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
                "dashes": _dashes(layer),
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
    nodes = (entities, degree, named_by)
    edges = (statements, by_id, {e.id: i for i, e in enumerate(entities)})
    tail = {
        "notes": [
            {
                "id": n.id,
                "about": list(n.about),
                "text": n.text,
                "layer": n.layer,
                "sources": _citations(n.sources),
                "revealed_in": n.revealed_in,
            }
            for n in lore.notes
        ],
        "horizons": _horizons(lore),
        "cut": str(lore.horizon) if lore.horizon is not None else None,
        "options": _vis_options(len(entities)),
    }
    return head, nodes, edges, tail


_MAX_HORIZONS = 50
"""Works a reader can stop at in one order; bitmasks stay exact in JavaScript numbers."""
_HORIZON_BUDGET = 150_000
"""Works times records: past it the live selector would slow page generation down
(one ``as_of`` per work), so the page leaves it out; ``--as-of`` still cuts the file."""


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


def _kind(entity: EntityBase) -> EntityKind:
    return entity.kind


def _layer(st: Statement) -> Layer:
    """The statement's layer; the loader fills it in, a hand-built model may not."""
    return st.layer or RELATIONS[st.predicate].layer


def _style_json(style: KindStyle) -> dict[str, Any]:
    return {
        "label": style.label,
        "plural": style.plural,
        "shape": style.shape,
        "color": style.color,
        "border": style.border,
    }


def _dashes(layer: Layer) -> list[int] | bool:
    dashes = LAYER_STYLES[layer].dashes
    return list(dashes) if dashes else False


def _citations(sources: Iterable[Citation]) -> list[dict[str, str | None]]:
    return [{"source": c.source, "locator": c.locator} for c in sources]


def _nodes(
    entities: Sequence[EntityBase],
    degree: Mapping[str, int],
    named_by: Mapping[str, Sequence[Mapping[str, str]]],
) -> Iterator[dict[str, Any]]:
    """The vis-network nodes, one per entity; :func:`_nodes_json` writes the same as JSON."""
    for i, e in enumerate(entities):
        yield _node(i, e, degree.get(e.id, 0), [dict(t) for t in named_by.get(e.id, [])])


def _citation_writer() -> Callable[[Citation], str]:
    """Writes a citation as the JSON :func:`_citations` gives it, each only once."""
    written: dict[tuple[str, str | None], str] = {}
    text = _encode_string

    def cite(c: Citation) -> str:
        key = (c.source, c.locator)
        json_text = written.get(key)
        if json_text is None:
            locator = "null" if c.locator is None else text(c.locator)
            json_text = written[key] = f'{{"source":{text(c.source)},"locator":{locator}}}'
        return json_text

    return cite


def _nodes_json(
    entities: Sequence[EntityBase],
    degree: Mapping[str, int],
    named_by: Mapping[str, Sequence[Mapping[str, str]]],
) -> str:
    """``json.dumps(list(_nodes(...)))``, compact, written without the dictionaries.

    As :func:`_edges_json` does for edges: each node fills the template of its
    kind, and the text is the same, byte for byte.
    """
    text = _encode_string
    templates: dict[str, str] = {}
    cite = _citation_writer()
    sizes: dict[int, str] = {}
    parts = []
    for i, e in enumerate(entities):
        kind = _kind(e)
        template = templates.get(kind)
        if template is None:
            template = templates[kind] = _node_template(kind)
        sources = [cite(c) for c in e.sources]
        name = text(e.name)
        held = named_by.get(e.id)
        titles = (
            ",".join(f'{{"id":{text(t["id"])},"name":{text(t["name"])}}}' for t in held)
            if held
            else ""
        )
        facts = ",".join(
            "{" + ",".join([f"{text(k)}:{text(v)}" for k, v in fact.items()]) + "}"
            for fact in _facts(e)
        )
        size = sizes.get(degree.get(e.id, 0))
        if size is None:
            d = degree.get(e.id, 0)
            size = sizes[d] = repr(round(11 + 3 * math.sqrt(d), 1))
        parts.append(
            template
            % (
                i,
                name,
                name[1:-1],
                size,
                text(e.id),
                name,
                ",".join(map(text, e.aliases)),
                titles,
                "null" if e.description is None else text(e.description),
                "null" if e.first_appearance is None else text(e.first_appearance),
                facts,
                ",".join(sources),
            )
        )
    return "[" + ",".join(parts) + "]"


def _node_template(kind: EntityKind) -> str:
    """The JSON of a node of one kind, with ``%`` slots for the rest.

    The slots: index, quoted name, escaped name (in the tooltip), size, then
    the lore's quoted id and name, aliases, titles, description, first
    appearance, facts and citations.
    """
    style = KIND_STYLES[kind]

    def dumps(value: Any) -> str:
        return _compact_json(value).replace("%", "%%")

    color, font_style = _node_colors(style)
    font = "" if font_style is None else f',"font":{dumps(font_style)}'
    return (
        '{"id":%d,"label":%s,"title":"%s'
        + dumps(f" ({style.label.lower()})")[1:-1]
        + '",'
        + f'"shape":{dumps(style.shape)},"color":{dumps(color)},'
        + '"size":%s,'
        + f'"kind":{dumps(kind)},'
        + '"lore":{"id":%s,"name":%s,"aliases":[%s],"titles":[%s],"description":%s,'
        + '"first_appearance":%s,"facts":[%s],"sources":[%s]}'
        + font
        + "}"
    )


def _node_colors(style: KindStyle) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A node's ``color`` and, for shapes that hold their label, its ``font``."""
    color = {
        "background": style.color,
        "border": style.border,
        "highlight": {"background": style.color, "border": "#111827"},
        "hover": {"background": style.color, "border": "#111827"},
    }
    return color, None if style.font is None else {"color": style.font, "strokeWidth": 0}


def _node(
    index: int, entity: EntityBase, degree: int, named_by: list[dict[str, str]]
) -> dict[str, Any]:
    kind = _kind(entity)
    style = KIND_STYLES[kind]
    color, font = _node_colors(style)
    node: dict[str, Any] = {
        "id": index,
        "label": entity.name,
        "title": f"{entity.name} ({style.label.lower()})",
        "shape": style.shape,
        "color": color,
        "size": round(11 + 3 * math.sqrt(degree), 1),
        "kind": kind,
        "lore": {
            "id": entity.id,
            "name": entity.name,
            "aliases": list(entity.aliases),
            "titles": named_by,
            "description": entity.description,
            "first_appearance": entity.first_appearance,
            "facts": _facts(entity),
            "sources": _citations(entity.sources),
        },
    }
    if font is not None:
        node["font"] = font
    return node


@cache
def _own_fields(cls: type[EntityBase]) -> tuple[str, ...]:
    """The fields of an entity class beyond those every entity has."""
    return tuple(name for name in cls.model_fields if name not in _BASE_FIELDS)


def _facts(entity: EntityBase) -> list[dict[str, str]]:
    """The kind-specific fields, as label and text (or an entity to link to)."""
    facts: list[dict[str, str]] = []
    if entity.first_appearance:
        facts.append({"label": "first appearance", "ref": entity.first_appearance})
    if all(getattr(entity, name) is None for name in _own_fields(type(entity))):
        return facts  # nothing to dump: skip the serializer, a good part of a node's cost
    dumped = entity.model_dump(mode="json", exclude=set(_BASE_FIELDS), exclude_none=True)
    for key, value in dumped.items():
        label = key.replace("_", " ")
        if key == "url":
            facts.append({"label": label, "url": str(value)})
        elif isinstance(value, dict):
            facts.append({"label": label, "text": str(getattr(entity, key))})
        elif isinstance(value, list):
            facts.append({"label": label, "text": ", ".join(map(str, value))})
        else:
            facts.append({"label": label, "text": str(value)})
    return facts


def _bends(statements: Sequence[Statement]) -> dict[int, float]:
    """How far each statement's arc bends, by its index; straight ones are left out.

    Statements between the same two entities get arcs of their own, so that
    "raised by", "trained by" and "member of" do not draw over each other.
    """
    pairs: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        pairs[frozenset((st.subject, st.object))].append(i)
    bend: dict[int, float] = {}
    for members in pairs.values():
        k = len(members)
        if k > 1:
            for j, i in enumerate(members):
                if j != (k - 1) / 2:
                    bend[i] = (j - (k - 1) / 2) * 0.3
    return bend


def _smooth(st: Statement, bend: float) -> dict[str, Any]:
    offset = bend if st.subject <= st.object else -bend
    return {
        "enabled": True,
        "type": "curvedCW" if offset > 0 else "curvedCCW",
        "roundness": round(abs(offset), 2),
    }


def _edges(
    statements: Sequence[Statement],
    by_id: Mapping[str, EntityBase],
    index: Mapping[str, int],
) -> Iterator[dict[str, Any]]:
    """The vis-network edges, one per statement; :func:`_edges_json` writes the same as JSON."""
    bends = _bends(statements)
    for i, st in enumerate(statements):
        kind = RELATIONS[st.predicate]
        layer = _layer(st)
        style = LAYER_STYLES[layer]
        subject, obj = by_id[st.subject].name, by_id[st.object].name
        edge: dict[str, Any] = {
            "id": f"s{i}",
            "from": index[st.subject],
            "to": index[st.object],
            "label": kind.label,
            "title": f"{subject} —{kind.label}→ {obj}",
            "dashes": _dashes(layer),
            "color": {"color": style.color, "highlight": "#111827", "hover": "#111827"},
            "lore": {
                "subject": st.subject,
                "predicate": st.predicate,
                "object": st.object,
                "layer": layer,
                "note": st.note,
                "sources": _citations(st.sources),
                "revealed_in": st.revealed_in,
            },
        }
        if not kind.symmetric:
            edge["arrows"] = "to"
        if i in bends:
            edge["smooth"] = _smooth(st, bends[i])
        yield edge


def _edges_json(
    statements: Sequence[Statement],
    by_id: Mapping[str, EntityBase],
    index: Mapping[str, int],
) -> str:
    """``json.dumps(list(_edges(...)))``, compact, written without the dictionaries.

    A page of 10,000 entities has some 50,000 edges: building each as nested
    dictionaries and then encoding them took most of the page's time. Here
    each edge fills the template of its relation and layer with its JSON
    parts, each string escaped by the encoder's own ``encode_basestring``, so
    the text is the same, byte for byte (a test holds the two to it).
    """
    text = _encode_string
    bends = _bends(statements)
    # JSON escapes each character on its own, so the escaped parts of a string
    # joined are the escaped string: names are escaped once, not per edge.
    names = {ident: text(e.name)[1:-1] for ident, e in by_id.items()}
    ids = {ident: text(ident) for ident in by_id}
    cite = _citation_writer()
    templates: dict[tuple[str, Layer], str] = {}
    parts = []
    for i, st in enumerate(statements):
        layer = _layer(st)
        template = templates.get((st.predicate, layer))
        if template is None:
            template = templates[(st.predicate, layer)] = _edge_template(st.predicate, layer)
        sources = [cite(c) for c in st.sources]
        subject, obj = st.subject, st.object
        parts.append(
            template
            % (
                i,
                index[subject],
                index[obj],
                names[subject],
                names[obj],
                ids[subject],
                ids[obj],
                "null" if st.note is None else text(st.note),
                ",".join(sources),
                "null" if st.revealed_in is None else text(st.revealed_in),
                f',"smooth":{_compact_json(_smooth(st, bends[i]))}' if i in bends else "",
            )
        )
    if not parts:
        return "[]"
    # the brackets go on the ends, so that the big string is copied once
    parts[0] = "[" + parts[0]
    parts[-1] += "]"
    return ",".join(parts)


def _edge_template(predicate: str, layer: Layer) -> str:
    """The JSON of an edge of one relation and layer, with ``%`` slots for the rest.

    The slots: index, from, to, the subject's and the object's escaped names,
    their quoted ids, note, citations, ``revealed_in`` and the ``smooth`` member.
    """
    kind = RELATIONS[predicate]
    style = LAYER_STYLES[layer]

    def dumps(value: Any) -> str:
        return _compact_json(value).replace("%", "%%")

    return (
        '{"id":"s%d","from":%d,"to":%d,'
        + f'"label":{dumps(kind.label)},'
        + '"title":"%s'
        + dumps(f" —{kind.label}→ ")[1:-1]
        + '%s",'
        + f'"dashes":{dumps(_dashes(layer))},'
        + '"color":'
        + dumps({"color": style.color, "highlight": "#111827", "hover": "#111827"})
        + ',"lore":{"subject":%s,'
        + f'"predicate":{dumps(predicate)},'
        + '"object":%s,'
        + f'"layer":{dumps(layer)},'
        + '"note":%s,"sources":[%s],"revealed_in":%s}'
        + ("" if kind.symmetric else ',"arrows":"to"')
        + "%s}"
    )


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


# --- the page ---------------------------------------------------------------
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SLOT = re.compile(r"\{\{(\w+)\}\}")


_encode_string: Callable[[str], str] = json.encoder.encode_basestring
"""A string as JSON, quoted, non-ASCII kept: what ``json.dumps(ensure_ascii=False)`` writes."""


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _script_safe(text: str) -> str:
    """JSON text made safe inside a ``<script>`` element (see :func:`script_json`)."""
    # str.replace scans a many-megabyte string far faster than a regex with a
    # callback; the order does not matter, no escape holds another's character.
    for char, escape in _JSON_ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    return text


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever its strings hold.

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return _script_safe(_compact_json(value))


def _inline_script(code: str) -> str:
    """Script text that cannot end its element early (none of ours does; be sure)."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "\\x3C!--")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    """The vis-network build that ships inside the installed pyvis package."""
    spec = find_spec("pyvis")  # finds the package without running its __init__
    locations = list(spec.submodule_search_locations or []) if spec else []
    found = sorted(
        (p for loc in locations for p in Path(loc).glob("lib/vis-*/vis-network.min.js")),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not found:
        raise ModuleNotFoundError(
            "the graph page needs pyvis (for its vis-network build): pip install 'pyvis>=0.3.2'",
            name="pyvis",
        )
    return found[-1].read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return (resources.files(__package__) / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _shell() -> tuple[str, dict[str, str]]:
    """The template and its slots that do not depend on the data, made once.

    The scripts and the style are the same for every page, and hashing
    vis-network for the policy is a good part of a small page's cost.
    """
    scripts = [
        _inline_script(_vis_network_js()),
        _inline_script(_asset("layout.js")),
        _inline_script(_asset("page.js")),
    ]
    styles = [_asset("page.css")]
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    slots = {
        "csp": csp,  # hashes and keywords only: nothing to escape in the attribute
        "style": styles[0],
        "vis_js": scripts[0],
        "layout_js": scripts[1],
        "page_js": scripts[2],
    }
    return _asset("page.html"), slots


def render_page(data: Mapping[str, Any]) -> str:
    """The page for data made by :func:`page_data`, with everything inline."""
    return _fill(str(data["title"]), script_json(data))


def _fill(title: str, data_json: str) -> str:
    """The template with its slots filled; ``data_json`` is already script-safe."""
    template, shell = _shell()
    slots = {**shell, "title": html.escape(title, quote=True), "data": data_json}
    # One pass over the template: values are never scanned for slots themselves.
    return _SLOT.sub(lambda m: slots[m.group(1)], template)


def to_html(lore: LoreGraph, path: str | Path | None = None, *, title: str | None = None) -> str:
    """The graph page of a universe; written to ``path`` (atomically) when given.

    Parameters
    ----------
    lore
        The universe.
    path
        Where to write the page; nothing is written when omitted.
    title
        The page's heading; the universe's name by default.

    Returns
    -------
    str
        The page, one self-contained HTML document.

    Raises
    ------
    OutputError
        When ``path`` cannot be written.
    """
    with collector_paused():
        head, nodes, edges, tail = _parts(lore, title=title)
        # the same text as script_json(page_data(...)), nodes and edges written directly
        data = "".join(
            [
                _compact_json(head)[:-1],
                ',"nodes":',
                _nodes_json(*nodes),
                ',"edges":',
                _edges_json(*edges),
                ",",
                _compact_json(tail)[1:],
            ]
        )
        page = _fill(str(head["title"]), _script_safe(data))
    if path is not None:
        write_atomic(path, page)
    return page
