"""The one mapping from a universe to RDF triples, which every RDF output reads.

:func:`triples` walks the model once and yields each triple of the export in a
neutral, compact form that costs no rdflib terms:

* an IRI is a ``str``; a blank node is its label, ``_:b…``, a digest of what
  it stands for (its parent, the field and the nested record), so the output
  is stable;
* a literal is a tuple ``(value, lexical form, datatype IRI or None)``; the
  value orders literals as rdflib orders them.

The sinks turn the triples into output: :mod:`lorekit._rdf.text` writes
Turtle and N-Triples straight from them, :func:`lorekit._rdf.export.to_rdf`
makes rdflib terms of them (for RDF/XML, JSON-LD, TriG and N-Quads too).

What the mapping says
---------------------
Every entity is a node typed with its kind's class (``lore:Character``) and
carries its fields as properties derived from the model (see
:mod:`lorekit._rdf.vocab`). Every statement is there twice, by the RDF
reification pattern:

* the plain triple, ``:eve-macarro lore:member_of :ruska-roma``, so a naive
  SPARQL query sees it (both directions for a symmetric predicate);
* a node of class ``rdf:Statement`` (and ``lore:Statement``) with
  ``rdf:subject``, ``rdf:predicate``, ``rdf:object`` and the statement's
  ``lore:layer``, ``lore:revealed_in``, ``lore:note`` and sources.

A citation is a PROV-O qualified derivation: ``prov:qualifiedDerivation [ a
prov:Derivation ; prov:entity :source ; lore:locator "¶2" ]``, with the
unqualified ``prov:wasDerivedFrom :source`` beside it. Notes, entities and
statements cite alike. A few convenience triples are derived on export and
ignored on import: ``prov:wasDerivedFrom``, schema.org types (``schema:Person``
for people, ``schema:Movie`` for films), ``owl:sameAs`` to Wikidata,
``lore:from_universe``, the release order ``lore:follows`` /
``lore:followed_by`` and the story order ``lore:storyRank`` /
``lore:storyPrecedes`` (:mod:`lorekit._rdf.order`).

The same triple may come more than once (a record that lists a value twice);
every sink keeps one.

Examples
--------
>>> from lorekit import load
>>> from lorekit._rdf.vocab import LORE_NS
>>> base = "https://w3id.org/lorekit/universe/john-wick/"
>>> found = set(triples(load().universe, base))
>>> (base + "eve-macarro", LORE_NS + "member_of", base + "ruska-roma") in found
True
>>> (base + "ballerina", LORE_NS + "development_began",
...  (2017, "2017", "http://www.w3.org/2001/XMLSchema#integer")) in found
True
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel
from rdflib import Literal as RDFLiteral
from rdflib.namespace import PROV, RDF, XSD

from .._core.model import Citation, EntityBase, Note, Statement, Universe, UniverseInfo, Work
from .._core.relations import RELATIONS
from .order import order_triples
from .vocab import (
    FICTIONAL_KINDS,
    LORE,
    SCHEMA_TYPES,
    WD,
    class_iri,
    record_fields,
    term,
)

__all__ = ["Lit", "Obj", "Triple", "bnode_label", "release_pairs", "triples"]

Lit = tuple[Any, str, str | None]
"""A literal: its value (for ordering), lexical form and datatype IRI (``None``: plain)."""
Obj = str | Lit
"""An object: an IRI, a blank node label (``_:b…``) or a literal."""
Triple = tuple[str, str, Obj]
"""Subject (an IRI or a blank node label), predicate IRI, object."""

_Pairs = list[tuple[str, Obj]]
_Plan = tuple[tuple[str, str, str, bool, str | None], ...]

_TYPE = str(RDF.type)
_DERIVED = str(PROV.wasDerivedFrom)
_STATEMENT = str(RDF.Statement)
_FROM_UNIVERSE = str(LORE.from_universe)
_FOLLOWS = str(LORE.follows)
_FOLLOWED_BY = str(LORE.followed_by)
_DECIMAL = str(XSD.decimal)
_WD = str(WD)


def triples(universe: Universe, base: str) -> Iterator[Triple]:
    """Every triple of ``universe``'s export, its records' IRIs under ``base``.

    ``base`` ends with ``/`` or ``#``; the callers check it.
    """
    return _Mapping(base).universe(universe)


def bnode_label(*parts: str) -> str:
    """The label of the blank node that stands for ``parts``: a digest, so output is stable.

    Examples
    --------
    >>> bnode_label("https://example.org/x", "sources", "{}")
    '_:ba8223e27751e5482dfb4'
    """
    return "_:b" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def release_pairs(works: Iterable[Work]) -> Iterator[tuple[Work, Work]]:
    """Consecutive releases of the same form, earlier first: what ``lore:follows`` links."""
    by_form: dict[str, list[Work]] = defaultdict(list)
    for work in works:
        if work.release_date is not None:
            by_form[work.form].append(work)
    for group in by_form.values():
        group.sort(key=lambda w: (w.release_date, w.id))
        yield from zip(group, group[1:], strict=False)


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


def _value(kind: str, datatype: str | None, value: Any) -> Obj:
    """The object of a field value that is neither a reference, text nor a nested record."""
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


class _Mapping:
    """One walk over a universe; remembers the blank nodes it has written."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.written: set[str] = set()
        """Labels of the blank nodes whose triples are out."""
        self.seen: dict[BaseModel, tuple[str, _Pairs | None]] = {}
        """A nested record's JSON dump and, if it is flat, its (predicate, object) pairs,
        which equal records share."""

    def universe(self, universe: Universe) -> Iterator[Triple]:
        base = self.base
        yield (base, _TYPE, _class(UniverseInfo))
        yield from self.record(base, universe.info)
        for entity in universe.entities:
            yield from self.entity(entity)
        for st in universe.statements:
            node = base + ".".join(st.key)
            yield (node, _TYPE, _STATEMENT)
            yield (node, _TYPE, _class(Statement))
            yield from self.record(node, st)
            s, p, o = base + st.subject, _term(st.predicate), base + st.object
            yield (s, p, o)
            if RELATIONS[st.predicate].symmetric:
                yield (o, p, s)
        for note in universe.notes:
            node = f"{base}note.{note.id}"
            yield (node, _TYPE, _class(Note))
            yield from self.record(node, note)
        for earlier, later in release_pairs(e for e in universe.entities if isinstance(e, Work)):
            before, after = base + earlier.id, base + later.id
            yield (after, _FOLLOWS, before)
            yield (before, _FOLLOWED_BY, after)
        yield from order_triples(universe, base)

    def entity(self, entity: EntityBase) -> list[Triple]:
        node = self.base + entity.id
        out: list[Triple] = [(node, _TYPE, _class(type(entity)))]
        for field, value, cls in _schema_types(type(entity)):
            if field is None or getattr(entity, field, None) == value:
                out.append((node, _TYPE, cls))
        if entity.kind in FICTIONAL_KINDS:
            out.append((node, _FROM_UNIVERSE, self.base))
        out += self.record(node, entity)
        return out

    def record(self, node: str, obj: BaseModel) -> list[Triple]:
        """The triples of the fields of ``obj`` on ``node``, nested records' before their link."""
        base = self.base
        out: list[Triple] = []
        fields = obj.__dict__  # where pydantic keeps field values: a lookup, not getattr
        for name, prop, kind, many, datatype in _plan(type(obj)):
            value = fields[name]
            if many:
                if not value:
                    continue
                values = value
            elif value is None:
                continue
            else:
                values = (value,)
            if kind == "ref":
                out += [(node, prop, base + v) for v in values]
            elif kind == "text" or kind == "choice":
                out += [(node, prop, (str(v), str(v), None)) for v in values]
            elif kind == "model":
                for item in values:
                    out.append((node, prop, self.nested(node, name, item, out)))
                    if isinstance(item, Citation):
                        out.append((node, _DERIVED, base + item.source))
            else:
                out += [(node, prop, _value(kind, datatype, v)) for v in values]
        return out

    def nested(self, node: str, name: str, item: BaseModel, out: list[Triple]) -> str:
        """A nested record's blank node: its label; its triples go to ``out`` the first time."""
        # many equal records (citations): one lookup finds the dump and, if flat, the pairs
        seen = self.seen.get(item)
        if seen is None:
            seen = self.seen[item] = (item.model_dump_json(), None)
        dumped, pairs = seen
        label = bnode_label(node[2:] if node.startswith("_:") else node, name, dumped)
        if label in self.written:
            return label
        self.written.add(label)
        model = type(item)
        if pairs is not None:
            out += [(label, p, o) for p, o in pairs]
        elif _flat(model):
            pairs = [(_TYPE, _class(model))]
            pairs += [(p, o) for _, p, o in self.record(label, item)]
            self.seen[item] = (dumped, pairs)
            out += [(label, p, o) for p, o in pairs]
        else:
            out.append((label, _TYPE, _class(model)))
            out += self.record(label, item)
        return label
