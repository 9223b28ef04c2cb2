"""RDF export and import: a universe as RDF and back, losslessly.

Export
------
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
``lore:from_universe`` and the release order ``lore:follows`` /
``lore:followed_by``.

Import
------
:mod:`lorekit._rdf.read` reads an RDF file back into the loader's records;
the loader then checks them exactly as it checks YAML. RDF has no order, so
an imported universe lists entities by id, statements by (subject,
predicate, object), notes by id, and each record's lists sorted without
repeats: it equals :func:`canonical` of the exported universe, and its
export is byte-identical.

Examples
--------
>>> from lorekit import load
>>> rdf = load().to_rdf()
>>> from rdflib import URIRef
>>> eve = URIRef("https://w3id.org/lorekit/universe/john-wick/eve-macarro")
>>> roma = URIRef("https://w3id.org/lorekit/universe/john-wick/ruska-roma")
>>> (eve, LORE.member_of, roma) in rdf
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from .._core.formats import RDF_FORMATS, RdfFormat
from .._core.gc import collector_paused
from .._core.model import (
    SLUG_PATTERN,
    Citation,
    EntityBase,
    Note,
    Statement,
    Universe,
    UniverseInfo,
    Work,
)
from .._core.relations import RELATIONS
from .triples import release_pairs
from .vocab import (
    FICTIONAL_KINDS,
    LORE,
    RECORD_MODELS,
    SCHEMA_TYPES,
    WD,
    FieldSpec,
    bind_prefixes,
    class_iri,
    entity_iri,
    note_iri,
    quiet_rdflib,
    record_fields,
    statement_iri,
    term,
    turtle,
    universe_base,
)

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph

__all__ = [
    "FORMATS",
    "RdfFormat",
    "serialize_rdf",
    "to_rdf",
]


FORMATS: Mapping[RdfFormat, str] = {k: f.rdflib for k, f in RDF_FORMATS.items()}
"""Export format → rdflib serializer."""

SUFFIX_FORMATS: Mapping[str, str] = {s: f.rdflib for f in RDF_FORMATS.values() for s in f.suffixes}
"""File suffix → rdflib parser."""

_SLUG = re.compile(SLUG_PATTERN)


# --- export ---------------------------------------------------------------------


def _bnode(*parts: str) -> BNode:
    """A blank node whose label is a digest of what it stands for: stable output."""
    return BNode("b" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20])


class _Sink(Protocol):
    """Where the writer puts triples: an rdflib graph or dataset."""

    def add(self, triple: tuple[Node, Node, Node], /) -> Any: ...


class _Writer:
    def __init__(self, graph: _Sink, base: str) -> None:
        self.g = graph
        self.base = base

    def record(self, node: URIRef | BNode, obj: BaseModel) -> None:
        for spec in record_fields(type(obj)):
            value = getattr(obj, spec.name)
            values = value if spec.many else (() if value is None else (value,))
            for item in values:
                self.g.add((node, spec.prop, self.value_term(node, spec, item)))
                if isinstance(item, Citation):
                    self.g.add((node, PROV.wasDerivedFrom, entity_iri(self.base, item.source)))

    def value_term(self, node: URIRef | BNode, spec: FieldSpec, value: Any) -> Node:
        if spec.kind == "ref":
            return entity_iri(self.base, value)
        if spec.kind == "wikidata":
            return WD[value]
        if spec.kind == "predicate":
            return term(value)
        if spec.kind == "model":
            assert isinstance(value, BaseModel)
            nested = _bnode(str(node), spec.name, value.model_dump_json())
            self.g.add((nested, RDF.type, class_iri(type(value))))
            self.record(nested, value)
            return nested
        if spec.kind in ("text", "choice"):
            return RDFLiteral(str(value))
        if spec.kind == "float":
            return RDFLiteral(format(Decimal(repr(float(value))), "f"), datatype=XSD.decimal)
        return RDFLiteral(value, datatype=spec.datatype)

    def universe(self, universe: Universe) -> None:
        root = URIRef(self.base)
        self.g.add((root, RDF.type, class_iri(UniverseInfo)))
        self.record(root, universe.info)
        for entity in universe.entities:
            self.entity(entity, root)
        for st in universe.statements:
            node = statement_iri(self.base, st.key)
            self.g.add((node, RDF.type, RDF.Statement))
            self.g.add((node, RDF.type, class_iri(Statement)))
            self.record(node, st)
            s, p, o = entity_iri(self.base, st.subject), term(st.predicate), self.ref(st.object)
            self.g.add((s, p, o))
            if RELATIONS[st.predicate].symmetric:
                self.g.add((o, p, s))
        for note in universe.notes:
            node = note_iri(self.base, note.id)
            self.g.add((node, RDF.type, class_iri(Note)))
            self.record(node, note)
        self.release_order([e for e in universe.entities if isinstance(e, Work)])

    def ref(self, ident: str) -> URIRef:
        return entity_iri(self.base, ident)

    def entity(self, entity: EntityBase, root: URIRef) -> None:
        node = entity_iri(self.base, entity.id)
        kind = entity.kind
        self.g.add((node, RDF.type, class_iri(type(entity))))
        for (of_kind, field, value), cls in SCHEMA_TYPES.items():
            if of_kind == kind and (field is None or getattr(entity, field, None) == value):
                self.g.add((node, RDF.type, cls))
        if kind in FICTIONAL_KINDS:
            self.g.add((node, LORE.from_universe, root))
        self.record(node, entity)

    def release_order(self, works: list[Work]) -> None:
        """``lore:follows`` between consecutive releases of the same form (Wikidata P155)."""
        for earlier, later in release_pairs(works):
            self.g.add((self.ref(later.id), LORE.follows, self.ref(earlier.id)))
            self.g.add((self.ref(earlier.id), LORE.followed_by, self.ref(later.id)))


def to_rdf(lore: LoreGraph, *, base: str | None = None, dataset: bool = False) -> Graph:
    """The universe as an rdflib graph; see :meth:`LoreGraph.to_rdf`."""
    info = lore.universe.info
    base = base if base is not None else universe_base(info.id)
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end with '/' or '#'")
    if dataset:
        ds = Dataset()
        bind_prefixes(ds, base=base, universe_id=info.id)
        graph = ds.graph(URIRef(base))
        _Writer(graph, base).universe(lore.universe)
        return ds
    out = Graph(bind_namespaces="core")
    bind_prefixes(out, base=base, universe_id=info.id)
    _Writer(out, base).universe(lore.universe)
    return out


def serialize_rdf(lore: LoreGraph, format: RdfFormat = "ttl", *, base: str | None = None) -> str:
    """The universe as RDF text: deterministic, so the same data gives the same bytes.

    ``format`` is one of ``ttl`` (Turtle), ``nt`` (N-Triples), ``jsonld``
    (JSON-LD with lorekit's context), ``xml`` (RDF/XML), ``trig`` and ``nq``
    (N-Quads); the last two put the universe in a named graph, the universe's IRI.

    Turtle and N-Triples are written straight from the model
    (:mod:`lorekit._rdf.triples`), many times faster than rdflib's serializers
    and byte for byte what they write from :func:`to_rdf`'s graph; the other
    formats go through that graph.

    Examples
    --------
    >>> from lorekit import load
    >>> text = serialize_rdf(load(), "ttl")
    >>> text.startswith("@prefix john-wick: <https://w3id.org/lorekit/universe/john-wick/>")
    True
    >>> "lore:member_of john-wick:ruska-roma" in text
    True
    """
    if format not in FORMATS:
        raise ValueError(f"unknown RDF format {format!r}; use one of {', '.join(FORMATS)}")
    base = base if base is not None else universe_base(lore.universe.info.id)
    if format == "jsonld":
        from .jsonld import to_jsonld

        return to_jsonld(to_rdf(lore, base=base), base)
    if format in ("ttl", "nt"):
        from . import triples as _rdf_write

        if not base.endswith(("/", "#")):
            raise ValueError(f"base IRI {base!r} must end with '/' or '#'")
        with collector_paused():
            triples = _rdf_write.Triples(lore.universe, base)
            if format == "nt":
                return _rdf_write.ntriples(triples)
            return _rdf_write.turtle(triples, lore.universe.info.id)
    graph = to_rdf(lore, base=base, dataset=format in ("trig", "nq"))
    if format == "nq":
        with quiet_rdflib():
            lines = graph.serialize(format=FORMATS[format]).splitlines()
        return "".join(sorted(f"{line}\n" for line in lines if line.strip()))
    if format == "xml":
        ordered = _SortedGraph(bind_namespaces="core")
        for prefix, ns in graph.namespaces():
            ordered.bind(prefix, ns)
        ordered += graph
        with quiet_rdflib():
            return ordered.serialize(format=FORMATS[format])
    return _turtle(graph, trig=format == "trig")


class _SortedGraph(Graph):
    """A graph that lists subjects and their properties in a stable order.

    rdflib's RDF/XML serializer writes them in the order it gets them, which
    otherwise follows set and hash order: a different file on every run.
    """

    def subjects(self, *args: Any, **kwargs: Any) -> Any:
        yield from sorted(set(super().subjects(*args, **kwargs)), key=_n3)

    def predicate_objects(self, *args: Any, **kwargs: Any) -> Any:
        yield from sorted(super().predicate_objects(*args, **kwargs), key=lambda po: (
            _n3(po[0]), _n3(po[1])))  # fmt: skip


def _n3(node: Any) -> str:
    return str(node.n3())


def _turtle(graph: Graph, *, trig: bool) -> str:
    """Turtle (or TriG) with the universe first, then entities by kind, statements, notes."""
    return turtle(graph, (class_iri(m) for m in RECORD_MODELS), trig=trig)
