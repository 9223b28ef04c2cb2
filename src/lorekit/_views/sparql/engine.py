"""SPARQL queries over a universe, with parameters bound as RDF terms.

A query file (``queries/*.rq``) opens with a comment header: its title, what
it answers, and its parameters with their types and defaults::

    # Members of a faction, its units included
    #
    # Who belongs to or leads a faction, directly or through its units.
    #
    # Parameters:
    #   ?faction (entity, default: ruska-roma)  the faction

A parameter's value is never pasted into the query text: it becomes an RDF
term (an entity's IRI, a literal) and is bound with rdflib's
``initBindings``, so quotes, braces or ``DROP`` in a value are just
characters of a literal. An ``entity`` value is resolved by id, name or
alias like everywhere else in lorekit. Types: ``entity``, ``text``,
``integer``, ``date``.

Queries run over the universe's RDF export together with the ontology, so a
query may use class and property labels.

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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from weakref import WeakKeyDictionary

from ..._core.errors import QueryError, UnknownEntityError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier, Node

    from ..._graph.graph import LoreGraph

__all__ = [
    "QueryParam",
    "QueryResult",
    "SparqlQuery",
    "query_bindings",
    "run_query",
]

ParamType = Literal["entity", "text", "integer", "date"]
Engine = Literal["rdflib", "oxigraph"]
"""The engines :func:`run_query` can run a query with."""

_PARAM = re.compile(
    r"^\?(?P<name>\w+)\s+\((?P<type>entity|text|integer|date)"
    r"(?:,\s*default:\s*(?P<default>[^)]*?))?\)\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a query, from its header."""

    name: str
    """The variable, without its ``?``."""
    type: ParamType
    """How a value is turned into an RDF term."""
    default: str | None
    """The value used when none is given; ``None`` makes the parameter required."""
    doc: str
    """What the parameter means."""


def bundled_queries_path() -> Path:
    """The directory of the SPARQL queries that ship with lorekit.

    Examples
    --------
    >>> (bundled_queries_path() / "faction-members.rq").is_file()
    True
    """
    from importlib import resources

    packaged = Path(str(resources.files("lorekit"))) / "queries"
    if packaged.is_dir():
        return packaged
    # an editable install from a clone: the queries live at the top of the repository
    return Path(__file__).resolve().parents[4] / "queries"


@dataclass(frozen=True)
class SparqlQuery:
    """A SPARQL query with the title, description and parameters of its header."""

    text: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    file: str | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> SparqlQuery:
        """Read a ``.rq`` file, or a query shipped with lorekit by name (``faction-members``).

        A path that does not exist is looked up among the bundled queries (the
        repository's ``queries/``), with or without its ``.rq``.

        Raises
        ------
        QueryError
            When the file cannot be read or its header is malformed.
        """
        if not Path(path).exists():
            bundled = bundled_queries_path() / Path(path).with_suffix(".rq").name
            if bundled.is_file() and Path(path).parent in (Path("."), Path("queries")):
                path = bundled
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read the query: {exc}", file=path) from exc
        return cls.from_text(text, file=str(path))

    @classmethod
    def from_text(cls, text: str, *, file: str | None = None) -> SparqlQuery:
        """Parse a query's header; the query itself is checked when it runs."""
        header: list[tuple[int, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("#"):
                header.append((number, stripped[1:].strip()))
            elif stripped:
                break
        lines = [t for _, t in header]
        title = next((t for t in lines if t), "")
        params: list[QueryParam] = []
        description: list[str] = []
        in_params = False
        for number, line in header:
            if line.lower().startswith("parameters:"):
                in_params = True
                continue
            if in_params and line.startswith("?"):
                match = _PARAM.match(line)
                if match is None:
                    raise QueryError(
                        "a parameter line reads '?name (entity|text|integer|date"
                        "[, default: VALUE]) what it means'",
                        file=file,
                        line=number,
                        value=line,
                    )
                default = match["default"]
                params.append(
                    QueryParam(
                        match["name"],
                        cast(ParamType, match["type"]),
                        default.strip() if default is not None else None,
                        match["doc"],
                    )
                )
            elif in_params and line and not line.lower().startswith("none"):
                in_params = False
            elif not in_params and line != title and params == []:
                description.append(line)
        return cls(
            text=text,
            title=title,
            description=" ".join(" ".join(description).split()),
            params=tuple(params),
            file=file,
        )


@dataclass(frozen=True)
class QueryResult:
    """The rows of a query: rdflib terms, or plain values through :meth:`records`."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    base: str

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def plain(self, term: Node | None) -> Any:
        """A term as a plain value: an entity's id, a predicate's name, a literal's value."""
        from rdflib import Literal, URIRef

        from ..._rdf.vocab import LORE_NS, PREFIXES

        if term is None:
            return None
        if isinstance(term, Literal):
            value = term.toPython()
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return float(value)
            if isinstance(value, bool | int | float | str):
                return value
            return str(term)
        if isinstance(term, URIRef):
            text = str(term)
            for ns in (self.base, LORE_NS):
                if text.startswith(ns) and len(text) > len(ns):
                    return text[len(ns) :]
            for prefix, ns in PREFIXES.items():
                if text.startswith(ns):
                    return f"{prefix}:{text[len(ns) :]}"
            return text
        return f"_:{term}"

    def records(self) -> list[dict[str, Any]]:
        """Each row as ``{variable: plain value}``, for JSON and CSV."""
        return [
            {v: self.plain(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def column(self, variable: str) -> list[Any]:
        """The plain values of one variable, row by row."""
        i = self.variables.index(variable)
        return [self.plain(row[i]) for row in self.rows]


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


def _term(lore: LoreGraph, query: SparqlQuery, param: QueryParam, value: str) -> Identifier:
    from rdflib import Literal

    from ..._rdf.vocab import entity_iri, universe_base

    if param.type == "entity":
        entity = lore.entity(value)
        return entity_iri(universe_base(lore.universe.info.id), entity.id)
    if param.type == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise QueryError(
                f"?{param.name} must be a whole number (got {value!r})",
                file=query.file,
                value=value,
            ) from None
    if param.type == "date":
        try:
            return Literal(dt.date.fromisoformat(value))
        except ValueError:
            raise QueryError(
                f"?{param.name} must be a date written YYYY-MM-DD (got {value!r})",
                file=query.file,
                value=value,
            ) from None
    return Literal(value)


def query_bindings(
    lore: LoreGraph, query: SparqlQuery, bindings: Mapping[str, str] | None = None
) -> dict[str, Identifier]:
    """The RDF term of every parameter: given values, else defaults, resolved and typed.

    Raises
    ------
    QueryError
        On an unknown parameter, a missing value or a value of the wrong type.
    """
    given = dict(bindings or {})
    known = {p.name: p for p in query.params}
    for name in given:
        if name not in known:
            takes = ", ".join(f"?{p}" for p in known) or "no parameters"
            raise QueryError(
                f"the query has no parameter ?{name}; it takes {takes}",
                file=query.file,
                value=name,
            )
    init: dict[str, Identifier] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            raise QueryError(
                f"?{param.name} ({param.doc or param.type}) needs a value: "
                f"--bind {param.name}=VALUE",
                file=query.file,
                value=param.name,
            )
        try:
            init[param.name] = _term(lore, query, param, value)
        except UnknownEntityError as exc:
            if param.name in given:
                raise
            raise QueryError(
                f"?{param.name} defaults to {value!r}, which this universe does not have; "
                f"give one with --bind {param.name}=VALUE",
                file=query.file,
                value=value,
            ) from exc
    return init


def run_query(
    lore: LoreGraph,
    query: SparqlQuery | str | Path,
    *,
    bindings: Mapping[str, str] | None = None,
    engine: Engine = "rdflib",
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
        On a syntax error (with its line), an unknown parameter, a missing
        one, or a value of the wrong type; for ``engine="oxigraph"``, also
        when pyoxigraph is not installed.
    UnknownEntityError, AmbiguousNameError
        When an ``entity`` value names no entity, or several.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from ..._rdf.vocab import universe_base

    if not isinstance(query, SparqlQuery):
        query = SparqlQuery.from_file(query)
    init = query_bindings(lore, query, bindings)
    if engine == "oxigraph":
        from .oxigraph import run_oxigraph

        return run_oxigraph(lore, query, init, universe_base(lore.universe.info.id))
    if engine != "rdflib":
        raise QueryError(f"unknown SPARQL engine {engine!r}; use rdflib or oxigraph")
    try:
        prepared = prepareQuery(query.text)
    except ParseException as exc:
        raise QueryError(
            f"not valid SPARQL: {exc.msg}", file=query.file, line=exc.lineno, value=exc.line
        ) from exc
    except Exception as exc:  # rdflib raises plain exceptions for unknown prefixes
        raise QueryError(f"not valid SPARQL: {exc}", file=query.file) from exc
    result = _query_graph(lore).query(prepared, initBindings=init)
    base = universe_base(lore.universe.info.id)
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
