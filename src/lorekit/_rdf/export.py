"""The universe as rdflib terms, and as RDF text in every format lorekit writes.

:func:`to_rdf` is the rdflib sink of the one mapping,
:func:`lorekit._rdf.triples.triples`: it turns the mapping's plain triples
into rdflib terms (each distinct IRI and literal made once) in a graph, or in
a dataset whose one named graph is the universe. :func:`serialize_rdf` writes
text: Turtle and N-Triples straight from the triples
(:mod:`lorekit._rdf.text`), RDF/XML, JSON-LD, TriG and N-Quads through the
graph. Every output is deterministic: the same data gives the same bytes.

:mod:`lorekit._rdf.read` reads any of them back into the loader's records;
RDF has no order, so an imported universe equals :func:`canonical
<lorekit._rdf.canonical.canonical>` of the exported one, and its export is
byte-identical.

Examples
--------
>>> from lorekit import load
>>> rdf = load().to_rdf()
>>> from rdflib import URIRef
>>> from lorekit._rdf.vocab import LORE
>>> eve = URIRef("https://w3id.org/lorekit/universe/john-wick/eve-macarro")
>>> roma = URIRef("https://w3id.org/lorekit/universe/john-wick/ruska-roma")
>>> (eve, LORE.member_of, roma) in rdf
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from .._core.formats import RDF_FORMATS, RdfFormat
from .._core.gc import collector_paused
from .triples import Lit, Triple, triples
from .vocab import RECORD_MODELS, bind_prefixes, class_iri, quiet_rdflib, turtle, universe_base

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


def _checked_base(lore: LoreGraph, base: str | None) -> str:
    base = base if base is not None else universe_base(lore.info.id)
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end with '/' or '#'")
    return base


def add_triples(graph: Graph, found: Iterable[Triple]) -> None:
    """Add the mapping's triples to ``graph`` as rdflib terms, each distinct term made once."""
    nodes: dict[str, Node] = {}
    literals: dict[Lit, Node] = {}
    datatypes: dict[str, URIRef] = {}
    add = graph.add
    for s, p, o in found:
        subject = nodes.get(s)
        if subject is None:
            subject = nodes[s] = BNode(s[2:]) if s.startswith("_:") else URIRef(s)
        predicate = nodes.get(p)
        if predicate is None:
            predicate = nodes[p] = URIRef(p)
        if isinstance(o, str):
            obj = nodes.get(o)
            if obj is None:
                obj = nodes[o] = BNode(o[2:]) if o.startswith("_:") else URIRef(o)
        else:
            obj = literals.get(o)
            if obj is None:
                _, lexical, datatype = o
                iri = None
                if datatype is not None:
                    iri = datatypes.get(datatype)
                    if iri is None:
                        iri = datatypes[datatype] = URIRef(datatype)
                obj = literals[o] = RDFLiteral(lexical, datatype=iri)
        add((subject, predicate, obj))


def to_rdf(lore: LoreGraph, *, base: str | None = None, dataset: bool = False) -> Graph:
    """The universe as an rdflib graph; see :meth:`LoreGraph.to_rdf`."""
    base = _checked_base(lore, base)
    info = lore.info
    with collector_paused():
        if dataset:
            ds = Dataset()
            bind_prefixes(ds, base=base, universe_id=info.id)
            add_triples(ds.graph(URIRef(base)), triples(lore.universe, base))
            return ds
        out = Graph(bind_namespaces="core")
        bind_prefixes(out, base=base, universe_id=info.id)
        add_triples(out, triples(lore.universe, base))
        return out


def serialize_rdf(lore: LoreGraph, format: RdfFormat = "ttl", *, base: str | None = None) -> str:
    """The universe as RDF text: deterministic, so the same data gives the same bytes.

    ``format`` is one of ``ttl`` (Turtle), ``nt`` (N-Triples), ``jsonld``
    (JSON-LD with lorekit's context), ``xml`` (RDF/XML), ``trig`` and ``nq``
    (N-Quads); the last two put the universe in a named graph, the universe's IRI.

    Turtle, N-Triples (:mod:`lorekit._rdf.text`) and JSON-LD
    (:func:`lorekit._rdf.jsonld.jsonld`) are written straight from the
    mapping's triples, faster than through an rdflib graph and byte for byte
    what is written from :func:`to_rdf`'s graph; the other formats go through
    that graph.

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
    base = _checked_base(lore, base)
    if format in ("ttl", "nt"):
        from . import text

        with collector_paused():
            found = triples(lore.universe, base)
            if format == "nt":
                return text.ntriples(found)
            return text.turtle(found, base, lore.info.id)
    if format == "jsonld":
        from .jsonld import jsonld

        with collector_paused():
            return jsonld(triples(lore.universe, base), base)
    graph = to_rdf(lore, base=base, dataset=format in ("trig", "nq"))
    if format == "nq":
        with quiet_rdflib():
            lines = graph.serialize(format=FORMATS[format]).split(
                "\n"
            )  # not splitlines: U+2028 may sit in a string
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
