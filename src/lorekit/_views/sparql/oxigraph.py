"""The ``oxigraph`` SPARQL engine: the same queries, run by pyoxigraph (``lorekit[fast]``).

pyoxigraph is optional and imports only when this engine runs. The store
holds the universe's export and the ontology, built once per
:class:`~lorekit.LoreGraph`. Parameters are bound as a one-row ``VALUES``
block of escaped RDF terms opening the ``WHERE`` group, as at a remote
endpoint, never pasted into the query as text: Oxigraph's planner then knows
the bound values and starts from them (with pyoxigraph's ``substitutions``,
RDF-dev SEP-0007, it plans as if they were unbound and filters at the end,
which made a query about one entity walk the whole universe). A query with no
``WHERE`` group falls back to ``substitutions``. The rows come back as rdflib
terms, so a :class:`~lorekit.QueryResult` is the same whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from ..._core.errors import QueryError
from .binding import bind_values
from .guard import check_local
from .query import QueryResult, SparqlQuery, result_base

if TYPE_CHECKING:
    from rdflib.term import Identifier, Node

    from ..._graph.graph import LoreGraph

__all__ = ["OxigraphEngine", "from_oxigraph", "pyoxigraph", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_STORES: WeakKeyDictionary[LoreGraph, Any] = WeakKeyDictionary()
_TERMS: WeakKeyDictionary[LoreGraph, dict[Any, Node]] = WeakKeyDictionary()
_TERMS_KEPT = 1_000_000
"""Most rdflib terms remembered per universe; past it the memory starts afresh."""


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
        from ..._rdf.export import serialize_rdf
        from ..._rdf.ontology import ontology_turtle
        from ..._rdf.vocab import quiet_rdflib

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
        return Literal(term.value, lang=term.language, normalize=False)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:  # text is its own normal form: skip rdflib's casting
        return Literal(term.value, normalize=False)
    return Literal(term.value, datatype=URIRef(datatype))


class OxigraphEngine:
    """Runs queries with pyoxigraph (see :class:`~lorekit._views.sparql.engine.Engine`)."""

    name = "oxigraph"

    def run(
        self, lore: LoreGraph, query: SparqlQuery, bindings: Mapping[str, Identifier]
    ) -> QueryResult:
        """Run ``query`` in pyoxigraph with ``bindings`` as a ``VALUES`` row."""
        check_local(query)
        ox = pyoxigraph()
        store = _store(lore)
        try:
            text = bind_values(query, bindings)
            substitutions: dict[Any, Any] = {}
        except QueryError:  # no WHERE group to open with VALUES
            text = query.text
            substitutions = {
                ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()
            }
        try:
            try:
                result = store.query(text, substitutions=substitutions)
            except RuntimeError as exc:
                if "does not contain" not in str(exc) or "projection" not in str(exc):
                    raise
                raise QueryError(
                    f"cannot bind {', '.join('?' + n for n in bindings)}: the query does not "
                    "select them and has no WHERE group",
                    file=query.file,
                ) from exc
        except SyntaxError as exc:
            raise QueryError(f"not valid SPARQL: {exc}", file=query.file) from exc
        except (OSError, ValueError, RuntimeError) as exc:  # an evaluation error
            raise QueryError(f"the query failed: {exc}", file=query.file) from exc
        try:  # Oxigraph evaluates lazily: errors may come while the rows are read
            return _result(result, _converter(lore), result_base(lore))
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}", file=query.file) from exc


def _result(result: Any, convert: Callable[[Any], Node | None], base: str) -> QueryResult:
    """The rows of an Oxigraph result as rdflib terms."""
    ox = pyoxigraph()
    if isinstance(result, ox.QueryBoolean):
        from rdflib import Literal

        return QueryResult(("result",), ((Literal(bool(result)),),), base)
    if isinstance(result, ox.QueryTriples):
        triples = sorted(
            (convert(t.subject), convert(t.predicate), convert(t.object)) for t in result
        )
        return QueryResult(("subject", "predicate", "object"), tuple(triples), base)
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(convert(term) for term in solution) for solution in result)
    return QueryResult(variables, rows, base)


def _converter(lore: LoreGraph) -> Callable[[Any], Node | None]:
    """:func:`from_oxigraph`, remembering each term for the universe.

    Making rdflib terms is most of the cost of a large result (an IRI or
    literal takes microseconds to check and build), and rows repeat their IRIs
    and labels, within one query and across queries of the same universe.
    """
    seen = _TERMS.get(lore)
    if seen is None or len(seen) > _TERMS_KEPT:
        seen = _TERMS[lore] = {}

    def convert(term: Any) -> Node | None:
        if term is None:
            return None
        node = seen.get(term)
        if node is None:
            node = seen[term] = cast("Node", from_oxigraph(term))
        return node

    return convert
