"""Parsing RDF that someone else wrote, without reaching the network or other files.

:func:`safe_parse` is the one door through which lorekit hands a file's text
to an rdflib parser. Two of rdflib's parsers can be turned against the user:

* JSON-LD fetches every ``@context`` (and ``@import``) given as a URL or a
  relative reference, anywhere in the document: at the top, in a node, in a
  term's scoped context. :func:`_guard_jsonld` walks the whole document
  first; lorekit's own context (:data:`~lorekit._rdf.vocab.CONTEXT_URL`) is
  put in from the copy that ships with lorekit, any other reference is
  refused with an error that names it. rdflib then parses the guarded
  document, never the original text.
* RDF/XML goes through expat, which expands entities declared in a DTD: a
  "billion laughs" file runs for minutes, and an external entity would read
  a local file into the data. :func:`_guard_xml` reads the prolog with
  defusedxml's parser, which refuses any DTD; without one, an XML document
  can declare no entity at all, so what follows the prolog is safe to give
  to rdflib as it is.

Turtle, N-Triples, TriG and N-Quads have no way to include anything: their
parsers read only the text they are given.

Whatever the format, a parsed IRI that no RDF syntax could write (a space, a
quote, a brace: rdflib's parsers let some through) is refused too, so
everything downstream can print every node it meets.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph()
>>> safe_parse(g, '<a:s> <a:p> "o" .', "nt", file="x.nt")
>>> len(g)
1
>>> doc = '{"@context": "http://127.0.0.1:9/ctx", "@id": "a:s"}'
>>> safe_parse(Graph(), doc, "json-ld", file="x.jsonld")
Traceback (most recent call last):
...
lorekit._core.errors.RDFError: x.jsonld:1: refusing to fetch the JSON-LD context \
http://127.0.0.1:9/ctx: lorekit reads no network or other file while parsing; \
put the context in the document
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from .._core.errors import RDFError

__all__ = ["safe_parse"]


def safe_parse(
    graph: Graph,
    data: str,
    fmt: str,
    *,
    file: str | Path,
    public_id: str | None = None,
    text: str | None = None,
) -> None:
    """Parse ``data`` (rdflib format name ``fmt``) into ``graph``, reading nothing else.

    Parameters
    ----------
    graph
        The graph (or dataset) to add the triples to.
    data
        The document.
    fmt
        An rdflib parser name: ``turtle``, ``nt``, ``json-ld``, ``xml``,
        ``trig`` or ``nquads``.
    file
        The file ``data`` came from, for errors.
    public_id
        The document's base IRI, as for :meth:`rdflib.Graph.parse`.
    text
        The file's text as written, when ``data`` is a rewrite of it: the
        line of a refused reference is looked up there.

    Raises
    ------
    RDFError
        When the document asks for another document (a JSON-LD context that
        is not lorekit's own, an XML DTD) or holds an IRI that cannot be
        written. Syntax errors are rdflib's (or expat's, or :mod:`json`'s)
        own exceptions, for the caller to word.
    """
    if fmt == "json-ld":
        data = _guard_jsonld(data, file=file, text=text if text is not None else data)
    elif fmt == "xml":
        _guard_xml(data, file=file)
    graph.parse(data=data, format=fmt, publicID=public_id)
    _check_iris(graph, fmt, file=file)


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD", "xml": "RDF/XML",
          "trig": "TriG", "nquads": "N-Quads"}  # fmt: skip


def _check_iris(graph: Graph, fmt: str, *, file: str | Path) -> None:
    """Refuse an IRI that no RDF syntax can write: rdflib's parsers let some through
    (Turtle reads up to the ``>``, RDF/XML and JSON-LD take any text), and nothing
    downstream could print them, not even in an error message."""
    search = _NOT_IN_IRI.search
    quads = graph.quads((None, None, None, None)) if isinstance(graph, Dataset) else graph
    for quad in quads:
        for node in quad[:3]:
            if isinstance(node, URIRef) and search(node):
                raise RDFError(
                    f"not valid {_NAMES.get(fmt, fmt)}: {str(node)!r} is not an IRI: it holds "
                    'a space, a control character or one of <>"{}|\\^`',
                    file=file,
                    value=str(node),
                )


# --- JSON-LD -----------------------------------------------------------------


def _guard_jsonld(data: str, *, file: str | Path, text: str) -> str:
    """``data`` with lorekit's context put in place; any other reference refused."""
    from .jsonld import jsonld_context
    from .vocab import CONTEXT_URL

    local: dict[str, Any] = jsonld_context()["@context"]

    def refuse(ref: str) -> RDFError:
        return RDFError(
            f"refusing to fetch the JSON-LD context {ref or json.dumps(ref)}: lorekit reads "
            "no network or other file while parsing; put the context in the document",
            file=file,
            line=_line_of(text, ref),
            value=ref,
        )

    def context(value: Any) -> Any:
        """A ``@context`` value with every reference resolved locally, or refused."""
        if isinstance(value, str):
            if value != CONTEXT_URL:
                raise refuse(value)
            return local
        if isinstance(value, list):
            return [context(item) for item in value]
        if isinstance(value, dict):
            return context_object(value)
        return value  # null resets; anything else is rdflib's to reject

    def context_object(value: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = walk(value)  # it may wrap another "@context"
        ref = out.get("@import")
        if isinstance(ref, str):  # rdflib rejects any other kind of @import
            if ref != CONTEXT_URL:
                raise refuse(ref)
            del out["@import"]
            out = {**local, **out}
        return out

    def walk(value: Any) -> Any:
        """Every ``@context`` in a document, at any depth: nodes, term definitions."""
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {
                key: context(item) if key == "@context" else walk(item)
                for key, item in value.items()
            }
        return value

    try:
        document = json.loads(data)
        return json.dumps(walk(document))
    except json.JSONDecodeError as exc:
        raise RDFError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from exc
    except RecursionError as exc:  # json and the walk both recurse
        raise RDFError("not valid JSON-LD: nested too deeply", file=file) from exc


def _line_of(text: str, ref: str) -> int | None:
    """The first line of ``text`` that holds ``ref`` as a JSON string."""
    needle = json.dumps(ref, ensure_ascii=False)
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


# --- RDF/XML -----------------------------------------------------------------


class _PrologRead(Exception):
    """The root element has started: no DTD can follow."""


def _guard_xml(data: str, *, file: str | Path) -> None:
    """Refuse an XML document that has a DTD; read no further than its root element.

    Entities (internal ones that expand without bound, external ones that
    read files or URLs) can only be declared in a DTD, and a DTD can only
    come before the root element.
    """
    from xml.sax.handler import ContentHandler

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    class _Stop(ContentHandler):
        def startElement(self, name: str, attrs: object) -> None:  # noqa: N802 (SAX)
            raise _PrologRead

    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_Stop())
    try:
        parser.feed(data)  # str, as rdflib gives it to expat: the same bytes are read
        parser.close()
    except _PrologRead:
        return
    except DefusedXmlException as exc:
        raise RDFError(
            "refusing an XML document type declaration (<!DOCTYPE>): its entities could "
            "expand without bound or read other files; lorekit reads RDF/XML without one",
            file=file,
            line=parser.getLineNumber(),
        ) from exc
