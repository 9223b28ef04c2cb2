"""A local query reads the universe and nothing else: SERVICE and FROM are refused.

A listening server on 127.0.0.1 records every request, so the tests prove
that nothing was fetched, not only that an error was printed.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph, QueryError, SparqlQuery, run_query

EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))
ENGINES = ["rdflib", "oxigraph"]


@pytest.fixture(scope="module")
def lore() -> LoreGraph:
    return lorekit.load()


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL-looking server on 127.0.0.1 that answers nothing and logs every request."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _log(self) -> None:
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST = _log

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("engine", ENGINES)
def test_service_is_refused_before_anything_is_fetched(
    engine: str, lore: LoreGraph, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    query = SparqlQuery.from_text(
        f"# Federated\nSELECT * WHERE {{\n  ?s ?p ?o .\n  SERVICE <{url}> {{ ?s ?q ?x }}\n}}",
        file="federated.rq",
    )
    with pytest.raises(QueryError, match=r"cannot use SERVICE <http://127\.0\.0\.1") as info:
        run_query(lore, query, engine=engine)  # type: ignore[arg-type]
    assert info.value.line == 4
    assert hits == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_dataset_clauses_never_read_a_local_file(
    engine: str, clause: str, lore: LoreGraph, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:x> <urn:y> "the secret" .\n', encoding="utf-8")
    query = SparqlQuery.from_text(
        f"SELECT ?o {clause} <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}", file="from.rq"
    )
    with pytest.raises(QueryError, match=f"cannot use {clause} <file:") as info:
        run_query(lore, query, engine=engine)  # type: ignore[arg-type]
    assert "the secret" not in str(info.value)
    assert info.value.line == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_the_cli_says_so_in_one_line(
    engine: str, tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    path = tmp_path / "federated.rq"
    path.write_text(
        "# Federated\n# a comment naming SERVICE\n"
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n",
        encoding="utf-8",
    )
    assert EXE is not None
    result = subprocess.run(
        [EXE, "query", str(path), "--engine", engine],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {path}:3: a local query cannot use SERVICE")
    assert "Traceback" not in result.stderr
    assert hits == []


@pytest.mark.parametrize("engine", ENGINES)
def test_ordinary_queries_still_run(engine: str, lore: LoreGraph) -> None:
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "# FROM in a comment, and in a string:\n"
        'SELECT ?name WHERE { ?who rdfs:label ?name FILTER(?name != "FROM <urn:x>") }'
    )
    names = run_query(lore, SparqlQuery.from_text(text), engine=engine).column("name")  # type: ignore[arg-type]
    assert "Eve Macarro" in names


@pytest.mark.parametrize("engine", ENGINES)
def test_service_spelled_with_an_escape_is_refused(
    engine: str, lore: LoreGraph, listener: tuple[str, list[str]]
) -> None:
    """A query without the word may still spell it: check_local skips the parse only when
    neither keyword nor a \\u escape is in the text."""
    url, hits = listener
    query = SparqlQuery.from_text(f"SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}")
    with pytest.raises(QueryError, match="cannot use SERVICE"):
        run_query(lore, query, engine=engine)  # type: ignore[arg-type]
    assert hits == []


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX x: <http://a.example/#> SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "#" . SERVICE <{url}> { ?s ?p ?o } }',
        "SELECT * WHERE { ?s ?p '''#\n''' . SERVICE <{url}> { ?s ?p ?o } }",
    ],
)
def test_a_hash_in_an_iri_or_a_string_hides_no_service(
    text: str, lore: LoreGraph, listener: tuple[str, list[str]]
) -> None:
    """Comments aside, the guard reads all of the query: a # in an IRI starts no comment."""
    url, hits = listener
    with pytest.raises(QueryError, match="cannot use SERVICE"):
        run_query(lore, SparqlQuery.from_text(text.replace("{url}", url)), engine="oxigraph")
    assert hits == []


def test_comments_alone_do_not_make_the_guard_parse() -> None:
    from lorekit._views.sparql.guard import _code

    text = "# comes FROM a SERVICE\nSELECT * WHERE { <urn:a#b> ?p 'x#y' } # FROM\n"
    assert _code(text) == "\nSELECT * WHERE { <urn:a#b> ?p 'x#y' } \n"
