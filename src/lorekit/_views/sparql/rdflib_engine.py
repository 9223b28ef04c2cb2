"""The ``rdflib`` SPARQL engine, the default: rdflib's own SPARQL, with ``initBindings``.

The graph it queries holds the universe's RDF export together with the
ontology, so a query may use class and property labels; it is built once per
:class:`~lorekit.LoreGraph`. Parameters are bound as RDF terms with rdflib's
``initBindings``, never pasted into the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from ..._core.errors import QueryError
from .guard import check_local
from .query import QueryResult, SparqlQuery, result_base

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier

    from ..._graph.graph import LoreGraph

__all__ = ["RdflibEngine"]

_GRAPHS: WeakKeyDictionary[LoreGraph, Graph] = WeakKeyDictionary()


def _query_graph(lore: LoreGraph) -> Graph:
    """The universe's export with the ontology, built once per LoreGraph."""
    graph = _GRAPHS.get(lore)
    if graph is None:
        from ..._rdf.ontology import ontology

        graph = lore.to_rdf()
        graph += ontology()
        _GRAPHS[lore] = graph
    return graph


class RdflibEngine:
    """Runs queries with rdflib (see :class:`~lorekit._views.sparql.engine.Engine`)."""

    name = "rdflib"

    def run(
        self, lore: LoreGraph, query: SparqlQuery, bindings: Mapping[str, Identifier]
    ) -> QueryResult:
        """Run ``query`` over ``lore`` with ``bindings`` bound by ``initBindings``."""
        from pyparsing import ParseException
        from rdflib.plugins.sparql import prepareQuery

        check_local(query)
        try:
            prepared = prepareQuery(query.text)
        except ParseException as exc:
            raise QueryError(
                f"not valid SPARQL: {exc.msg}", file=query.file, line=exc.lineno, value=exc.line
            ) from exc
        except Exception as exc:  # rdflib raises plain exceptions for unknown prefixes
            raise QueryError(f"not valid SPARQL: {exc}", file=query.file) from exc
        try:
            result = _query_graph(lore).query(prepared, initBindings=bindings)
        except Exception as exc:  # rdflib raises plain exceptions while evaluating
            raise QueryError(f"the query failed: {exc}", file=query.file) from exc
        base = result_base(lore)
        if result.type == "ASK":
            from rdflib import Literal

            return QueryResult(("result",), ((Literal(bool(result.askAnswer)),),), base)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            triples = tuple(tuple(t) for t in sorted(result.graph))
            return QueryResult(("subject", "predicate", "object"), triples, base)
        variables = tuple(str(v) for v in result.vars or ())
        rows = tuple(tuple(row) for row in cast(Any, result))
        return QueryResult(variables, rows, base)
