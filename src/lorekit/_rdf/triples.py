"""Turtle and N-Triples written straight from the model, without an rdflib graph.

:func:`lorekit._rdf.export.to_rdf` builds an rdflib graph, and rdflib's serializers
then walk it term by term: for a large universe that costs millions of term
objects and most of the export's time. This module collects the same
triples as plain strings, grouped by subject and predicate, and writes the
text itself:

* IRIs are strings; a blank node is its label, ``_:b…``, the same digest of
  what it stands for that :func:`lorekit._rdf.export._bnode` gives; a literal is a
  tuple ``(value, lexical form, datatype IRI or None)`` whose order is the
  order rdflib gives the same literals.
* Turtle follows rdflib's Turtle serializer, byte for byte on lorekit's data:
  the same prefixes (only those used), subjects in the same order (the
  universe, entities by kind, statements, notes; each group by IRI), ``a``
  and ``rdfs:label`` first and then predicates by IRI, objects sorted, blank
  nodes inlined as ``[ … ]`` with the same indentation.
* N-Triples are rdflib's lines (``rdflib.plugins.serializers.nt._nt_row``),
  sorted.

The one difference from rdflib is a fix: rdflib writes a multi-line string
that ends in a backslash and a quote with the quote raw, which closes the
string early and no parser reads; here the final quote is escaped. Control
characters other than line feed and carriage return stay raw, as in rdflib:
both grammars allow them in strings, and rdflib and pyoxigraph read them.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> triples = Triples(lore.universe, "https://w3id.org/lorekit/universe/john-wick/")
>>> print(turtle(triples, "john-wick").splitlines()[0])
@prefix john-wick: <https://w3id.org/lorekit/universe/john-wick/> .
>>> len(ntriples(triples).splitlines()) == len(lore.to_rdf())
True
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel
from rdflib import Graph
from rdflib import Literal as RDFLiteral
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .._core.model import Citation, EntityBase, Note, Statement, Universe, UniverseInfo, Work
from .._core.relations import RELATIONS
from .vocab import (
    FICTIONAL_KINDS,
    LORE,
    RECORD_MODELS,
    SCHEMA_TYPES,
    WD,
    bind_prefixes,
    class_iri,
    quiet_rdflib,
    record_fields,
    term,
)

__all__ = ["Triples", "ntriples", "release_pairs", "turtle"]

_Lit = tuple[Any, str, str | None]
"""A literal: its value (for ordering), lexical form and datatype IRI (``None``: plain)."""
_Obj = str | _Lit
"""An object: an IRI, a blank node label (``_:b…``) or a literal."""
_Props = dict[str, list[_Obj]]
"""Predicate IRI → objects, in the order they were added, maybe with repeats."""
_Plan = tuple[tuple[str, str, str, bool, str | None], ...]

_TYPE = str(RDF.type)
_LABEL = str(RDFS.label)
_DERIVED = str(PROV.wasDerivedFrom)
_STATEMENT = str(RDF.Statement)
_FROM_UNIVERSE = str(LORE.from_universe)
_FOLLOWS = str(LORE.follows)
_FOLLOWED_BY = str(LORE.followed_by)
_DECIMAL = str(XSD.decimal)
_WD = str(WD)
_TOP = tuple(str(class_iri(m)) for m in RECORD_MODELS)
"""Classes whose members Turtle lists first, in this order (as :func:`.export._turtle`)."""
_PLAIN_TYPES = frozenset(str(XSD[t]) for t in ("integer", "boolean", "decimal"))
"""Datatypes whose literals Turtle writes bare, as rdflib does."""


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    """Each field of ``model`` as (name, property IRI, kind, many, datatype IRI)."""
    return tuple(
        (s.name, str(s.prop), s.kind, s.many, None if s.datatype is None else str(s.datatype))
        for s in record_fields(model)
    )


@cache
def _flat(model: type[BaseModel]) -> bool:
    """Whether ``model`` has no nested records: its node's triples depend only on its value."""
    return all(kind != "model" for _, _, kind, _, _ in _plan(model))


@cache
def _class(model: type[BaseModel]) -> str:
    return str(class_iri(model))


@cache
def _term(name: str) -> str:
    return str(term(name))


@cache
def _schema_types(entity_model: type[BaseModel]) -> tuple[tuple[str | None, Any, str], ...]:
    """The schema.org types an entity of this model may have: (field, value, class IRI)."""
    kind = entity_model.model_fields["kind"].default
    return tuple(
        (field, value, str(cls))
        for (of_kind, field, value), cls in SCHEMA_TYPES.items()
        if of_kind == kind
    )


class Triples:
    """The triples of a universe's export, grouped by subject and predicate.

    They are those :func:`lorekit._rdf.export.to_rdf` puts in its graph (repeats
    included, which the writers drop).
    """

    def __init__(self, universe: Universe, base: str) -> None:
        self.base = base
        self.subjects: dict[str, _Props] = {}
        """IRI subjects, in no particular order."""
        self.bnodes: dict[str, _Props] = {}
        """Blank node subjects by label (``_:b…``): nested records, each one triple's object."""
        self._json: dict[BaseModel, str] = {}
        self._flat_props: dict[BaseModel, _Props] = {}
        self._universe(universe)

    def _node(self, iri: str) -> _Props:
        props = self.subjects.get(iri)
        if props is None:
            props = self.subjects[iri] = {}
        return props

    def _record(self, node: str, props: _Props, obj: BaseModel) -> None:
        """Add the fields of ``obj`` to ``node`` (an IRI or a blank node label)."""
        base = self.base
        for name, prop, kind, many, datatype in _plan(type(obj)):
            value = getattr(obj, name)
            if many:
                if not value:
                    continue
                values = value
            elif value is None:
                continue
            else:
                values = (value,)
            objects = props.get(prop)
            if objects is None:
                objects = props[prop] = []
            if kind == "ref":
                objects.extend([base + v for v in values])
            elif kind == "text" or kind == "choice":
                objects.extend([(str(v), str(v), None) for v in values])
            elif kind == "model":
                for item in values:
                    objects.append(self._nested(node, name, item))
                    if isinstance(item, Citation):
                        props.setdefault(_DERIVED, []).append(base + item.source)
            else:
                objects.extend([self._value(kind, datatype, v) for v in values])

    def _nested(self, node: str, name: str, item: BaseModel) -> str:
        """A nested record as a blank node: its label, with its triples added."""
        parent = node[2:] if node.startswith("_:") else node
        dumped = self._json.get(item)
        if dumped is None:
            dumped = self._json[item] = item.model_dump_json()
        # the label of lorekit._rdf.export._bnode
        digest = hashlib.sha256(f"{parent}\x1f{name}\x1f{dumped}".encode()).hexdigest()
        label = "_:b" + digest[:20]
        if label not in self.bnodes:
            model = type(item)
            flat = _flat(model)
            props = self._flat_props.get(item) if flat else None
            if props is None:  # equal flat records share one (read-only) set of triples
                props = {_TYPE: [_class(model)]}
                self._record(label, props, item)
                if flat:
                    self._flat_props[item] = props
            self.bnodes[label] = props
        return label

    @staticmethod
    def _value(kind: str, datatype: str | None, value: Any) -> _Obj:
        if kind == "wikidata":
            return _WD + str(value)
        if kind == "predicate":
            return _term(value)
        if kind == "float":
            lexical = format(Decimal(repr(float(value))), "f")
            return (Decimal(lexical), lexical, _DECIMAL)
        if kind == "bool":
            return (value, "true" if value else "false", datatype)
        if kind == "int" and type(value) is int:
            return (value, str(value), datatype)
        if kind == "date":
            return (value, value.isoformat(), datatype)
        literal = RDFLiteral(value, datatype=datatype)  # anything else: as rdflib writes it
        return (str(literal), str(literal), datatype)

    def _universe(self, universe: Universe) -> None:
        base = self.base
        root = self._node(base)
        root[_TYPE] = [_class(UniverseInfo)]
        self._record(base, root, universe.info)
        for entity in universe.entities:
            self._entity(entity)
        for st in universe.statements:
            node = base + ".".join(st.key)
            props = self._node(node)
            props.setdefault(_TYPE, []).extend((_STATEMENT, _class(Statement)))
            self._record(node, props, st)
            s, p, o = base + st.subject, _term(st.predicate), base + st.object
            self._node(s).setdefault(p, []).append(o)
            if RELATIONS[st.predicate].symmetric:
                self._node(o).setdefault(p, []).append(s)
        for note in universe.notes:
            node = f"{base}note.{note.id}"
            props = self._node(node)
            props.setdefault(_TYPE, []).append(_class(Note))
            self._record(node, props, note)
        self._release_order([e for e in universe.entities if isinstance(e, Work)])

    def _entity(self, entity: EntityBase) -> None:
        node = self.base + entity.id
        props = self._node(node)
        types = props.setdefault(_TYPE, [])
        types.append(_class(type(entity)))
        for field, value, cls in _schema_types(type(entity)):
            if field is None or getattr(entity, field, None) == value:
                types.append(cls)
        if entity.kind in FICTIONAL_KINDS:
            props.setdefault(_FROM_UNIVERSE, []).append(self.base)
        self._record(node, props, entity)

    def _release_order(self, works: list[Work]) -> None:
        """As :meth:`lorekit._rdf.export._Writer.release_order`."""
        for earlier, later in release_pairs(works):
            before, after = self.base + earlier.id, self.base + later.id
            self._node(after).setdefault(_FOLLOWS, []).append(before)
            self._node(before).setdefault(_FOLLOWED_BY, []).append(after)


def release_pairs(works: Iterable[Work]) -> Iterator[tuple[Work, Work]]:
    """Consecutive releases of the same form, earlier first: what ``lore:follows`` links."""
    by_form: dict[str, list[Work]] = defaultdict(list)
    for work in works:
        if work.release_date is not None:
            by_form[work.form].append(work)
    for group in by_form.values():
        group.sort(key=lambda w: (w.release_date, w.id))
        yield from zip(group, group[1:], strict=False)


def _distinct(objects: list[_Obj]) -> list[_Obj]:
    """``objects`` without repeats, in rdflib's order (one kind of term per predicate)."""
    if len(objects) == 1:
        return objects
    return sorted(set(objects))  # type: ignore[type-var, unused-ignore]


# --- N-Triples -------------------------------------------------------------------


def _nt_string(text: str) -> str:
    """A quoted N-Triples string, escaped as rdflib's N-Triples serializer does."""
    if "\\" in text or "\n" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
        text = text.replace("\r", "\\r")
    return f'"{text}"'


def _nt_lines(s: str, props: _Props) -> Iterator[str]:
    """The lines of subject ``s`` (written as in N-Triples), with repeats."""
    for predicate, objects in props.items():
        head = f"{s} <{predicate}> "
        for o in objects:
            if isinstance(o, str):
                if o.startswith("_:"):
                    yield f"{head}{o} .\n"
                else:
                    yield f"{head}<{o}> .\n"
            else:
                _, lexical, datatype = o
                if datatype is None:
                    yield f"{head}{_nt_string(lexical)} .\n"
                else:
                    yield f"{head}{_nt_string(lexical)}^^<{datatype}> .\n"


def ntriples(triples: Triples) -> str:
    """N-Triples, one line per distinct triple, lines sorted.

    Sorting subject by subject gives the order of sorting all lines: a
    subject's ``<…>`` or ``_:…`` ends where no other subject's does.
    """
    subjects = [(f"<{s}>", props) for s, props in triples.subjects.items()]
    subjects += triples.bnodes.items()
    subjects.sort(key=lambda sp: sp[0])
    out: list[str] = []
    for s, props in subjects:
        out += sorted(set(_nt_lines(s, props)))
    return "".join(out)


# --- Turtle ------------------------------------------------------------------------


def _long_string(text: str) -> str:
    """A long (triple-quoted) Turtle string, for text with line breaks."""
    encoded = text.replace("\\", "\\\\")
    if '"""' in text:
        encoded = encoded.replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        run = len(text) - len(text.rstrip('"'))
        if run % 3:  # the last quote is still raw, and would close the string early
            encoded = encoded[:-1] + '\\"'
    return '"""' + encoded.replace("\r", "\\r") + '"""'


def _ttl_string(text: str) -> str:
    """A quoted Turtle string, as rdflib writes it (but see :func:`_long_string`)."""
    if "\n" in text:
        return _long_string(text)
    if "\\" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return f'"{text}"'


class _Names:
    """Prefixed names of IRIs, remembering which prefixes were used."""

    def __init__(self, namespaces: Iterable[tuple[str, str]]) -> None:
        # longest namespace first, so that the most specific one wins
        self.namespaces = sorted(namespaces, key=lambda pn: -len(pn[1]))
        self.used: dict[str, str] = {}
        self.cache: dict[str, str] = {}

    def name(self, iri: str) -> str:
        cached = self.cache.get(iri)
        if cached is None:
            cached = self.cache[iri] = self._name(iri)
        return cached

    def _name(self, iri: str) -> str:
        for prefix, ns in self.namespaces:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if _plain_local(local):
                    self.used[prefix] = ns
                    return f"{prefix}:{local}"
        return f"<{iri}>"


def _plain_local(local: str) -> bool:
    """Whether ``local`` needs no escape as a Turtle local name (lorekit's names never do)."""
    if not local:
        return True
    if local[0] in ".-" or local[-1] == ".":
        return False
    return all(c.isascii() and (c.isalnum() or c in "-_.") for c in local)


def _namespaces(base: str, universe_id: str) -> list[tuple[str, str]]:
    """The prefixes :func:`lorekit._rdf.export.to_rdf` binds, as rdflib resolves them."""
    graph = Graph(bind_namespaces="core")
    with quiet_rdflib():
        bind_prefixes(graph, base=base, universe_id=universe_id)
        return [(prefix, str(ns)) for prefix, ns in graph.namespaces()]


class _TurtleWriter:
    def __init__(self, triples: Triples, names: _Names) -> None:
        self.bnodes = triples.bnodes
        self.names = names
        self.name = names.name

    def literal(self, value: _Lit) -> str:
        number, lexical, datatype = value
        if datatype is None:
            return _ttl_string(lexical)
        qname = self.name(datatype)  # a used prefix, even when the literal is bare
        if datatype in _PLAIN_TYPES:
            if datatype != _DECIMAL:
                return lexical
            if math.isfinite(number):
                return lexical if "." in lexical else lexical + ".0"
            with quiet_rdflib():  # not a number: as rdflib writes it
                return RDFLiteral(lexical, datatype=datatype)._literal_n3(
                    use_plain=True, qname_callback=self.name
                )
        return f"{_ttl_string(lexical)}^^{qname}"

    def obj(self, o: _Obj, level: int) -> str:
        if isinstance(o, str):
            props = self.bnodes.get(o)
            if props is None:
                return self.name(o)
            return "[" + self.predicates(props, level + 2) + " ]"
        return self.literal(o)

    def predicates(self, props: _Props, level: int) -> str:
        """`` a … ;\\n    p o1,\\n        o2 …``: a node's predicate list at ``level``."""
        order = sorted(props)
        for first in (_LABEL, _TYPE):
            if first in props:
                order.remove(first)
                order.insert(0, first)
        next_predicate = " ;\n" + "    " * (level + 1)
        next_object = ",\n" + "    " * (level + 2)
        parts = []
        obj = self.obj
        for predicate in order:
            verb = "a" if predicate == _TYPE else self.name(predicate)
            objects = _distinct(props[predicate])
            if len(objects) == 1:
                parts.append(f"{verb} {obj(objects[0], level)}")
            else:
                parts.append(f"{verb} " + next_object.join([obj(o, level) for o in objects]))
        return " " + next_predicate.join(parts)


def _rank(props: _Props) -> int:
    """Where a subject's group comes in Turtle: the first of its classes in ``_TOP``."""
    ranks = [_TOP.index(t) for t in props.get(_TYPE, ()) if isinstance(t, str) and t in _TOP]
    return min(ranks, default=len(_TOP))


def turtle(triples: Triples, universe_id: str) -> str:
    """Turtle as rdflib's serializer writes the same triples, with ``_TOP`` classes first."""
    names = _Names(_namespaces(triples.base, universe_id))
    writer = _TurtleWriter(triples, names)
    subjects = sorted(triples.subjects.items(), key=lambda sp: (_rank(sp[1]), sp[0]))
    body = [f"\n{names.name(s)}{writer.predicates(props, 0)} .\n" for s, props in subjects]
    head = [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(names.used.items())]
    return "".join(head) + "".join(body) + "\n"
