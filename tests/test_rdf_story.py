"""Story time in RDF: since/until on the statement records, described, checked, read back."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

import lorekit
from lorekit import LoreGraph, validate_shacl
from lorekit._load.synth import synthesize
from lorekit._rdf.canonical import canonical
from lorekit._rdf.export import FORMATS, RdfFormat, serialize_rdf
from lorekit._rdf.ontology import ontology
from lorekit._rdf.vocab import LORE

BRANCHES = Path(__file__).parent / "story_rdf"
BASE = "https://w3id.org/lorekit/universe/branches/"
SUFFIX = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "xml": ".rdf", "trig": ".trig",
          "nq": ".nq"}  # fmt: skip


@pytest.fixture(scope="module")
def branches() -> LoreGraph:
    return lorekit.load(BRANCHES)


def node(name: str) -> URIRef:
    return URIRef(BASE + name)


def test_since_and_until_are_on_the_statement_records(branches: LoreGraph) -> None:
    g = branches.to_rdf()
    cy = node("cy.member_of.guild")
    assert (cy, RDF.type, RDF.Statement) in g
    assert set(g.objects(cy, LORE.since)) == {node("duel")}
    assert set(g.objects(cy, LORE.until)) == {node("finale")}
    assert set(g.objects(node("ada.leads.guild"), LORE.until)) == {node("duel")}
    assert set(g.objects(node("ada.leads.guild"), LORE.since)) == set()
    assert set(g.objects(node("bo.leads.guild"), LORE.since)) == {node("siege")}
    # one lore:since / lore:until per statement that has one, never on the plain triple
    spans = {s.key for s in branches.statements if s.since or s.until}
    assert len(set(g.subjects(LORE.since, None)) | set(g.subjects(LORE.until, None))) == len(spans)
    assert (node("ada"), LORE.dies_in, node("duel")) in g
    assert (node("ada"), LORE.killed_by, node("cy")) in g


def test_ontology_describes_the_interval_semantics() -> None:
    onto = ontology()
    for prop in (LORE.since, LORE.until):
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert onto.value(prop, RDFS.domain) == LORE.Statement
        comment = " ".join(str(c) for c in onto.objects(prop, RDFS.comment))
        assert "strictly" in comment and "story order" in comment
        assert "interval" in comment and "not determined" in comment
        rng = onto.value(prop, RDFS.range)
        members = set(onto.items(onto.value(rng, OWL.unionOf)))
        assert members == {LORE.Work, LORE.Event}
    for prop in (LORE.dies_in, LORE.killed_by):
        assert (prop, RDF.type, OWL.ObjectProperty) in onto


def test_shipped_spans_conform(branches: LoreGraph) -> None:
    assert validate_shacl(branches).conforms


@pytest.mark.parametrize("prop", ["since", "until"])
def test_a_span_end_that_is_not_a_story_point_is_a_violation(
    branches: LoreGraph, prop: str, tmp_path: Path
) -> None:
    text = serialize_rdf(branches, "nt")
    text += f"<{BASE}ada.member_of.guild> <{LORE[prop]}> <{BASE}bo> .\n"
    path = tmp_path / "bad.nt"
    path.write_text(text, encoding="utf-8")
    found = [str(v) for v in validate_shacl(path).violations]
    assert len(found) == 1, found
    assert f"lore:{prop}" in found[0] and "an event or a work" in found[0]
    assert "bo" in found[0]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_spans_and_deaths_round_trip(branches: LoreGraph, fmt: RdfFormat, tmp_path: Path) -> None:
    path = tmp_path / f"branches{SUFFIX[fmt]}"
    text = serialize_rdf(branches, fmt)
    path.write_text(text, encoding="utf-8")
    back = lorekit.load(path)
    assert back.universe == canonical(branches.universe)
    spans = {(s.key, s.since, s.until) for s in back.statements}
    assert (("cy", "member_of", "guild"), "duel", "finale") in spans
    assert (("bo", "leads", "guild"), "siege", None) in spans
    assert (("ada", "leads", "guild"), None, "duel") in spans
    keys = {s.key for s in back.statements}
    assert {("ada", "dies_in", "duel"), ("ada", "killed_by", "cy")} <= keys
    assert isomorphic(back.to_rdf(), branches.to_rdf())
    assert serialize_rdf(back, fmt) == text


def test_john_wick_spans_round_trip(lore: LoreGraph, tmp_path: Path) -> None:
    path = tmp_path / "jw.ttl"
    path.write_text(serialize_rdf(lore, "ttl"), encoding="utf-8")
    back = lorekit.load(path)
    assert {(s.key, s.since, s.until) for s in back.statements} == {
        (s.key, s.since, s.until) for s in lore.statements
    }


def test_reader_rejects_a_span_end_that_is_not_a_story_point(
    branches: LoreGraph, tmp_path: Path
) -> None:
    g = Graph()
    g.parse(data=serialize_rdf(branches, "nt"), format="nt")
    g.set((node("ada.member_of.guild"), LORE.since, node("bo")))
    path = tmp_path / "bad.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    with pytest.raises(lorekit.LoadError, match="since"):
        lorekit.load(path)


# --- story order for SPARQL: ranks and precedence edges -----------------------------

CROSS = """\
universe: {id: cross, name: Cross}
works:
  - {id: w1, name: W1, release_date: 2001-01-01}
  - {id: w2, name: W2, release_date: 2003-01-01}
events:
  - {id: e1, name: E1, first_appearance: w1}
  - {id: e2, name: E2, first_appearance: w2}
  - {id: e3, name: E3, first_appearance: w2}
statements:
  - {subject: e1, predicate: during, object: w1, sources: [w1]}
  - {subject: e2, predicate: during, object: w2, sources: [w2]}
  - {subject: e3, predicate: during, object: w2, sources: [w2]}
  - {subject: e2, predicate: set_after, object: e1, sources: [w2]}
  - {subject: e3, predicate: set_after, object: e2, sources: [w2]}
"""


@pytest.fixture(scope="module")
def cross(tmp_path_factory: pytest.TempPathFactory) -> LoreGraph:
    """Events of two works ordered across them (which orders the works) and within one."""
    path = tmp_path_factory.mktemp("cross") / "cross.yaml"
    path.write_text(CROSS, encoding="utf-8")
    return lorekit.load(path)


def closure(g: Graph) -> dict[str, set[str]]:
    """Story point id → the ids its lore:storyPrecedes edges reach."""
    step: dict[str, set[str]] = {}
    for s, o in g.subject_objects(LORE.storyPrecedes):
        step.setdefault(str(s).rsplit("/", 1)[1], set()).add(str(o).rsplit("/", 1)[1])
    reach: dict[str, set[str]] = {}

    def walk(p: str) -> set[str]:
        if p not in reach:
            reach[p] = set()
            for q in step.get(p, ()):
                reach[p] |= {q} | walk(q)
        return reach[p]

    for p in list(step):
        walk(p)
    return reach


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> LoreGraph:
    return lorekit.load(synthesize(tmp_path_factory.mktemp("synth") / "u", entities=400, seed=3))


@pytest.fixture(scope="module")
def graphs(lore: LoreGraph, branches: LoreGraph, cross: LoreGraph) -> dict[str, Graph]:
    """Each universe's export as an rdflib graph, built once for the module."""
    return {"john-wick": lore.to_rdf(), "branches": branches.to_rdf(), "cross": cross.to_rdf()}


@pytest.mark.parametrize("which", ["john-wick", "branches", "cross", "synthetic"])
def test_precedence_edges_close_to_strictly_before(
    which: str,
    lore: LoreGraph,
    branches: LoreGraph,
    cross: LoreGraph,
    synthetic: LoreGraph,
    graphs: dict[str, Graph],
) -> None:
    universe = {"john-wick": lore, "branches": branches, "cross": cross}.get(which, synthetic)
    g = graphs[which] if which in graphs else universe.to_rdf()
    time = universe.story_time()
    reach = closure(g)
    points = [p.id for p in time.points()]
    rank = {str(s).rsplit("/", 1)[1]: o.toPython() for s, o in g.subject_objects(LORE.storyRank)}
    pairs = 0
    for a in points:
        for b in points:
            assert (b in reach.get(a, set())) is (time.precedes(a, b) is True), (a, b)
            if time.precedes(a, b):
                pairs += 1
                assert rank[a] < rank[b]
    assert pairs > 0
    placed = {p for p in points if time.order.placed(p)}
    assert set(rank) == placed
    assert all(rank[p] == time.rank(p) for p in placed)
    # lore:storyPosition: on each placed work within no other, the works strictly before it
    position = {
        str(s).rsplit("/", 1)[1]: o.toPython() for s, o in g.subject_objects(LORE.storyPosition)
    }
    every_work = {e.id for e in universe.entities(kind="work")}
    within = {s.subject for s in universe.statements if s.predicate == "during"}
    works = [w for w in every_work if time.order.placed(w) and w not in within]
    assert set(position) == set(works)
    for w in works:
        assert position[w] == sum(time.precedes(v, w) is True for v in works), w
    if which != "branches":
        assert max(position.values()) > 0
    # lore:storyOutermost and lore:storyStage: different stages are exactly the order
    outer = {
        str(s).rsplit("/", 1)[1]: str(o).rsplit("/", 1)[1]
        for s, o in g.subject_objects(LORE.storyOutermost)
    }
    stage = {str(s).rsplit("/", 1)[1]: o.toPython() for s, o in g.subject_objects(LORE.storyStage)}
    assert set(outer) == set(stage) == placed
    assert all(outer[p] == time.order.node(p) for p in placed)
    for a in placed:
        for b in placed:
            if stage[a] < stage[b]:
                assert time.precedes(a, b) is True, (a, b)
            elif stage[a] == stage[b] and outer[a] != outer[b]:
                assert stage[a] % 2 == 0, (a, b)  # two outermost points share only an even stage
    milestones = {outer[p] for p in placed if stage[p] % 2}
    for m in milestones:  # a milestone is ordered against every other outermost point
        assert all(time.precedes(m, n) is not None for n in set(outer.values()) - {m}), m


def test_stages_of_a_chain_and_of_branches(graphs: dict[str, Graph]) -> None:
    def stages(which: str) -> dict[str, int]:
        found = graphs[which].subject_objects(LORE.storyStage)
        return {str(s).rsplit("/", 1)[1]: o.toPython() for s, o in found}

    jw = stages("john-wick")
    assert jw["john-wick-2014"] < jw["john-wick-chapter-2"] < jw["john-wick-chapter-4"]
    assert jw["john-wick-2014"] % 2 == 1  # a milestone: every other work is ordered against it
    assert jw["the-continental"] == jw["murder-of-eves-family"] == 0  # unordered prequels
    branches = stages("branches")
    assert branches["north"] == branches["south"]  # two branches: one stage between milestones
    assert branches["origins"] < branches["north"]


def test_cross_work_order_orders_the_works(graphs: dict[str, Graph]) -> None:
    reach = closure(graphs["cross"])
    assert {"w2", "e2", "e3"} <= reach["w1"]
    assert "e3" in reach["e2"] and "e2" not in reach["e3"]


def test_unordered_branches_have_no_edge_between_them(graphs: dict[str, Graph]) -> None:
    reach = closure(graphs["branches"])
    assert "south" not in reach["north"] and "north" not in reach["south"]
    assert "siege" not in reach["duel"]
    assert {"north", "south", "duel", "siege", "finale", "betrayal"} <= reach["origins"]
    assert "lost-tape" not in reach and all("lost-tape" not in r for r in reach.values())


# --- holds-at.rq against lore.at ----------------------------------------------------

HOLDS_AT = Path(__file__).resolve().parents[1] / "queries" / "holds-at.rq"


def at_rows(lore: LoreGraph, point: str) -> list[tuple[object, ...]]:
    at = lore.at(point)
    return sorted(
        (s.subject, s.predicate, s.object, s.since, s.until, at.holding(s)) for s in at.statements
    )


def query_rows(lore: LoreGraph, point: str, engine: str) -> list[tuple[object, ...]]:
    result = lorekit.run_query(lore, HOLDS_AT, bindings={"point": point}, engine=engine)  # type: ignore[arg-type]
    return sorted(
        (r["subject"], r["predicate"], r["object"], r["since"], r["until"], r["holding"])
        for r in result.records()
    )


def sample(points: list[str], engine: str, which: str) -> list[str]:
    """Every point for Oxigraph and the small universes; for rdflib on John Wick, whose
    SPARQL builds its graph per query, the first, last and every fifth point
    (test_queries_synthetic checks the two engines give the same rows)."""
    if engine == "oxigraph" or which != "john-wick":
        return points
    return sorted({*points[::5], points[-1]}, key=points.index)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("which", ["john-wick", "branches", "cross"])
def test_holds_at_query_matches_lore_at(
    which: str, engine: str, lore: LoreGraph, branches: LoreGraph, cross: LoreGraph
) -> None:
    universe = {"john-wick": lore, "branches": branches, "cross": cross}[which]
    answers: set[object] = set()
    points = [p.id for p in universe.story_time().points()]
    for point in sample(points, engine, which):
        want = at_rows(universe, point)
        assert query_rows(universe, point, engine) == want, point
        answers |= {row[-1] for row in want}
    if which == "branches":  # the test universe exercises every answer
        assert answers == {"holds", "not-determined"}
        assert len(universe.at("north").statements) < len(universe.statements)


def test_holds_at_on_the_branches(branches: LoreGraph) -> None:
    rows = {r[:3]: r[-1] for r in query_rows(branches, "north", "oxigraph")}
    assert rows[("bo", "leads", "guild")] == "not-determined"  # the siege is on the other branch
    assert rows[("cy", "member_of", "guild")] == "holds"  # the duel is during north
    assert rows[("ada", "leads", "guild")] == "holds"  # until the duel, during north
    assert rows[("dee", "member_of", "guild")] == "not-determined"  # the lost tape is unordered
    assert ("dee", "serves", "guild") not in rows  # since the vow, in the finale
    finale = {r[:3]: r[-1] for r in query_rows(branches, "betrayal", "rdflib")}
    assert ("ada", "leads", "guild") not in finale and ("cy", "member_of", "guild") in finale
    assert finale[("dee", "serves", "guild")] == "holds"  # until the betrayal itself
    assert ("dee", "serves", "guild") not in {
        r[:3] for r in query_rows(branches, "south", "rdflib")
    }


# --- set-between.rq against lore.set_between ----------------------------------------

SET_BETWEEN = HOLDS_AT.with_name("set-between.rq")


@pytest.mark.parametrize("which", ["john-wick", "branches", "cross"])
def test_set_between_query_matches_lore_for_every_pair(
    which: str, lore: LoreGraph, branches: LoreGraph, cross: LoreGraph
) -> None:
    """Every pair of placed points, works and events within them alike, with Oxigraph
    (test_queries_synthetic checks rdflib gives the same rows).

    All pairs go in one query, as the rows of its ``VALUES`` block: the same
    answer pair by pair as one bound row each (checked for two of them), in
    a fraction of the time.
    """
    from lorekit._views.sparql.oxigraph import _store

    universe = {"john-wick": lore, "branches": branches, "cross": cross}[which]
    order = universe.story_time().order
    points = [p.id for p in universe.story_time().points() if order.placed(p.id)]
    base = f"https://w3id.org/lorekit/universe/{universe.universe.info.id}/"
    text = SET_BETWEEN.read_text(encoding="utf-8")
    at = text.index("WHERE {") + len("WHERE {")
    pairs = " ".join(f"(<{base}{a}> <{base}{b}>)" for a in points for b in points)
    every = text[:at] + f" VALUES (?from ?to) {{ {pairs} }}" + text[at:]
    got: dict[tuple[str, str], list[str]] = {}
    for row in _store(universe).query(every):
        pair = (row["from"].value.removeprefix(base), row["to"].value.removeprefix(base))
        got.setdefault(pair, []).append(row["item"].value.removeprefix(base))
    for a in points:
        for b in points:
            items = got.get((a, b), [])
            assert len(items) == len(set(items)), (a, b)
            assert set(items) == {e.id for e in universe.set_between(a, b)}, (a, b)
    assert sum(map(len, got.values())) > 0 or which == "cross"  # two works: nothing between
    for a, b in ((points[0], points[-1]), (points[-1], points[0])):
        bound = lorekit.run_query(
            universe, SET_BETWEEN, bindings={"from": a, "to": b}, engine="oxigraph"
        )
        assert sorted(r["item"] for r in bound.records()) == sorted(got.get((a, b), []))


# --- JSON-LD written from the mapping -------------------------------------------------


@pytest.mark.parametrize("which", ["john-wick", "branches", "hostile"])
def test_jsonld_from_the_mapping_is_the_graph_paths(
    which: str, lore: LoreGraph, branches: LoreGraph
) -> None:
    from lorekit._rdf.export import to_rdf
    from lorekit._rdf.jsonld import to_jsonld

    universe = {"john-wick": lore, "branches": branches}.get(which) or lorekit.load(
        Path(__file__).parent / "hostile"
    )
    text = serialize_rdf(universe, "jsonld")
    graph = to_rdf(universe)
    base = f"https://w3id.org/lorekit/universe/{universe.universe.info.id}/"
    assert text == to_jsonld(graph, base)  # the rdflib-graph path, byte for byte
    if which == "john-wick":  # rdflib's isomorphism test takes half a minute on it
        import pyoxigraph as ox

        def canonical_quads(data: str, fmt: ox.RdfFormat) -> set[str]:
            found = ox.Dataset(ox.parse(data.encode("utf-8"), format=fmt))
            found.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            return {str(q) for q in found}

        ours = canonical_quads(graph.serialize(format="nt"), ox.RdfFormat.N_TRIPLES)
        assert canonical_quads(text, ox.RdfFormat.JSON_LD) == ours  # Oxigraph's reader
        return
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = Graph().parse(data=text, format="json-ld")
    assert isomorphic(parsed, graph)


def test_jsonld_read_by_an_independent_processor(branches: LoreGraph) -> None:
    """PyLD (not rdflib) turns the document into the same N-Quads as the export."""
    import json

    from pyld import jsonld as pyld

    def no_fetch(url: str, options: object) -> object:
        raise AssertionError(f"PyLD tried to fetch {url}")

    doc = json.loads(serialize_rdf(branches, "jsonld"))
    nquads = pyld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_fetch})
    theirs = Graph().parse(data=nquads, format="nt")
    assert len(theirs) == len(branches.to_rdf())
    assert isomorphic(theirs, branches.to_rdf())
