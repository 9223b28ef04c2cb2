"""The oxigraph engine (``lorekit[fast]``): the same results as rdflib on every query."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lorekit import LoreGraph, QueryError, SparqlQuery, run_query

pytest.importorskip("pyoxigraph")

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
EVIL = 'reception" } } ; DROP ALL ; INSERT DATA { <x> <y> "z" } #\'{}'


@pytest.mark.parametrize("path", QUERIES, ids=[q.name for q in QUERIES])
def test_same_results_as_rdflib(lore: LoreGraph, path: Path) -> None:
    ours = run_query(lore, path)
    fast = run_query(lore, path, engine="oxigraph")
    assert fast.variables == ours.variables
    assert fast.records() == ours.records()
    assert ours.records()


def test_same_results_with_bound_values(
    lore: LoreGraph, bound_queries: list[tuple[str, dict[str, str]]]
) -> None:
    for name, bindings in bound_queries:
        path = ROOT / "queries" / name
        assert (
            run_query(lore, path, bindings=bindings, engine="oxigraph").records()
            == run_query(lore, path, bindings=bindings).records()
        )


def test_ask_and_construct(lore: LoreGraph) -> None:
    construct = SparqlQuery.from_text(
        "# Holders\n# Parameters: none\nPREFIX lore: <https://w3id.org/lorekit/ontology#>\n"
        "CONSTRUCT { ?t lore:title_held_by ?h } WHERE { ?h lore:holds_title ?t }"
    )
    assert run_query(lore, construct, engine="oxigraph").records() == [
        {"subject": "baba-yaga", "predicate": "title_held_by", "object": "john-wick"}
    ]
    ask = SparqlQuery.from_text("# Q\n# Parameters:\n#   ?n (integer, default: 3)  n\nASK {}")
    assert run_query(lore, ask, engine="oxigraph").records() == [{"result": True}]


def test_injected_value_is_only_a_literal(lore: LoreGraph) -> None:
    echo = SparqlQuery.from_text(
        "# Echo\n# Parameters:\n#   ?value (text, default: x)  anything\n"
        "SELECT ?value ?length WHERE { BIND(STRLEN(?value) AS ?length) }"
    )
    [row] = run_query(lore, echo, bindings={"value": EVIL}, engine="oxigraph").records()
    assert row == {"value": EVIL, "length": len(EVIL)}
    assert run_query(lore, ROOT / "queries" / "layer.rq", bindings={"layer": EVIL},
                     engine="oxigraph").records() == []  # fmt: skip
    assert len(run_query(lore, ROOT / "queries" / "layer.rq", engine="oxigraph")) == 8


def test_errors(lore: LoreGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = SparqlQuery.from_text("# Bad\n# Parameters: none\nSELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError, match="not valid SPARQL"):
        run_query(lore, bad, engine="oxigraph")
    with pytest.raises(QueryError, match="unknown SPARQL engine 'jena'; use rdflib or oxigraph$"):
        run_query(lore, bad, engine="jena")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"'oxigrap' \(did you mean 'oxigraph'\?\); use rdflib"):
        run_query(lore, bad, engine="oxigrap")  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "pyoxigraph", None)  # as if not installed
    with pytest.raises(QueryError, match=r"needs pyoxigraph: pip install 'lorekit\[fast\]'"):
        run_query(lore, ROOT / "queries" / "cast.rq", engine="oxigraph")


def test_cli_engine() -> None:
    exe = Path(sys.executable).parent / "lorekit"
    result = subprocess.run(
        [str(exe), "query", "queries/faction-members.rq", "--engine", "oxigraph", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert {r["member"] for r in json.loads(result.stdout)["results"]} == {
        "the-director", "eve-macarro", "john-wick", "katia", "nogi",
        "eve-macarro-father"}  # fmt: skip


def test_the_registry_is_the_engines() -> None:
    from typing import get_args

    from lorekit._views.sparql.engine import ENGINES, EngineName, engine_named
    from lorekit._views.sparql.remote import Endpoint, EndpointEngine

    assert tuple(ENGINES) == get_args(EngineName) == ("rdflib", "oxigraph")
    assert all(engine_named(name).name == name for name in ENGINES)
    remote = EndpointEngine(Endpoint.at("http://127.0.0.1:1/"))
    assert remote.name not in ENGINES  # a server is an engine, but not one to name locally


def test_each_engine_runs_a_query_with_its_terms_bound(lore: LoreGraph) -> None:
    from lorekit._views.sparql.engine import ENGINES
    from lorekit._views.sparql.query import query_bindings

    query = SparqlQuery.from_file(ROOT / "queries" / "faction-members.rq")
    init = query_bindings(lore, query, {"faction": "Kikimora"})
    rows = {name: engine.run(lore, query, init).records() for name, engine in ENGINES.items()}
    assert (
        rows["rdflib"]
        == rows["oxigraph"]
        == run_query(lore, query, bindings={"faction": "Kikimora"}).records()
    )
    assert rows["rdflib"]
