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
about a second at 2,000 entities.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._io import write_atomic
from ._model import Citation, EntityBase, Statement
from ._relations import LAYERS, RELATIONS, EntityKind, Layer

if TYPE_CHECKING:
    from ._graph import LoreGraph

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
    return {
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
        "nodes": [
            _node(i, e, degree[e.id], named_by.get(e.id, [])) for i, e in enumerate(entities)
        ],
        "edges": list(_edges(statements, by_id, {e.id: i for i, e in enumerate(entities)})),
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
    from ._horizon import cut_universe
    from ._model import Work

    out: list[dict[str, Any]] = []
    for order in ("release", "story"):
        if order == "release":
            works = [e.entity for e in lore.timeline("release").entries() if e.during is None]
        else:
            works = [
                e.entity for e in lore.timeline("story").entries() if isinstance(e.entity, Work)
            ]
        records = len(lore) + len(lore.statements) + len(lore.notes)
        if not works or len(works) > _MAX_HORIZONS or len(works) * records > _HORIZON_BUDGET:
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


def _kind(entity: EntityBase) -> EntityKind:
    return entity.kind  # type: ignore[attr-defined,no-any-return]


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


def _node(
    index: int, entity: EntityBase, degree: int, named_by: list[dict[str, str]]
) -> dict[str, Any]:
    kind = _kind(entity)
    style = KIND_STYLES[kind]
    node: dict[str, Any] = {
        "id": index,
        "label": entity.name,
        "title": f"{entity.name} ({style.label.lower()})",
        "shape": style.shape,
        "color": {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#111827"},
            "hover": {"background": style.color, "border": "#111827"},
        },
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
    if style.font is not None:
        node["font"] = {"color": style.font, "strokeWidth": 0}
    return node


def _facts(entity: EntityBase) -> list[dict[str, str]]:
    """The kind-specific fields, as label and text (or an entity to link to)."""
    facts: list[dict[str, str]] = []
    if entity.first_appearance:
        facts.append({"label": "first appearance", "ref": entity.first_appearance})
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


def _edges(
    statements: Iterable[Statement],
    by_id: Mapping[str, EntityBase],
    index: Mapping[str, int],
) -> Iterator[Any]:
    statements = list(statements)
    # Statements between the same two entities get arcs of their own, so that
    # "raised by", "trained by" and "member of" do not draw over each other.
    pairs: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        pairs[frozenset((st.subject, st.object))].append(i)
    bend: dict[int, float] = {}
    for members in pairs.values():
        k = len(members)
        for j, i in enumerate(members):
            bend[i] = (j - (k - 1) / 2) * 0.3
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
        offset = bend[i] if st.subject <= st.object else -bend[i]
        if offset:
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if offset > 0 else "curvedCCW",
                "roundness": round(abs(offset), 2),
            }
        yield edge


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
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SLOT = re.compile(r"\{\{(\w+)\}\}")


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever its strings hold.

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


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
    return (resources.files("lorekit") / "_page" / name).read_text(encoding="utf-8")


def render_page(data: Mapping[str, Any]) -> str:
    """The page for data made by :func:`page_data`, with everything inline."""
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
        "title": html.escape(str(data["title"]), quote=True),
        "style": styles[0],
        "data": script_json(data),
        "vis_js": scripts[0],
        "layout_js": scripts[1],
        "page_js": scripts[2],
    }
    # One pass over the template: values are never scanned for slots themselves.
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("page.html"))


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
    page = render_page(page_data(lore, title=title))
    if path is not None:
        write_atomic(path, page)
    return page
