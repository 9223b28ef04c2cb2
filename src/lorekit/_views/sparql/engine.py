"""SPARQL queries over a universe, run by one of the engines behind one interface.

An :class:`Engine` runs a :class:`~lorekit.SparqlQuery` over a universe with
its parameters already turned into RDF terms (:func:`.query.query_bindings`)
and returns a :class:`~lorekit.QueryResult` of rdflib terms, so a result is the
same whichever engine made it. The local engines are registered by name in
:data:`ENGINES`:

- ``rdflib`` (:mod:`.rdflib_engine`, the default): rdflib's SPARQL, the values
  bound with ``initBindings``;
- ``oxigraph`` (:mod:`.oxigraph`): pyoxigraph, faster on large universes
  (``pip install 'lorekit[fast]'``), the values bound as a ``VALUES`` row.

A SPARQL server is an engine too (:class:`.remote.EndpointEngine`, behind
:func:`~lorekit.query_endpoint`). A new engine is one module with a class that
has a ``name`` and a ``run`` method, and one line in :data:`ENGINES`.

A parameter's value is never pasted into the query text: it becomes an RDF
term (an entity's IRI, a literal), so quotes, braces or ``DROP`` in a value are
just characters of a literal. Queries run over the universe's RDF export
together with the ontology, so a query may use class and property labels.

Examples
--------
>>> from lorekit import load
>>> q = SparqlQuery.from_text('''
... # Names of an entity
... # Parameters:
... #   ?who (entity, default: eve)  anyone
... PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
... SELECT ?name WHERE { ?who rdfs:label ?name }
... ''')
>>> run_query(load(), q).records()
[{'name': 'Eve Macarro'}]
>>> run_query(load(), q, engine="oxigraph").records()
[{'name': 'Eve Macarro'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Protocol

from ..._core.errors import QueryError
from ..._core.names import did_you_mean
from .oxigraph import OxigraphEngine
from .query import QueryParam, QueryResult, SparqlQuery, query_bindings
from .rdflib_engine import RdflibEngine

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from ..._graph.graph import LoreGraph

__all__ = [
    "ENGINES",
    "Engine",
    "EngineName",
    "QueryParam",
    "QueryResult",
    "SparqlQuery",
    "engine_named",
    "run_query",
]


class Engine(Protocol):
    """What runs a SPARQL query: a name, and :meth:`run`."""

    @property
    def name(self) -> str:
        """The engine's name, as :func:`run_query` and ``lorekit query --engine`` take it."""
        ...

    def run(
        self, lore: LoreGraph, query: SparqlQuery, bindings: Mapping[str, Identifier]
    ) -> QueryResult:
        """Run ``query`` over ``lore`` with each parameter bound to its RDF term.

        Raises
        ------
        QueryError
            When the query is not valid SPARQL or cannot run.
        """
        ...


ENGINES: Mapping[str, Engine] = MappingProxyType(
    {engine.name: engine for engine in (RdflibEngine(), OxigraphEngine())}
)
"""The local engines by name, the default first."""

EngineName = Literal["rdflib", "oxigraph"]
"""The names of :data:`ENGINES`, for type checkers (a test holds the two equal)."""


def engine_named(name: str) -> Engine:
    """The local engine called ``name``.

    Raises
    ------
    QueryError
        When there is none, with the engines there are.

    Examples
    --------
    >>> engine_named("oxigraph").name
    'oxigraph'
    >>> try:
    ...     engine_named("oxygraph")
    ... except QueryError as exc:
    ...     print(exc)
    unknown SPARQL engine 'oxygraph' (did you mean 'oxigraph'?); use rdflib or oxigraph
    """
    found = ENGINES.get(name)
    if found is None:
        raise QueryError(
            f"unknown SPARQL engine {name!r}{did_you_mean(name, ENGINES)}; "
            f"use {' or '.join(ENGINES)}",
            value=name,
        )
    return found


def run_query(
    lore: LoreGraph,
    query: SparqlQuery | str | Path,
    *,
    bindings: Mapping[str, str] | None = None,
    engine: EngineName = "rdflib",
) -> QueryResult:
    """Run a SPARQL query against a universe.

    Parameters
    ----------
    lore
        The universe.
    query
        A :class:`SparqlQuery`, or the path of a ``.rq`` file.
    bindings
        Values of the query's parameters by name (without ``?``); parameters
        not given take their defaults. Values are bound as RDF terms, never
        pasted into the query.
    engine
        ``rdflib`` (the default), or ``oxigraph``: the same results, faster
        on large universes; it needs pyoxigraph (``pip install 'lorekit[fast]'``).

    Raises
    ------
    QueryError
        On an unknown engine, a syntax error (with its line), an unknown
        parameter, a missing one, or a value of the wrong type; for
        ``engine="oxigraph"``, also when pyoxigraph is not installed.
    UnknownEntityError, AmbiguousNameError
        When an ``entity`` value names no entity, or several.
    """
    runner = engine_named(engine)
    if not isinstance(query, SparqlQuery):
        query = SparqlQuery.from_file(query)
    return runner.run(lore, query, query_bindings(lore, query, bindings))
