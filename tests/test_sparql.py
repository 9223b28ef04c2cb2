"""The SPARQL queries of queries/: each runs with its defaults and answers correctly.

Expected answers are facts of the John Wick data, and where lorekit's own
query helpers answer the same question, the SPARQL answer must agree with
them. Every query also runs in Oxigraph, with the same parameter values
substituted, and must give the same rows there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lorekit
from lorekit import LoreGraph, QueryError, SparqlQuery, UnknownEntityError, run_query
from lorekit._core.model import Character, Work
from lorekit._views.sparql.query import query_bindings

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
REVIEW = "screen-scribe-ballerina"


def rows(lore: LoreGraph, name: str, **bindings: str) -> list[dict[str, Any]]:
    return run_query(lore, ROOT / "queries" / name, bindings=bindings).records()


# --- one check per query, against the data --------------------------------------


def check_faction_members(lore: LoreGraph) -> None:
    found = {(r["member"], r["role"], r["via"]) for r in rows(lore, "faction-members.rq")}
    assert found == {
        ("the-director", "leader", "ruska-roma"),
        ("eve-macarro", "member", "ruska-roma"),
        ("john-wick", "member", "ruska-roma"),
        ("katia", "member", "ruska-roma"),
        ("nogi", "member", "ruska-roma"),
        ("eve-macarro-father", "member", "kikimora"),
    }
    assert {m for m, _, _ in found} == {e.id for e in lore.members("Ruska Roma")}


def check_cast(lore: LoreGraph) -> None:
    found = {(r["person"], r["character"]) for r in rows(lore, "cast.rq")}
    assert found == {
        ("ana-de-armas", "eve-macarro"),
        ("keanu-reeves", "john-wick"),
        ("ian-mcshane", "winston"),
        ("lance-reddick", "charon"),
        ("anjelica-huston", "the-director"),
        ("gabriel-byrne", "the-chancellor"),  # first appears in Ballerina
        ("norman-reedus", "daniel-pine"),
        ("sharon-duncan-brewster", "nogi"),
        ("catalina-sandino-moreno", "lena"),
        ("david-castaneda", "eve-macarro-father"),
    }
    # everyone lorekit's cast() lists is there
    assert {(p.id, c.id) for p, c in lore.cast("Ballerina")} <= found


def check_story_order(lore: LoreGraph) -> None:
    result = rows(lore, "story-order.rq")
    assert [r["work"] for r in result] == [
        "the-continental", "john-wick-2014", "john-wick-chapter-2", "john-wick-chapter-3",
        "ballerina", "john-wick-chapter-4",
    ]  # fmt: skip
    assert [r["position"] for r in result] == [0, 1, 2, 3, 4, 5]
    # the works of the timeline's top level: an episode is listed within its series
    timeline = [
        e.entity.id
        for e in lore.timeline("story").entries()
        if isinstance(e.entity, Work) and e.during is None
    ]
    assert [r["work"] for r in result] == [w for w in timeline if w != "john-wick-franchise"]


def check_set_between(lore: LoreGraph) -> None:
    result = rows(lore, "set-between.rq")
    assert {(r["item"], r["kind"]) for r in result} == {
        ("ballerina", "work"),
        ("eves-revenge", "event"),
    }
    assert {r["item"] for r in result} == {
        e.id for e in lore.set_between("john-wick-chapter-3", "john-wick-chapter-4")
    }


def check_holds_at(lore: LoreGraph) -> None:
    result = rows(lore, "holds-at.rq")  # at Chapter 4
    at = lore.at("john-wick-chapter-4")
    assert {r["point"] for r in result} == {"john-wick-chapter-4"}
    assert sorted(
        (r["subject"], r["predicate"], r["object"], r["holding"]) for r in result
    ) == sorted((s.subject, s.predicate, s.object, at.holding(s)) for s in at.statements)


def check_allies_and_enemies(lore: LoreGraph) -> None:
    result = rows(lore, "allies-and-enemies.rq")
    found = {(r["stance"], r["other"]) for r in result}
    assert found == {("ally", a.id) for a in lore.allies("John Wick")} | {
        ("enemy", e.id) for e in lore.enemies("John Wick")
    }
    assert {("ally", "charon"), ("enemy", "high-table"), ("enemy", "the-marquis")} <= found


def check_title_holders(lore: LoreGraph) -> None:
    assert [(r["title"], r["holder"]) for r in rows(lore, "title-holders.rq")] == [
        ("baba-yaga", "john-wick")
    ]


def check_layer(lore: LoreGraph) -> None:
    result = rows(lore, "layer.rq")
    statements = {(r["subject"], r["predicate"], r["object"]) for r in result
                  if r["kind"] == "statement"}  # fmt: skip
    notes = {r["record"] for r in result if r["kind"] == "note"}
    assert statements == {s.key for s in lore.statements if s.layer == "reception"}
    assert statements == {(REVIEW, "reviews", "ballerina")}
    assert notes == {f"note.{n.id}" for n in lore.notes if n.layer == "reception"}
    assert "note.eve-emotionally-flat" in notes and len(notes) == 7


def check_citing_source(lore: LoreGraph) -> None:
    result = rows(lore, "citing-source.rq")
    expected = {
        (".".join(s.key), "statement", c.locator)
        for s in lore.statements
        for c in s.sources
        if c.source == REVIEW
    } | {(f"note.{n.id}", "note", c.locator) for n in lore.notes for c in n.sources
         if c.source == REVIEW}  # fmt: skip
    assert {(r["record"], r["kind"], r["locator"]) for r in result} == expected
    assert ("eve-macarro.portrayed_by.ana-de-armas", "statement", "¶6") in expected


def check_characters_by_first_appearance(lore: LoreGraph) -> None:
    result = rows(lore, "characters-by-first-appearance.rq")
    characters = [e for e in lore.entities(kind="character") if isinstance(e, Character)]
    works = {e.id: e for e in lore.entities(kind="work") if isinstance(e, Work)}

    def key(c: Character) -> tuple[str, str]:
        date = works[c.first_appearance].release_date if c.first_appearance else None
        return (date.isoformat() if date else "", c.name)

    assert [r["character"] for r in result] == [c.id for c in sorted(characters, key=key)]
    assert [r["character"] for r in result][:3] == ["aurelio", "avi", "charlie"]
    assert result[-1]["work"] == "ballerina"


def check_raised_by_faction_members(lore: LoreGraph) -> None:
    result = rows(lore, "raised-by-faction-members.rq")
    assert {r["faction"] for r in result} == {"ruska-roma"}
    assert {(r["member"], r["via"]) for r in result} == {
        ("the-director", "ruska-roma"),
        ("john-wick", "ruska-roma"),
        ("katia", "ruska-roma"),
        ("nogi", "ruska-roma"),
        ("eve-macarro-father", "kikimora"),
    }


def check_release_order(lore: LoreGraph) -> None:
    result = rows(lore, "release-order.rq")
    dated = sorted(
        (w for w in lore.entities(kind="work") if isinstance(w, Work) and w.release_date),
        key=lambda w: (w.release_date, w.name),
    )
    assert [r["work"] for r in result] == [w.id for w in dated]
    # "follows" is the previous release of the same form (film after film)
    before: dict[str, str] = {}
    follows = []
    for w in dated:
        follows.append(before.get(w.form))
        before[w.form] = w.id
    assert [r["follows"] for r in result] == follows
    assert result[-1]["work"] == "ballerina"


def check_reviews(lore: LoreGraph) -> None:
    assert rows(lore, "reviews.rq") == [
        {
            "review": REVIEW,
            "name": "Screen Scribe review of Ballerina",
            "work": "ballerina",
            "author": "The Screen Scribe",
            "rating": 2.5,
            "best": 5.0,
        }
    ]


def check_named(lore: LoreGraph) -> None:
    assert [(r["entity"], r["matched"]) for r in rows(lore, "named.rq")] == [("eve-macarro", "Eve")]
    assert lore.entity("Eve").id == "eve-macarro"


CHECKS: dict[str, Callable[[LoreGraph], None]] = {
    "faction-members.rq": check_faction_members,
    "cast.rq": check_cast,
    "story-order.rq": check_story_order,
    "set-between.rq": check_set_between,
    "holds-at.rq": check_holds_at,
    "allies-and-enemies.rq": check_allies_and_enemies,
    "title-holders.rq": check_title_holders,
    "layer.rq": check_layer,
    "citing-source.rq": check_citing_source,
    "characters-by-first-appearance.rq": check_characters_by_first_appearance,
    "raised-by-faction-members.rq": check_raised_by_faction_members,
    "release-order.rq": check_release_order,
    "reviews.rq": check_reviews,
    "named.rq": check_named,
}


def test_every_query_has_a_check() -> None:
    assert len(QUERIES) >= 10
    assert {q.name for q in QUERIES} == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_answers_with_its_defaults(lore: LoreGraph, name: str) -> None:
    CHECKS[name](lore)


@pytest.mark.parametrize("path", QUERIES, ids=[q.name for q in QUERIES])
def test_query_header_documents_it(path: Path) -> None:
    query = SparqlQuery.from_file(path)
    assert query.title and query.description
    text = path.read_text(encoding="utf-8")
    assert "# Parameters:" in text
    for param in query.params:
        assert param.default is not None and param.doc, param
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert re.search(rf"\?{param.name}\b", body), f"?{param.name} is not used"
        # projected, so engines that substitute by SEP-0007 (Oxigraph) accept the value
        select = re.search(r"^SELECT[^\n]*", body, flags=re.MULTILINE)
        assert select and f"?{param.name} " in select.group(0) + " ", param.name
    if not query.params:
        assert "# Parameters: none" in text


def test_other_values_are_resolved_like_everywhere_else(lore: LoreGraph) -> None:
    members = rows(lore, "faction-members.rq", faction="Kikimoras")  # an alias
    assert [r["member"] for r in members] == ["eve-macarro-father"]
    cast = rows(lore, "cast.rq", work="Parabellum")
    assert ("asia-kate-dillon", "the-adjudicator") in {(r["person"], r["character"]) for r in cast}
    between = rows(lore, "set-between.rq", **{"from": "John Wick (2014)", "to": "Ballerina"})
    assert {r["item"] for r in between if r["kind"] == "work"} == {
        "john-wick-chapter-2",
        "john-wick-chapter-3",
    }
    production = rows(lore, "layer.rq", layer="production")
    assert {r["record"] for r in production if r["kind"] == "note"} == {
        f"note.{n.id}" for n in lore.notes if n.layer == "production"
    }


# --- parameters are RDF terms, never query text ----------------------------------

EVIL = 'reception" } } ; DROP ALL ; INSERT DATA { <x> <y> "z" } #\'{}'


def test_injected_value_is_only_a_literal(lore: LoreGraph) -> None:
    size = len(lore.to_rdf())
    echo = SparqlQuery.from_text(
        "# Echo\n# Parameters:\n#   ?value (text, default: x)  anything\n"
        "SELECT ?value ?length WHERE { BIND(STRLEN(?value) AS ?length) }"
    )
    [row] = run_query(lore, echo, bindings={"value": EVIL}).records()
    assert row == {"value": EVIL, "length": len(EVIL)}
    assert rows(lore, "layer.rq", layer=EVIL) == []
    assert rows(lore, "named.rq", text=EVIL) == []
    assert len(lore.to_rdf()) == size
    assert len(rows(lore, "layer.rq")) == 8  # the graph still answers


def test_default_missing_from_another_universe() -> None:
    matrix = lorekit.load(ROOT / "data" / "the-matrix")
    with pytest.raises(QueryError, match=r"\?faction defaults to 'ruska-roma', which this") as info:
        run_query(matrix, ROOT / "queries" / "faction-members.rq")
    assert str(info.value).endswith("give one with bindings={'faction': ...}")


def test_injected_entity_value_matches_no_entity(lore: LoreGraph) -> None:
    with pytest.raises(UnknownEntityError):
        rows(lore, "faction-members.rq", faction="ruska-roma> } DROP ALL ; #")


def test_bad_parameters(lore: LoreGraph) -> None:
    with pytest.raises(QueryError, match=r"no parameter \?fraction; it takes \?faction"):
        rows(lore, "faction-members.rq", fraction="Kikimora")
    required = SparqlQuery.from_text("# Q\n# Parameters:\n#   ?n (integer)  a number\nASK {}")
    with pytest.raises(QueryError, match=r"\?n \(a number\) needs a value") as info:
        run_query(lore, required)
    assert str(info.value).endswith("needs a value: bindings={'n': ...}")  # no CLI flag
    with pytest.raises(QueryError, match="must be a whole number"):
        run_query(lore, required, bindings={"n": "ten"})
    assert run_query(lore, required, bindings={"n": "10"}).records() == [{"result": True}]


def test_syntax_error_has_its_line(lore: LoreGraph, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# Broken\n# Parameters: none\nSELECT ?x\nWHERE { ?x ?y }\n")
    with pytest.raises(QueryError) as info:
        run_query(lore, path)
    assert info.value.file == str(path) and info.value.line == 4
    assert str(info.value).startswith(f"{path}:4: not valid SPARQL")


def test_malformed_parameter_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# Q\n#\n# Parameters:\n#   ?who  the person\nSELECT * {}\n")
    with pytest.raises(QueryError) as info:
        SparqlQuery.from_file(path)
    assert info.value.line == 4


def test_construct_returns_triples(lore: LoreGraph) -> None:
    query = SparqlQuery.from_text(
        "# Holders\n# Parameters: none\nPREFIX lore: <https://w3id.org/lorekit/ontology#>\n"
        "CONSTRUCT { ?t lore:title_held_by ?h } WHERE { ?h lore:holds_title ?t }"
    )
    assert run_query(lore, query).records() == [
        {"subject": "baba-yaga", "predicate": "title_held_by", "object": "john-wick"}
    ]


# --- the same answers from Oxigraph ------------------------------------------------


def test_oxigraph_gives_the_same_rows(lore: LoreGraph) -> None:
    ox = pytest.importorskip("pyoxigraph")
    from rdflib import BNode, Literal, URIRef

    from lorekit._rdf.export import serialize_rdf
    from lorekit._rdf.ontology import ontology_turtle

    store = ox.Store()
    store.load(serialize_rdf(lore, "nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    store.load(ontology_turtle().encode(), format=ox.RdfFormat.TURTLE)

    def to_ox(term: Any) -> Any:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        assert isinstance(term, Literal)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)

    def text(term: Any) -> Any:
        """IRIs as text, literals by value (Oxigraph writes 5.0 as 5)."""
        if term is None:
            return None
        if isinstance(term, ox.Literal) and term.language:
            term = Literal(term.value, lang=term.language)
        elif isinstance(term, ox.Literal):
            term = Literal(term.value, datatype=URIRef(term.datatype.value))
        if isinstance(term, Literal):
            return term.toPython()
        assert not isinstance(term, ox.BlankNode | BNode)
        return str(term.value if isinstance(term, ox.NamedNode) else term)

    for path in QUERIES:
        query = SparqlQuery.from_file(path)
        ours = run_query(lore, query)
        substitutions = {ox.Variable(k): to_ox(v) for k, v in query_bindings(lore, query).items()}
        theirs = store.query(query.text, substitutions=substitutions)
        mine = [tuple(text(t) for t in row) for row in ours.rows]
        other = [tuple(text(s[v]) for v in ours.variables) for s in theirs]
        assert mine == other, path.name


# --- the CLI -------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lorekit"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip


def test_cli_query_table_json_and_csv() -> None:
    table = run("query", "queries/faction-members.rq")
    assert table.returncode == 0, table.stderr
    assert "Members of a faction, its units included" in table.stdout
    assert "eve-macarro-father" in table.stdout and "kikimora" in table.stdout
    as_json = run("query", "queries/faction-members.rq", "--bind", "faction=Kikimora", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["results"] == [
        {"faction": "kikimora", "member": "eve-macarro-father", "name": "Eve Macarro's father",
         "role": "member", "via": "kikimora"}
    ]  # fmt: skip
    as_csv = run("query", "queries/title-holders.rq", "--csv")
    assert (
        as_csv.stdout
        == "title,title_name,holder,holder_name\nbaba-yaga,Baba Yaga,john-wick,John Wick\n"
    )


def test_cli_query_injection_is_inert() -> None:
    result = run("query", "queries/layer.rq", "--bind", f"layer={EVIL}", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"] == []


def test_cli_query_errors() -> None:
    result = run("query", "queries/faction-members.rq", "--bind", "faction=Nobody Anywhere")
    assert result.returncode == 1
    assert "no entity is called 'Nobody Anywhere'" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("query", "queries/nowhere.rq")
    assert result.returncode == 1 and "cannot read the query" in result.stderr
    result = run("query", "queries/cast.rq", "--bind", "work")
    assert result.returncode == 2 and "NAME=VALUE" in result.stderr


def test_cli_parameter_errors_name_the_option(tmp_path: Path) -> None:
    path = tmp_path / "required.rq"
    path.write_text("# Q\n# Parameters:\n#   ?n (integer)  a number\nASK {}\n")
    result = run("query", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {path}: ?n (a number) needs a value: --bind n=VALUE"
    matrix = str(ROOT / "data" / "the-matrix")
    result = run("query", "faction-members", "--data", matrix)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "which this universe does not have; give one with --bind faction=VALUE"
    )
    assert "bindings=" not in result.stderr


def test_queries_run_on_an_rdf_import(tmp_path: Path) -> None:
    out = tmp_path / "lore.ttl"
    assert run("export", "-o", str(out)).returncode == 0
    result = run("query", "queries/raised-by-faction-members.rq", "--data", str(out), "--json")
    assert result.returncode == 0, result.stderr
    assert {r["member"] for r in json.loads(result.stdout)["results"]} == {
        "the-director", "john-wick", "katia", "nogi", "eve-macarro-father"}  # fmt: skip


def test_as_of_keeps_spoilers_out_of_queries() -> None:
    result = run("query", "queries/faction-members.rq", "--as-of", "Chapter 3", "--json")
    assert result.returncode == 0, result.stderr
    members = {r["member"] for r in json.loads(result.stdout)["results"]}
    assert members == {"john-wick", "the-director"}
