"""Story time in RDF: since/until on the statement records, described, checked, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

import lorekit
from lorekit import LoreGraph, validate_shacl
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
