"""Push to a real SPARQL server and query it there: an Oxigraph server on loopback.

The suite starts ``oxigraph serve`` (PyPI ``oxigraph``) on 127.0.0.1 with a
free port and a temporary store; no traffic leaves the machine.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import lorekit
from lorekit import LoreGraph, SparqlQuery, run_query
from lorekit._cli import main
from lorekit._core.errors import EndpointError
from lorekit._views.sparql.binding import bind_values
from lorekit._views.sparql.remote import Endpoint, push, query_endpoint

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
GRAPH = "https://w3id.org/lorekit/universe/john-wick/"
EVIL = 'reception" } } ; DROP ALL ; INSERT DATA { <x> <y> "z" } #\'{}'


def _oxigraph() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """An ``oxigraph serve`` process on loopback, over a store in ``location``."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        self.process = subprocess.Popen(
            [_oxigraph(), "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the oxigraph server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, lore: LoreGraph) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("oxigraph")).start()
    try:
        push(lore, srv.url)
        yield srv
    finally:
        srv.stop()


def count(url: str, lore: LoreGraph, graph: str = GRAPH) -> int:
    q = SparqlQuery.from_text(
        "# Count\n# Parameters: none\n"
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    return int(query_endpoint(url, q, lore=lore, graphs=[]).column("n")[0])


def graphs(url: str, lore: LoreGraph) -> set[str]:
    q = SparqlQuery.from_text("# Graphs\n# Parameters: none\nSELECT DISTINCT ?g { GRAPH ?g {} }")
    return {str(g) for (g,) in query_endpoint(url, q, lore=lore, graphs=[])}


# --- push ----------------------------------------------------------------------------


def test_push_fills_the_universe_and_ontology_graphs(server: Server, lore: LoreGraph) -> None:
    assert count(server.url, lore) == len(lore.to_rdf())
    assert count(server.url, lore, "https://w3id.org/lorekit/ontology") > 100
    assert graphs(server.url, lore) == {GRAPH, "https://w3id.org/lorekit/ontology"}


def test_push_twice_is_idempotent_in_batches(server: Server, lore: LoreGraph) -> None:
    before = count(server.url, lore)
    seen: list[tuple[int, int]] = []
    report = push(lore, server.url, batch_size=150, progress=lambda *a: seen.append(a))
    assert report.batches == len(seen) > 10
    assert seen[-1] == (report.triples, report.triples)
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)
    assert report.graphs[GRAPH] == before == count(server.url, lore)
    assert graphs(server.url, lore) == {GRAPH, "https://w3id.org/lorekit/ontology"}  # no staging


def test_provenance_survives_the_batches(server: Server, lore: LoreGraph) -> None:
    """A statement's sources sit on blank nodes, which must not be split across uploads."""
    push(lore, server.url, batch_size=7)
    assert (
        run_query(lore, "queries/citing-source.rq").records()
        == query_endpoint(server.url, ROOT / "queries" / "citing-source.rq", lore=lore).records()
    )
    assert count(server.url, lore) == len(lore.to_rdf())


# --- queries at the server --------------------------------------------------------------


@pytest.mark.parametrize("path", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_answers_as_locally(server: Server, lore: LoreGraph, path: Path) -> None:
    local = run_query(lore, path).records()
    assert local
    assert query_endpoint(server.url, path, lore=lore).records() == local


def test_bound_values_at_the_server(
    server: Server, lore: LoreGraph, bound_queries: list[tuple[str, dict[str, str]]]
) -> None:
    for name, bindings in bound_queries:
        path = ROOT / "queries" / name
        local = run_query(lore, path, bindings=bindings).records()
        assert query_endpoint(server.url, path, lore=lore, bindings=bindings).records() == local


def test_injected_value_is_only_a_literal_at_the_server(server: Server, lore: LoreGraph) -> None:
    size = count(server.url, lore)
    echo = SparqlQuery.from_text(
        "# Echo\n# Parameters:\n#   ?value (text, default: x)  anything\n"
        "SELECT ?value ?length WHERE { BIND(STRLEN(?value) AS ?length) }"
    )
    for evil in (EVIL, 'a\\"b\nc\r\td', "}} DROP ALL"):
        [row] = query_endpoint(server.url, echo, lore=lore, bindings={"value": evil}).records()
        assert row == {"value": evil, "length": len(evil)}
    for name, param in [("layer.rq", "layer"), ("named.rq", "text")]:
        assert (
            query_endpoint(
                server.url, ROOT / "queries" / name, lore=lore, bindings={param: EVIL}
            ).records()
            == []
        )
    assert count(server.url, lore) == size
    assert len(query_endpoint(server.url, ROOT / "queries" / "layer.rq", lore=lore)) == 8


def test_values_go_into_the_where_group() -> None:
    from rdflib import Literal

    q = SparqlQuery.from_text(
        "# Q\n# Parameters:\n#   ?x (text, default: a)  x\n"
        'PREFIX ex: <http://e.org/#{}>\n# a comment { with a brace\n'
        'CONSTRUCT { ?s ex:p "{" } WHERE { ?s ex:q ?x }'
    )  # fmt: skip
    text = bind_values(q, {"x": Literal("}")})
    assert text.endswith('WHERE { VALUES (?x) { ("}") } ?s ex:q ?x }')


# --- errors -----------------------------------------------------------------------------


def test_unreachable_server(lore: LoreGraph) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(EndpointError, match="connection refused") as info:
        push(lore, url)
    assert info.value.status is None and info.value.url.startswith(url)


def test_silent_server_times_out(lore: LoreGraph) -> None:
    with socket.socket() as sock:  # accepts connections, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        with pytest.raises(EndpointError, match=r"no answer within 0.3 s") as info:
            query_endpoint(Endpoint.at(url, timeout=0.3), ROOT / "queries" / "cast.rq", lore=lore)
    assert info.value.status is None


def test_auth_and_headers_go_with_every_request() -> None:
    ep = Endpoint.at("https://db.example/lore", auth=("admin", "s3cret"),
                     headers={"X-Tenant": "lore"})  # fmt: skip
    headers = ep._headers({"Content-Type": "application/n-triples"})
    assert headers["Authorization"] == "Basic YWRtaW46czNjcmV0"
    assert headers["X-Tenant"] == "lore" and headers["Content-Type"] == "application/n-triples"
    with pytest.raises(EndpointError, match="not an http"):
        Endpoint.at("ftp://db.example/")


def test_http_errors_carry_status_and_message(server: Server, lore: LoreGraph) -> None:
    bad = SparqlQuery.from_text("# Bad\n# Parameters: none\nSELECT ?x WHERE { ?x ?y }")
    with pytest.raises(EndpointError, match=r"HTTP 400") as info:
        query_endpoint(server.url, bad, lore=lore)
    assert info.value.status == 400
    ep = Endpoint.at(server.url)
    with pytest.raises(EndpointError, match=r"rejected the data \(HTTP 400.*: .*Parser error"):
        ep.request("PUT", f"{ep.store}?graph=urn:x", b"garbage", {
            "Content-Type": "application/n-triples"}, what="upload")  # fmt: skip
    nowhere = Endpoint.at(server.url, store=f"{server.url}/nowhere")
    with pytest.raises(EndpointError) as info:
        push(lore, nowhere, graph="urn:lorekit:test:nowhere")
    assert info.value.status == 404
    assert count(server.url, lore) == len(lore.to_rdf())


def test_killed_server_mid_push(tmp_path: Path, lore: LoreGraph) -> None:
    srv = Server(tmp_path / "store").start()
    try:
        push(lore, srv.url)  # a whole graph, then a push that dies half-way

        def kill(sent: int, total: int) -> None:
            srv.stop()

        with pytest.raises(EndpointError, match="cannot reach|connection .*lost") as info:
            push(lore, srv.url, batch_size=100, progress=kill)
        assert info.value.status is None
        srv.start()  # the graph is the one pushed whole, not half of the new one
        assert count(srv.url, lore) == len(lore.to_rdf())
    finally:
        srv.stop()


# --- the CLI ------------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_push_and_query(server: Server, lore: LoreGraph) -> None:
    pushed = invoke("push", "--endpoint", server.url, "--batch-size", "500")
    assert pushed.exit_code == 0, pushed.output
    assert "done: pushed" in pushed.output and f"<{GRAPH}>" in pushed.output
    result = invoke("query", "--endpoint", server.url, "faction-members", "--bind",
                    "faction=Kikimora", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [r["member"] for r in json.loads(result.output)["results"]] == ["eve-macarro-father"]
    evil = invoke("query", "--endpoint", server.url, "layer", "--bind", f"layer={EVIL}", "--json")
    assert json.loads(evil.output)["results"] == []


def test_cli_push_at_a_point_pushes_what_holds_then(server: Server) -> None:
    def pushed(*extra: str) -> int:
        result = invoke("push", "--endpoint", server.url, *extra)
        assert result.exit_code == 0, result.output
        found = re.search(r"done: pushed (\d+) triples", result.output)
        assert found, result.output
        return int(found.group(1))

    whole = pushed()
    assert pushed("--at", "Killing of Santino") < whole
    assert pushed() == whole  # the graph is replaced whole each time


def test_cli_errors_are_clean(lore: LoreGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    result = invoke("push", "--endpoint", url)
    assert result.exit_code == 1
    assert "cannot reach the SPARQL store" in result.output and "done" not in result.output
    result = invoke("query", "--endpoint", url, "cast")
    assert result.exit_code == 1 and "connection refused" in result.output
    result = invoke("query", "cast", "--graph", "urn:x")
    assert result.exit_code == 2 and "--graph needs --endpoint" in result.output


def test_cli_killed_server_mid_push(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lorekit._views.sparql.remote as cli_remote  # the push command imports it on use

    srv = Server(tmp_path / "store").start()
    real_push = cli_remote.push

    def push_and_kill(*args: Any, progress: Any, **kw: Any) -> Any:
        def kill(sent: int, total: int) -> None:
            progress(sent, total)
            srv.stop()

        return real_push(*args, progress=kill, **kw)

    monkeypatch.setattr(cli_remote, "push", push_and_kill)
    try:
        result = invoke("push", "--endpoint", srv.url, "--batch-size", "100")
    finally:
        srv.stop()
    assert result.exit_code == 1
    assert "error:" in result.output and "SPARQL store" in result.output
    assert "done" not in result.output and "Traceback" not in result.output


def test_cli_is_the_real_entry_point() -> None:
    exe = Path(sys.executable).parent / "lorekit"
    result = subprocess.run([str(exe), "push", "--help"], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 0 and "--endpoint" in result.stdout
    assert lorekit.load  # the package imports without the server pieces
