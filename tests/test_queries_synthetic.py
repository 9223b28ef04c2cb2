"""The queries/ files on a synthetic universe: both engines, and lorekit's own answers.

The John Wick data is small and hand-written; a synthetic universe has long
story-order chains, many events during works and large factions, the shapes
a query is rewritten for when it must stay fast. Every query must give the
same rows, in the same order, on rdflib and on Oxigraph, and the story-order
queries must agree with lorekit's timeline, so a faster query cannot quietly
answer a different question.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph, run_query
from lorekit._core.model import Work
from lorekit._load.synth import synthesize
from lorekit._views.sparql.engine import EngineName

pytest.importorskip("pyoxigraph")

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> LoreGraph:
    out = tmp_path_factory.mktemp("synth") / "u"
    synthesize(out, entities=400, seed=11)
    return lorekit.load(out)


@pytest.fixture(scope="module")
def picks(synthetic: LoreGraph) -> dict[str, str]:
    """Values for every parameter of queries/, as the benchmark picks them."""
    characters = [e.id for e in synthetic.entities(kind="character")]
    factions = list(synthetic.entities(kind="faction"))
    biggest = max(factions, key=lambda f: len(synthetic.relations(f, "has_member")))
    films = [e.entity.id for e in synthetic.timeline("release").entries() if e.during is None]
    raised = next(
        st.subject
        for st in synthetic.statements
        if st.predicate == "raised_by" and synthetic.entity(st.object) in factions
    )
    return {
        "entity": characters[1],
        "character": raised,
        "work": films[len(films) // 2],
        "from": films[1],
        "to": films[-2],
        "point": films[len(films) // 3],
        "faction": biggest.id,
        "source": next(iter(synthetic.entities(kind="source"))).id,
        "text": synthetic.entity(characters[1]).name,
        "layer": "lore",
    }


@pytest.mark.parametrize("path", QUERIES, ids=[q.name for q in QUERIES])
def test_both_engines_give_the_same_rows(
    synthetic: LoreGraph, picks: dict[str, str], path: Path
) -> None:
    query = lorekit.SparqlQuery.from_file(path)
    bindings = {p.name: picks[p.name] for p in query.params}
    ours = run_query(synthetic, query, bindings=bindings)
    fast = run_query(synthetic, query, bindings=bindings, engine="oxigraph")
    assert fast.variables == ours.variables
    assert fast.records() == ours.records()
    assert ours.records(), "a check on no rows proves nothing"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_story_order_is_the_timeline(synthetic: LoreGraph, engine: EngineName) -> None:
    result = run_query(synthetic, ROOT / "queries" / "story-order.rq", engine=engine)
    works = [e for e in synthetic.timeline("story").entries() if isinstance(e.entity, Work)]
    expected = sorted((e.position, e.entity.name, e.entity.id) for e in works)
    assert len(expected) > 5
    assert [(r["position"], r["title"], r["work"]) for r in result.records()] == expected


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_set_between_is_lorekits(
    synthetic: LoreGraph, picks: dict[str, str], engine: EngineName
) -> None:
    bindings = {"from": picks["from"], "to": picks["to"]}
    query = ROOT / "queries" / "set-between.rq"
    result = run_query(synthetic, query, bindings=bindings, engine=engine)
    expected = {e.id for e in synthetic.set_between(picks["from"], picks["to"])}
    assert len(expected) > 5
    assert {r["item"] for r in result.records()} == expected
