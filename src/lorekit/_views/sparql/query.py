"""A SPARQL query file and its results, whichever engine runs it.

A query file (``queries/*.rq``) opens with a comment header: its title, what
it answers, and its parameters with their types and defaults::

    # Members of a faction, its units included
    #
    # Who belongs to or leads a faction, directly or through its units.
    #
    # Parameters:
    #   ?faction (entity, default: ruska-roma)  the faction

:class:`SparqlQuery` reads it; :func:`query_bindings` turns the parameters'
values into RDF terms (an ``entity`` value resolved by id, name or alias like
everywhere else in lorekit; types ``entity``, ``text``, ``integer``, ``date``),
which an engine (:mod:`.engine`) binds, never pasting them into the query
text; :class:`QueryResult` holds the rows an engine returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from ..._core.errors import QueryError, UnknownEntityError

if TYPE_CHECKING:
    from rdflib.term import Identifier, Node

    from ..._graph.graph import LoreGraph

__all__ = [
    "QueryParam",
    "QueryResult",
    "SparqlQuery",
    "bundled_queries_path",
    "python_binding",
    "query_bindings",
    "result_base",
]

ParamType = Literal["entity", "text", "integer", "date"]

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

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame of plain values, a column per variable.

        Needs pandas (``pip install 'lorekit[pandas]'``).

        Examples
        --------
        >>> from lorekit import load, run_query, SparqlQuery
        >>> q = SparqlQuery.from_text("SELECT ?n WHERE { VALUES ?n { 1 2 } }")
        >>> int(run_query(load(), q).to_dataframe()["n"].sum())
        3
        """
        from ..frames import query_frame

        return query_frame(self)

    def _repr_html_(self) -> str:
        from ..notebook import query_html

        return query_html(self)


def result_base(lore: LoreGraph) -> str:
    """The IRI base a :class:`QueryResult` of ``lore`` shortens to ids."""
    from ..._rdf.vocab import universe_base

    return universe_base(lore.info.id)


def python_binding(name: str) -> str:
    """How a message tells a Python caller to give parameter ``name`` a value.

    Examples
    --------
    >>> python_binding("faction")
    "bindings={'faction': ...}"
    """
    return f"bindings={{{name!r}: ...}}"


def _term(lore: LoreGraph, query: SparqlQuery, param: QueryParam, value: str) -> Identifier:
    from rdflib import Literal

    from ..._rdf.vocab import entity_iri, universe_base

    if param.type == "entity":
        entity = lore.entity(value)
        return entity_iri(universe_base(lore.info.id), entity.id)
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
    lore: LoreGraph,
    query: SparqlQuery,
    bindings: Mapping[str, str] | None = None,
    *,
    how_to_bind: Callable[[str], str] = python_binding,
) -> dict[str, Identifier]:
    """The RDF term of every parameter: given values, else defaults, resolved and typed.

    ``how_to_bind`` says, in a message, how to give parameter ``name`` a value:
    ``bindings={'name': ...}`` by default; the command line says ``--bind``.

    Examples
    --------
    >>> from lorekit import load
    >>> q = SparqlQuery.from_text("# Q\\n# Parameters:\\n#   ?n (integer)  a number\\nASK {}")
    >>> query_bindings(load(), q, {"n": "7"})["n"].toPython()
    7
    >>> try:
    ...     query_bindings(load(), q)
    ... except QueryError as exc:
    ...     print(exc)
    ?n (a number) needs a value: bindings={'n': ...}

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
                + how_to_bind(param.name),
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
                f"give one with {how_to_bind(param.name)}",
                file=query.file,
                value=value,
            ) from exc
    return init
