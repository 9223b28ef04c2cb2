"""What a local engine refuses to run: queries that would read outside the universe.

A local query runs over the universe's RDF and nothing else. Two SPARQL
features name data elsewhere, and both engines would fetch it: ``SERVICE
<iri>`` (a federated call: rdflib and Oxigraph send an HTTP request) and the
dataset clauses ``FROM <iri>`` / ``FROM NAMED <iri>`` (rdflib loads the IRI,
which may be a URL or a ``file:`` path). A query is input like any other, so
:func:`check_local` refuses both before the query runs, with the line that
names them. A SPARQL server (``--endpoint``) is another matter: what it
fetches is its own policy.

Examples
--------
>>> from lorekit._views.sparql.query import SparqlQuery
>>> check_local(SparqlQuery.from_text("SELECT * WHERE { ?s ?p ?o }"))
>>> q = SparqlQuery.from_text('''# Federated
... SELECT * WHERE {
...   SERVICE <http://example.org/sparql> { ?s ?p ?o }
... }''', file="federated.rq")
>>> try:
...     check_local(q)
... except QueryError as exc:
...     print(exc)
federated.rq:3: a local query cannot use SERVICE <http://example.org/sparql>: it names data \
outside the universe, which lorekit never fetches (run it on a server with --endpoint)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..._core.errors import QueryError
from .query import SparqlQuery

__all__ = ["check_local"]

_KEYWORD = {
    "ServiceGraphPattern": re.compile(r"\bSERVICE\b", re.IGNORECASE),
    "DatasetClause": re.compile(r"\bFROM\b", re.IGNORECASE),
}

_WORD = re.compile(r"(?<![?$:\w])(SERVICE|FROM)\b", re.IGNORECASE)
"""The keywords as keywords, not a variable ``?from`` or a name ``ex:from``."""

_ESCAPE = re.compile(r"\\u", re.IGNORECASE)
"""A ``\\u`` or ``\\U`` escape, which a parser expands before it reads keywords."""

_TOKEN = re.compile(
    r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|(?P<comment>#[^\n\r]*)',
    re.DOTALL,
)
"""IRIs, strings and comments, so a ``#`` in an IRI or a string starts no comment."""


def _code(text: str) -> str:
    """``text`` without its comments (what is not a comment is kept as it is)."""
    return _TOKEN.sub(lambda m: "" if m["comment"] is not None else m[0], text)


def check_local(query: SparqlQuery) -> None:
    """Refuse a query that names data outside the universe (``SERVICE``, ``FROM``).

    A query that does not parse passes: the engine reports its syntax error.
    A query whose code (its comments aside) has neither word, nor a ``\\u``
    escape (which a parser expands before it reads keywords), cannot name
    data elsewhere and passes unparsed: rdflib's parser takes a few tenths of
    a second on a long query.

    Raises
    ------
    QueryError
        On the first ``SERVICE`` pattern or dataset clause, with its line.
    """
    code = _code(query.text)
    if _WORD.search(code) is None and _ESCAPE.search(code) is None:
        return
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(query.text)
    except (ParseException, Exception):  # rdflib raises plain exceptions too
        _refuse_unread(query, code)
        return
    for name, iri in _outside(parsed):
        what = "SERVICE" if name == "ServiceGraphPattern" else "FROM"
        if name == "DatasetClause" and iri[0] == "named":
            what = "FROM NAMED"
        raise QueryError(
            f"a local query cannot use {what} <{iri[1]}>: it names data outside the "
            "universe, which lorekit never fetches (run it on a server with --endpoint)",
            file=query.file,
            line=_line_of(query.text, _KEYWORD[name]),
            value=str(iri[1]),
        )


def _refuse_unread(query: SparqlQuery, code: str) -> None:
    """Refuse a query rdflib cannot read when its code uses either keyword.

    rdflib's parser fails on some queries Oxigraph reads (a ``#`` in an IRI
    or a string before the pattern), so a ``SERVICE`` in them would be
    fetched unchecked; a query with neither keyword still passes, for the
    engine to report its syntax error.
    """
    found = _WORD.search(code)
    if found is None:
        return
    raise QueryError(
        f"a local query cannot use {found[1].upper()} (rdflib cannot read this query to "
        "check what it names, and it may name data outside the universe, which lorekit "
        "never fetches; run it on a server with --endpoint)",
        file=query.file,
        line=code.count("\n", 0, found.start()) + 1,
    )


def _outside(node: Any) -> Iterator[tuple[str, tuple[str, str]]]:
    """``(pattern name, (clause, iri))`` for every SERVICE pattern and dataset clause."""
    name = getattr(node, "name", None)
    if name == "ServiceGraphPattern":
        yield name, ("service", str(node.get("term")))
    elif name == "DatasetClause":
        clause = "named" if "named" in node else "default"
        yield name, (clause, str(node[clause]))
    if isinstance(node, dict):
        children: Any = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        yield from _outside(child)


def _line_of(text: str, keyword: re.Pattern[str]) -> int | None:
    """The line of the first ``keyword`` outside comments, 1-based."""
    for number, line in enumerate(text.split("\n"), start=1):
        code = line.split("#", 1)[0]
        if keyword.search(code):
            return number
    return None
