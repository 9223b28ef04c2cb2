"""The page's nodes and edges as JSON: each field written once, in a shape.

A node is declared once, per entity kind, as its *shape* (:func:`node_shape`),
and an edge once per relation, layer and curvature (:func:`edge_shape`): a
dictionary laid out like the JSON it becomes. Its constant parts (a kind's
shape and colours, a relation's label, a layer's dashes) are plain values; its
per-record parts are slots: :class:`Var` (JSON text), :class:`Items` (the
items of an array) and :class:`Text` (a string of constant text and slots).
:func:`compile_shape` turns a shape into a ``%`` template and the names of its
slots in order, once per shape; :func:`nodes_json` and :func:`edges_json`
then fill it with each record's values, already JSON text, picked by name.
Each string is escaped by the encoder's own ``encode_basestring``, so the text
is exactly what ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``
writes of the same data, and :func:`~lorekit._views.page.data.page_data` reads
its nodes and edges back from it: there is one writer, and nothing to keep
equal.

A new field is one line in its shape, plus its value among the record's slot
values when it varies per record; a slot without a value, or a value without a
slot, fails at once (each compiled shape is checked against the names of its
first record's values).

At 10,000 entities and 50,000 statements, building each node and edge as
nested dictionaries and then encoding them took most of the page's time;
filling templates is several times faster.

Examples
--------
>>> template, slots = compile_shape(
...     {"id": Var("index"), "label": Text(Var("name")), "title": Text(Var("name"), " (50%)")}
... )
>>> template
'{"id":%s,"label":"%s","title":"%s (50%%)"}'
>>> slots
('index', 'name', 'name')
>>> template % (3, "Baba Yaga", "Baba Yaga")
'{"id":3,"label":"Baba Yaga","title":"Baba Yaga (50%)"}'
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from ..._core.model import Citation, EntityBase, Statement
from ..._core.relations import RELATIONS, EntityKind, Layer
from .styles import KIND_STYLES, LAYER_STYLES, dashes, node_colors

__all__ = [
    "Items",
    "Text",
    "Var",
    "citations",
    "compact_json",
    "compile_shape",
    "edge_shape",
    "edges_json",
    "layer_of",
    "node_shape",
    "nodes_json",
]

encode_string: Callable[[str], str] = json.encoder.encode_basestring
"""A string as JSON, quoted, non-ASCII kept: what ``json.dumps(ensure_ascii=False)`` writes."""


def compact_json(value: Any) -> str:
    """``value`` as compact JSON, non-ASCII kept: the page's one JSON form."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _escaped(text: str) -> str:
    """A string's JSON escape without its quotes, for a slot inside a :class:`Text`."""
    return encode_string(text)[1:-1]


# --- shapes -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Var:
    """A per-record value; its slot holds JSON text (a number, ``null``, a quoted string)."""

    name: str


@dataclass(frozen=True, slots=True)
class Items:
    """A per-record array; its slot holds the items' JSON text, comma-joined."""

    name: str


@dataclass(frozen=True, slots=True, init=False)
class Text:
    """A string of constant text and :class:`Var` slots holding escaped text, no quotes."""

    parts: tuple[str | Var, ...]

    def __init__(self, *parts: str | Var) -> None:
        object.__setattr__(self, "parts", parts)


Shape = Mapping[str, Any]
"""A record laid out as its JSON: constants, slots and nested shapes."""


def compile_shape(shape: Shape) -> tuple[str, tuple[str, ...]]:
    """The ``%`` template of a shape, and the name of each of its slots, in order.

    Constants are written as :func:`compact_json` writes them (``%`` doubled);
    each slot becomes ``%s``, so a slot used twice is named twice. Positional
    slots, filled from the record's values by name (:func:`_compiled`), are
    much faster than ``%(name)s``, whose names are parsed and hashed anew for
    every record.
    """
    slots: list[str] = []

    def const(value: Any) -> str:
        return compact_json(value).replace("%", "%%")

    def slot(name: str) -> str:
        slots.append(name)
        return "%s"

    def emit(value: Any) -> str:
        if isinstance(value, Var):
            return slot(value.name)
        if isinstance(value, Items):
            return "[" + slot(value.name) + "]"
        if isinstance(value, Text):
            inner = (slot(p.name) if isinstance(p, Var) else const(p)[1:-1] for p in value.parts)
            return '"' + "".join(inner) + '"'
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{const(str(k))}:{emit(v)}" for k, v in value.items()) + "}"
        return const(value)

    return emit(shape), tuple(slots)


_Compiled = tuple[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]]


def _compiled(shape: Shape, values: Mapping[str, Any]) -> _Compiled:
    """A shape's template and what picks its slots' values, checked against one record's."""
    template, slots = compile_shape(shape)
    if set(slots) != set(values):
        raise AssertionError(  # a bug in this module, not in the data
            f"a shape has the slots {sorted(set(slots))}, its records fill {sorted(values)}"
        )
    if len(slots) == 1:  # itemgetter of one name gives the value, not a tuple
        return template, lambda values: (values[slots[0]],)
    return template, itemgetter(*slots)


def node_shape(kind: EntityKind) -> Shape:
    """The JSON of a node of one kind: a vis-network node and its ``lore``."""
    style = KIND_STYLES[kind]
    color, font = node_colors(style)
    shape: dict[str, Any] = {
        "id": Var("index"),
        "label": Text(Var("name")),
        "title": Text(Var("name"), f" ({style.label.lower()})"),
        "shape": style.shape,
        "color": color,
        "size": Var("size"),
        "kind": kind,
        "lore": {
            "id": Text(Var("id")),
            "name": Text(Var("name")),
            "aliases": Items("aliases"),
            "titles": Items("titles"),
            "description": Var("description"),
            "first_appearance": Var("first_appearance"),
            "facts": Items("facts"),
            "sources": Items("sources"),
        },
    }
    if font is not None:
        shape["font"] = font
    return shape


def edge_shape(predicate: str, layer: Layer, curved: bool) -> Shape:
    """The JSON of an edge of one relation and layer, bent or straight."""
    kind = RELATIONS[predicate]
    style = LAYER_STYLES[layer]
    shape: dict[str, Any] = {
        "id": Text("s", Var("index")),
        "from": Var("from"),
        "to": Var("to"),
        "label": kind.label,
        "title": Text(Var("subject_name"), f" —{kind.label}→ ", Var("object_name")),
        "dashes": dashes(layer),
        "color": {"color": style.color, "highlight": "#111827", "hover": "#111827"},
        "lore": {
            "subject": Text(Var("subject")),
            "predicate": predicate,
            "object": Text(Var("object")),
            "layer": layer,
            "note": Var("note"),
            "sources": Items("sources"),
            "revealed_in": Var("revealed_in"),
        },
    }
    if not kind.symmetric:
        shape["arrows"] = "to"
    if curved:
        shape["smooth"] = Var("smooth")
    return shape


# --- the parts of a record ------------------------------------------------------------
_BASE_FIELDS = frozenset(
    {"id", "name", "kind", "aliases", "description", "sources", "first_appearance"}
)


def layer_of(st: Statement) -> Layer:
    """The statement's layer; the loader fills it in, a hand-built model may not."""
    return st.layer or RELATIONS[st.predicate].layer


def citations(sources: Iterable[Citation]) -> list[dict[str, str | None]]:
    """Citations as the page shows them, source and locator."""
    return [{"source": c.source, "locator": c.locator} for c in sources]


def _citation_writer() -> Callable[[Citation], str]:
    """Writes a citation as :func:`citations` gives it, as JSON, each one only once."""
    written: dict[tuple[str, str | None], str] = {}

    def cite(c: Citation) -> str:
        key = (c.source, c.locator)
        text = written.get(key)
        if text is None:
            text = written[key] = compact_json(citations([c])[0])
        return text

    return cite


def _objects(items: Iterable[Mapping[str, str]]) -> str:
    """Objects of strings only (facts, titles) as comma-joined JSON, without the encoder."""
    text = encode_string
    return ",".join(
        "{" + ",".join([f"{text(k)}:{text(v)}" for k, v in item.items()]) + "}" for item in items
    )


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
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        a, b = st.subject, st.object
        pairs[(a, b) if a <= b else (b, a)].append(i)  # either way round: one pair
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


# --- the writers ----------------------------------------------------------------------
def nodes_json(
    entities: Sequence[EntityBase],
    degree: Mapping[str, int],
    named_by: Mapping[str, Sequence[Mapping[str, str]]],
) -> str:
    """The vis-network nodes, one per entity, as a JSON array (see :func:`node_shape`)."""
    text = encode_string
    made: dict[EntityKind, _Compiled] = {}
    cite = _citation_writer()
    sizes: dict[int, str] = {}
    parts = []
    for i, e in enumerate(entities):
        d = degree.get(e.id, 0)
        size = sizes.get(d)
        if size is None:
            size = sizes[d] = repr(round(11 + 3 * math.sqrt(d), 1))
        held = named_by.get(e.id)
        values = {
            "index": i,
            "name": text(e.name)[1:-1],  # escaped, no quotes: see Text
            "size": size,
            "id": text(e.id)[1:-1],
            "aliases": ",".join(map(text, e.aliases)),
            "titles": _objects(held) if held else "",
            "description": "null" if e.description is None else text(e.description),
            "first_appearance": (
                "null" if e.first_appearance is None else text(e.first_appearance)
            ),
            "facts": _objects(_facts(e)),
            "sources": ",".join([cite(c) for c in e.sources]),
        }
        compiled = made.get(e.kind)
        if compiled is None:
            compiled = made[e.kind] = _compiled(node_shape(e.kind), values)
        template, pick = compiled
        parts.append(template % pick(values))
    return "[" + ",".join(parts) + "]"


def edges_json(
    statements: Sequence[Statement],
    by_id: Mapping[str, EntityBase],
    index: Mapping[str, int],
) -> str:
    """The vis-network edges, one per statement, as a JSON array (see :func:`edge_shape`)."""
    text = encode_string
    bends = _bends(statements)
    # JSON escapes each character on its own, so the escaped parts of a string
    # joined are the escaped string: names and ids are escaped once, not per edge.
    names = {ident: _escaped(e.name) for ident, e in by_id.items()}
    ids = {ident: _escaped(ident) for ident in by_id}
    made: dict[tuple[str, Layer, bool], _Compiled] = {}
    cite = _citation_writer()
    parts = []
    for i, st in enumerate(statements):
        subject, obj = st.subject, st.object
        values = {
            "index": i,
            "from": index[subject],
            "to": index[obj],
            "subject_name": names[subject],
            "object_name": names[obj],
            "subject": ids[subject],
            "object": ids[obj],
            "note": "null" if st.note is None else text(st.note),
            "sources": ",".join([cite(c) for c in st.sources]),
            "revealed_in": "null" if st.revealed_in is None else text(st.revealed_in),
        }
        curved = i in bends
        if curved:
            values["smooth"] = compact_json(_smooth(st, bends[i]))
        key = (st.predicate, st.layer or RELATIONS[st.predicate].layer, curved)  # layer_of
        compiled = made.get(key)
        if compiled is None:
            compiled = made[key] = _compiled(edge_shape(*key), values)
        template, pick = compiled
        parts.append(template % pick(values))
    if not parts:
        return "[]"
    # the brackets go on the ends, so that the big string is copied once
    parts[0] = "[" + parts[0]
    parts[-1] += "]"
    return ",".join(parts)
