"""A universe on a SPARQL 1.1 server: push it there, query it there.

:func:`push` uploads the universe's RDF export (every statement with its
sources and layer) and the ontology over the SPARQL 1.1 Graph Store HTTP
Protocol, each into its own named graph; :func:`query_endpoint` runs a query
there over the SPARQL 1.1 Protocol. Any conforming store serves: Oxigraph,
Apache Jena Fuseki, GraphDB, Amazon Neptune (see ``docs/server.md``).

Nothing half-pushed is reported as done. The batches go into fresh staging
graphs (the first with ``PUT``, the others with ``POST``); only when all are
in does one SPARQL Update, ``MOVE <staging> TO <graph>``, replace the target
graphs, in one request the store runs as a transaction. A failure on the way
leaves the target graphs as they were (the staging graphs are dropped where
the server still answers) and raises :class:`~lorekit.EndpointError`. Pushing
twice gives the same graphs: ``MOVE`` replaces, it does not add.

Parameters are not pasted into a remote query either: SPARQL 1.1 has no
protocol for bound values, so they become a ``VALUES`` block of serialised RDF
terms at the start of the query's ``WHERE`` group (:mod:`.binding`), which
binds them for the whole group, as rdflib's ``initBindings`` does. The server
is one more SPARQL engine (:class:`EndpointEngine`, see :mod:`.engine`).

Only the standard library speaks HTTP here (``urllib.request``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._core.errors import EndpointError
from .binding import bind_values, iri_ref
from .query import QueryResult, SparqlQuery, query_bindings, result_base

if TYPE_CHECKING:
    from rdflib.term import Identifier, Node

    from ..._graph.graph import LoreGraph

__all__ = ["Endpoint", "EndpointEngine", "PushReport", "push", "query_endpoint"]

ProgressCallback = Callable[[int, int], None]
"""Called after each batch with the triples sent so far and the total."""


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL 1.1 store answers: its query, update and graph store URLs.

    ``Endpoint.at(URL)`` derives the three from one base in the layout of
    Oxigraph and Fuseki (``URL/query``, ``URL/update``, ``URL/store``); give
    them one by one for other stores (see ``docs/server.md``).

    Examples
    --------
    >>> Endpoint.at("http://127.0.0.1:7878/").store
    'http://127.0.0.1:7878/store'
    """

    query: str
    """The SPARQL 1.1 Protocol query URL."""
    update: str
    """The SPARQL 1.1 Protocol update URL."""
    store: str
    """The Graph Store HTTP Protocol URL (``?graph=IRI`` is added)."""
    auth: tuple[str, str] | None = None
    """A user name and password for HTTP Basic authentication."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """More HTTP headers for every request, such as ``Authorization: Bearer ...``."""
    timeout: float = 60.0
    """Seconds to wait for each answer."""

    @classmethod
    def at(
        cls,
        url: str,
        *,
        query: str | None = None,
        update: str | None = None,
        store: str | None = None,
        auth: tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Endpoint:
        """The endpoint at base ``url``; ``query``, ``update`` and ``store`` override a URL."""
        base = url.rstrip("/")
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise EndpointError(f"{url!r} is not an http(s) URL", url=url)
        return cls(
            query=query or f"{base}/query",
            update=update or f"{base}/update",
            store=store or f"{base}/store",
            auth=auth,
            headers=dict(headers or {}),
            timeout=timeout,
        )

    def _headers(self, extra: Mapping[str, str]) -> dict[str, str]:
        out = {"User-Agent": "lorekit", **self.headers, **extra}
        if self.auth is not None:
            token = base64.b64encode(":".join(self.auth).encode()).decode("ascii")
            out["Authorization"] = f"Basic {token}"
        return out

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        what: str,
    ) -> tuple[str, bytes]:
        """Send one request; the answer's content type and body, or an :class:`EndpointError`."""
        shown = url.split("?")[0]  # the messages leave out the query string
        req = urllib.request.Request(
            url, data=body, method=method, headers=self._headers(headers or {})
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            verdict = "rejected the data" if what == "upload" else "answered an error"
            raise EndpointError(
                f"{shown}: the SPARQL store {verdict} (HTTP {exc.code} {exc.reason})"
                + (f": {detail}" if detail else ""),
                url=url,
                status=exc.code,
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                message = "connection refused; is the server running?"
            elif isinstance(reason, TimeoutError):
                message = f"no answer within {self.timeout:g} s"
            else:
                message = str(reason)
            raise EndpointError(
                f"{shown}: cannot reach the SPARQL store: {message}", url=url
            ) from exc
        except TimeoutError as exc:
            raise EndpointError(
                f"{shown}: the SPARQL store gave no answer within {self.timeout:g} s", url=url
            ) from exc
        except (HTTPException, OSError) as exc:  # reset, closed mid-answer
            raise EndpointError(
                f"{shown}: the connection to the SPARQL store was lost "
                f"({exc or type(exc).__name__})",
                url=url,
            ) from exc


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent, once every triple is in place."""

    endpoint: str
    """The Graph Store URL."""
    graphs: Mapping[str, int]
    """Each named graph that was replaced, with its number of triples."""
    batches: int
    """How many uploads it took."""
    seconds: float
    """How long the push took."""

    @property
    def triples(self) -> int:
        """The triples sent, all graphs together."""
        return sum(self.graphs.values())


def default_graph(lore: LoreGraph) -> str:
    """The named graph a universe is pushed to: the universe's IRI, as in TriG export."""
    from ..._rdf.vocab import universe_base

    return universe_base(lore.info.id)


def _endpoint(endpoint: Endpoint | str) -> Endpoint:
    return endpoint if isinstance(endpoint, Endpoint) else Endpoint.at(endpoint)


def _batches(lines: Sequence[str], size: int) -> Iterator[list[str]]:
    """N-Triples lines in batches of about ``size``, never splitting a blank node's triples.

    A blank node label means one node only within one upload, so every triple
    that shares a blank node (a statement's provenance) goes in the same batch.
    """
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        for label in _BNODE.findall(line):
            if label in first:
                parent[find(i)] = find(first[label])
            else:
                first[label] = i
    units: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        units.setdefault(find(i), []).append(line)
    batch: list[str] = []
    for unit in units.values():
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


# a blank node as subject (line start) or object (before the final dot) of an N-Triples line
_BNODE = re.compile(r"(?:^|\s)(_:[A-Za-z0-9_.-]+)(?=\s)")


def _graph_url(endpoint: Endpoint, graph: str) -> str:
    sep = "&" if "?" in endpoint.store else "?"
    return f"{endpoint.store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def _iri(value: str) -> str:
    iri = iri_ref(value)
    if iri is None:
        raise EndpointError(f"{value!r} is not an IRI that can name a graph", url=value)
    return iri


def _update(endpoint: Endpoint, text: str) -> None:
    endpoint.request(
        "POST",
        endpoint.update,
        urllib.parse.urlencode({"update": text}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        what="update",
    )


def push(
    lore: LoreGraph,
    endpoint: Endpoint | str,
    *,
    graph: str | None = None,
    batch_size: int = 10_000,
    ontology: bool = True,
    progress: ProgressCallback | None = None,
) -> PushReport:
    """Upload a universe (with its provenance) to a SPARQL 1.1 store, replacing what was there.

    Parameters
    ----------
    lore
        The universe.
    endpoint
        An :class:`Endpoint`, or the base URL of an Oxigraph or Fuseki-style server.
    graph
        The named graph to fill; default the universe's IRI
        (``https://w3id.org/lorekit/universe/ID/``).
    batch_size
        Triples per upload, about: a blank node's triples stay together.
    ontology
        Also replace the graph ``https://w3id.org/lorekit/ontology`` with the
        ontology, which the queries of ``queries/`` use for labels.
    progress
        Called after each batch with the triples sent so far and the total.

    Raises
    ------
    EndpointError
        When the server cannot be reached, answers an HTTP error or rejects
        the data. The target graphs are then as they were before.
    """
    from ..._rdf.export import serialize_rdf
    from ..._rdf.ontology import ontology as ontology_graph
    from ..._rdf.vocab import ONTOLOGY_IRI

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ep = _endpoint(endpoint)
    started = time.perf_counter()
    target = graph if graph is not None else default_graph(lore)
    parts: list[tuple[str, list[str]]] = [(target, serialize_rdf(lore, "nt").splitlines())]
    if ontology:
        from ..._rdf.vocab import quiet_rdflib

        with quiet_rdflib():
            onto = ontology_graph().serialize(format="nt")
        parts.append((ONTOLOGY_IRI, sorted(onto.splitlines())))
    parts = [(g, [line for line in lines if line.strip()]) for g, lines in parts]
    for name, _ in parts:
        _iri(name)
    total = sum(len(lines) for _, lines in parts)
    run = uuid.uuid4().hex
    staging = {name: f"urn:lorekit:staging:{run}:{i}" for i, (name, _) in enumerate(parts)}
    sent = batches = 0
    try:
        for name, lines in parts:
            method = "PUT"  # the first batch replaces whatever the staging graph held
            for batch in _batches(lines, batch_size):
                ep.request(
                    method,
                    _graph_url(ep, staging[name]),
                    "".join(f"{line}\n" for line in batch).encode("utf-8"),
                    {"Content-Type": "application/n-triples"},
                    what="upload",
                )
                method = "POST"
                sent += len(batch)
                batches += 1
                if progress is not None:
                    progress(sent, total)
        _update(ep, " ;\n".join(f"MOVE {_iri(s)} TO {_iri(g)}" for g, s in staging.items()))
    except BaseException:
        with contextlib.suppress(EndpointError):  # drop the staging graphs if the server answers
            _update(ep, " ;\n".join(f"DROP SILENT GRAPH {_iri(s)}" for s in staging.values()))
        raise
    return PushReport(
        endpoint=ep.store,
        graphs={name: len(lines) for name, lines in parts},
        batches=batches,
        seconds=time.perf_counter() - started,
    )


# --- queries --------------------------------------------------------------------------


def _json_term(value: Mapping[str, Any]) -> Node:
    from rdflib import BNode, Literal, URIRef

    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    lang = value.get("xml:lang")
    datatype = value.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value["value"], lang=lang, datatype=URIRef(datatype) if datatype else None)


def query_endpoint(
    endpoint: Endpoint | str,
    query: SparqlQuery | str | Path,
    *,
    lore: LoreGraph,
    bindings: Mapping[str, str] | None = None,
    graphs: Sequence[str] | None = None,
) -> QueryResult:
    """Run a SPARQL query at a store, as :func:`lorekit.run_query` runs it locally.

    Parameters
    ----------
    endpoint
        An :class:`Endpoint`, or the base URL of an Oxigraph or Fuseki-style server.
    query
        A :class:`SparqlQuery`, or the path of a ``.rq`` file.
    lore
        The universe that resolves ``entity`` parameters by id, name or alias,
        and whose IRIs :meth:`QueryResult.records` shortens to ids.
    bindings
        Values of the query's parameters, bound as a ``VALUES`` block of RDF
        terms, never pasted into the query.
    graphs
        The named graphs that make the query's default graph
        (``default-graph-uri``); default the universe's graph, as :func:`push`
        names it, and the ontology's. ``[]`` leaves the store's default graph.

    Raises
    ------
    EndpointError
        When the server cannot be reached or answers an error (a syntax error
        in the query comes back as HTTP 400, with the server's message).
    QueryError
        On a bad parameter, as for :func:`lorekit.run_query`.
    """
    engine = EndpointEngine(_endpoint(endpoint), graphs=graphs)
    if not isinstance(query, SparqlQuery):
        query = SparqlQuery.from_file(query)
    return engine.run(lore, query, query_bindings(lore, query, bindings))


@dataclass(frozen=True)
class EndpointEngine:
    """Runs queries at a SPARQL 1.1 server (see :class:`~lorekit._views.sparql.engine.Engine`).

    ``graphs`` are the named graphs that make the query's default graph
    (``default-graph-uri``); ``None`` for the universe's graph, as :func:`push`
    names it, and the ontology's; ``[]`` leaves the store's default graph.
    """

    endpoint: Endpoint
    graphs: Sequence[str] | None = None
    name = "endpoint"

    def run(
        self, lore: LoreGraph, query: SparqlQuery, bindings: Mapping[str, Identifier]
    ) -> QueryResult:
        """Send ``query``, ``bindings`` written in as a ``VALUES`` row, and read the answer.

        Raises
        ------
        EndpointError
            When the server cannot be reached or answers an error.
        """
        from rdflib import Graph, Literal

        from ..._rdf.vocab import ONTOLOGY_IRI

        ep = self.endpoint
        text = bind_values(query, bindings)
        graphs = self.graphs
        if graphs is None:
            graphs = [default_graph(lore), ONTOLOGY_IRI]
        form = [("query", text), *(("default-graph-uri", g) for g in graphs)]
        content_type, body = ep.request(
            "POST",
            ep.query,
            urllib.parse.urlencode(form).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
            what="query",
        )
        base = result_base(lore)
        if "n-triples" in content_type or "turtle" in content_type:
            graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
            triples = tuple(tuple(t) for t in sorted(graph))
            return QueryResult(("subject", "predicate", "object"), triples, base)
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise EndpointError(
                f"{ep.query}: the SPARQL store answered {content_type or 'something'} "
                "that is not SPARQL JSON results",
                url=ep.query,
            ) from exc
        if "boolean" in answer:
            return QueryResult(("result",), ((Literal(bool(answer["boolean"])),),), base)
        variables = tuple(answer["head"].get("vars", ()))
        rows = tuple(
            tuple(_json_term(b[v]) if v in b else None for v in variables)
            for b in answer["results"]["bindings"]
        )
        return QueryResult(variables, rows, base)
