"""Parameters written into a query's text, as one ``VALUES`` row of escaped RDF terms.

An engine that cannot bind values beside the query (a SPARQL 1.1 server, which
has no protocol for it; Oxigraph, whose ``substitutions`` plan as if the
values were unbound) gets them as a one-row ``VALUES`` block at the start of
the query's ``WHERE`` group, which binds them for the whole group, as rdflib's
``initBindings`` does. Each value is written by :func:`sparql_term`, escaped so
that it stays one term: quotes, braces or ``DROP`` in a value are characters
of a literal.

Examples
--------
>>> from rdflib import Literal
>>> from lorekit._views.sparql.query import SparqlQuery
>>> q = SparqlQuery.from_text("SELECT ?name WHERE { ?who ?p ?name }")
>>> bind_values(q, {"name": Literal("Eve")})
'SELECT ?name WHERE { VALUES (?name) { ("Eve") } ?who ?p ?name }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..._core.errors import QueryError

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from .query import SparqlQuery

__all__ = ["bind_values", "iri_ref", "sparql_term"]

_IRI_UNSAFE = re.compile(r'[\s<>"{}|^`\\]')


def iri_ref(value: str) -> str | None:
    """``value`` as a SPARQL IRI reference, ``<value>``; ``None`` if it cannot be one.

    Examples
    --------
    >>> iri_ref("https://w3id.org/lorekit/universe/john-wick/"), iri_ref("a b")
    ('<https://w3id.org/lorekit/universe/john-wick/>', None)
    """
    if not value or _IRI_UNSAFE.search(value):
        return None
    return f"<{value}>"


_IRI_TOKEN = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WORD = re.compile(r"[?$]?[A-Za-z_][\w-]*(?::[\w.-]*)?")


def _skip_string(text: str, i: int) -> int:
    quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else text[i]
    i += len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return i


def _bound_iri(value: str) -> str:
    iri = iri_ref(value)
    if iri is None:
        raise QueryError(f"cannot bind {value!r}: it is not an IRI SPARQL can write")
    return iri


def _where_brace(text: str) -> int | None:
    """Where the query's ``WHERE`` group opens, skipping comments, strings and IRIs."""
    i, depth, form, where = 0, 0, "", False
    while i < len(text):
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "<" and (iri := _IRI_TOKEN.match(text, i)):
            i = iri.end()
            continue
        if c.isalpha() or c in "?$_":
            word = _WORD.match(text, i)
            if word is not None:
                token = word.group(0).upper()
                if depth == 0 and token in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and not form:
                    form = token
                elif depth == 0 and token == "WHERE":
                    where = True
                i = word.end()
                continue
        if c == "{":
            if depth == 0 and form and (form != "CONSTRUCT" or where):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return None


def _literal_text(value: str) -> str:
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(ch, ch) for ch in value) + '"'


def sparql_term(term: Identifier) -> str:
    """An rdflib IRI or literal written as SPARQL, escaped so it stays one term.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(sparql_term(Literal('a" } DROP ALL #')))
    "a\\" } DROP ALL #"
    """
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return _bound_iri(str(term))
    if not isinstance(term, Literal):
        raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound")
    text = _literal_text(str(term))
    if term.language:
        if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
            raise QueryError(f"{term.language!r} is not a language tag")
        return f"{text}@{term.language}"
    if term.datatype is not None:
        return f"{text}^^{_bound_iri(str(term.datatype))}"
    return text


def bind_values(query: SparqlQuery, init: Mapping[str, Identifier]) -> str:
    """The query text with ``init`` as a one-row ``VALUES`` block opening its ``WHERE`` group."""
    if not init:
        return query.text
    at = _where_brace(query.text)
    if at is None:
        raise QueryError(
            "cannot bind parameters of a query that has no WHERE group", file=query.file
        )
    names = " ".join(f"?{name}" for name in init)
    values = " ".join(sparql_term(value) for value in init.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    return query.text[: at + 1] + block + query.text[at + 1 :]
