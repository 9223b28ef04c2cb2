"""The ``oxigraph`` SPARQL engine: the same queries, run by pyoxigraph (``lorekit[fast]``).

pyoxigraph is optional and imports only when this engine runs. The store
holds the universe's export and the ontology, built once per
:class:`~lorekit.LoreGraph`; parameters are bound with pyoxigraph's
``substitutions`` (RDF-dev SEP-0007), never pasted into the query text, and
the rows come back as rdflib terms, so a :class:`~lorekit.QueryResult` is the
same whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ._sparql import QueryError, QueryResult, SparqlQuery

if TYPE_CHECKING:
    from rdflib.term import Identifier, Node

    from ._graph import LoreGraph

__all__ = ["from_oxigraph", "pyoxigraph", "run_oxigraph", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_STORES: WeakKeyDictionary[LoreGraph, Any] = WeakKeyDictionary()


def pyoxigraph() -> Any:
    """The pyoxigraph module, or a :class:`QueryError` that says how to install it."""
    try:
        import pyoxigraph as ox
    except ImportError as exc:
        raise QueryError(
            "the oxigraph engine needs pyoxigraph: pip install 'lorekit[fast]'"
        ) from exc
    return ox


def _store(lore: LoreGraph) -> Any:
    """The universe's export with the ontology in a pyoxigraph store, built once."""
    store = _STORES.get(lore)
    if store is None:
        from ._ontology import ontology_turtle
        from ._rdf import serialize_rdf
        from ._vocab import quiet_rdflib

        ox = pyoxigraph()
        store = ox.Store()
        with quiet_rdflib():  # the N-Triples writer builds no rdflib graph: the fast way in
            triples = serialize_rdf(lore, "nt").encode("utf-8")
        store.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES)
        store.bulk_load(ontology_turtle().encode(), format=ox.RdfFormat.TURTLE)
        _STORES[lore] = store
    return store


def to_oxigraph(term: Identifier) -> Any:
    """An rdflib IRI, blank node or literal as the pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    ox = pyoxigraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal), term
    if term.language:
        return ox.Literal(str(term), language=term.language)
    datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
    return ox.Literal(str(term), datatype=datatype)


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as the rdflib term (a plain ``xsd:string`` as rdflib writes it)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    ox = pyoxigraph()
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def run_oxigraph(
    lore: LoreGraph, query: SparqlQuery, init: Mapping[str, Identifier], base: str
) -> QueryResult:
    """Run ``query`` in pyoxigraph with ``init`` substituted; see :func:`lorekit.run_query`."""
    ox = pyoxigraph()
    store = _store(lore)
    substitutions = {ox.Variable(name): to_oxigraph(value) for name, value in init.items()}
    try:
        try:
            result = store.query(query.text, substitutions=substitutions)
        except RuntimeError as exc:
            if "does not contain" not in str(exc) or "projection" not in str(exc):
                raise
            # SEP-0007 substitutes only projected variables (ASK projects none):
            # bind them as a VALUES block of escaped terms instead, as at a server
            from ._remote import bind_values

            result = store.query(bind_values(query, init))
    except SyntaxError as exc:
        raise QueryError(f"not valid SPARQL: {exc}", file=query.file) from exc
    except (OSError, ValueError, RuntimeError) as exc:  # an evaluation error
        raise QueryError(f"the query failed: {exc}", file=query.file) from exc
    if isinstance(result, ox.QueryBoolean):
        from rdflib import Literal

        return QueryResult(("result",), ((Literal(bool(result)),),), base)
    if isinstance(result, ox.QueryTriples):
        triples = sorted(
            (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
            for t in result
        )
        return QueryResult(("subject", "predicate", "object"), tuple(triples), base)
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(from_oxigraph(solution[v]) for v in variables) for solution in result)
    return QueryResult(variables, rows, base)
