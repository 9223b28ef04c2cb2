"""RDF export and import: ontology, provenance, lossless round trips, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS

import lorekit
from lorekit import LoadError, LoreGraph
from lorekit._rdf.canonical import canonical
from lorekit._rdf.export import FORMATS, RdfFormat, serialize_rdf
from lorekit._rdf.jsonld import jsonld_context
from lorekit._rdf.ontology import ONTOLOGY_FILE, ontology, ontology_turtle
from lorekit._rdf.shacl import SHAPES_FILE, shapes_turtle
from lorekit._rdf.vocab import LORE, WD, WDT, term

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/lorekit/universe/john-wick/"
SUFFIX = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "xml": ".rdf", "trig": ".trig",
          "nq": ".nq"}  # fmt: skip


def iri(ident: str) -> URIRef:
    return URIRef(BASE + ident)


@pytest.fixture(scope="module")
def rdf(lore: LoreGraph) -> Graph:
    return lore.to_rdf()


@pytest.fixture(scope="module")
def turtle(lore: LoreGraph) -> str:
    return serialize_rdf(lore, "ttl")


def canonical_quads(graph: Graph) -> set[str]:
    """A graph's triples with blank nodes labelled by RDFC-1.0 (Oxigraph's canonicalizer).

    Two graphs are isomorphic exactly when these sets are equal; on John Wick's
    2,000 blank nodes this takes under a second, where rdflib's isomorphism
    test takes 10 to 15.
    """
    import pyoxigraph as ox

    text = graph.serialize(format="nt").encode("utf-8")
    found = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    found.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in found}


@pytest.fixture(scope="module")
def rdf_quads(rdf: Graph) -> set[str]:
    return canonical_quads(rdf)


def test_canonical_quads_tell_graphs_apart(rdf: Graph, rdf_quads: set[str]) -> None:
    fresh: dict[BNode, BNode] = {}

    def relabel(node: Any) -> Any:
        return fresh.setdefault(node, BNode()) if isinstance(node, BNode) else node

    changed = Graph()
    for s, p, o in rdf:
        changed.add((relabel(s), p, relabel(o)))
    assert set(changed) != set(rdf)  # other blank nodes ...
    assert canonical_quads(changed) == rdf_quads  # ... for the same graph
    s, p, o = next((s, p, o) for s, p, o in rdf if isinstance(s, BNode))
    changed.remove((s, p, o))
    changed.add((BNode(), p, o))  # one triple moved to a blank node of its own
    assert canonical_quads(changed) != rdf_quads


# --- the shipped vocabulary files are what the code generates ---------------------


@pytest.mark.parametrize(
    ("path", "generate", "command"),
    [
        (ONTOLOGY_FILE, ontology_turtle, "ontology"),
        (SHAPES_FILE, shapes_turtle, "shapes"),
        (
            ONTOLOGY_FILE.with_name("context.jsonld"),
            lambda: json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n",
            "context",
        ),
    ],
    ids=["ontology", "shapes", "context"],
)
def test_shipped_copy_is_current(path: Path, generate: object, command: str) -> None:
    assert callable(generate)
    assert path.read_text(encoding="utf-8") == generate(), (
        f"run: lorekit {command} -o {path.relative_to(ROOT)}"
    )


# --- the ontology -----------------------------------------------------------------


def test_ontology_has_a_class_per_kind_and_a_property_per_predicate() -> None:
    onto = ontology()
    for model in ("Character", "Faction", "Title", "Place", "Work", "Event", "Person",
                  "Concept", "Source"):  # fmt: skip
        assert (term(model), RDF.type, OWL.Class) in onto
        assert (term(model), RDFS.subClassOf, LORE.Entity) in onto
    for name, kind in lorekit.RELATIONS.items():
        prop = term(name)
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert onto.value(prop, RDFS.label) == Literal(kind.label, lang="en")
        assert onto.value(prop, RDFS.comment) is not None
        assert onto.value(prop, RDFS.domain) is not None
        assert onto.value(prop, RDFS.range) is not None
        assert ((prop, RDF.type, OWL.SymmetricProperty) in onto) is kind.symmetric
        if kind.inverse:
            assert (prop, OWL.inverseOf, term(kind.inverse)) in onto


def test_ontology_domains_and_ranges_follow_the_registry() -> None:
    onto = ontology()
    assert onto.value(LORE.member_of, RDFS.domain) == LORE.Character
    assert onto.value(LORE.member_of, RDFS.range) == LORE.Faction
    union = onto.value(LORE.ally_of, RDFS.domain)
    members = set(onto.items(onto.value(union, OWL.unionOf)))
    assert members == {LORE.Character, LORE.Faction}
    assert onto.value(LORE.release_date, RDFS.range) is not None
    assert onto.value(LORE.release_date, RDFS.comment) == Literal(
        "First public release.", lang="en"
    )


def test_alignment_uses_skos_and_never_equivalent_class() -> None:
    onto = ontology()
    assert (LORE.Character, SKOS.exactMatch, WD.Q95074) in onto
    assert (LORE.Faction, SKOS.closeMatch, WD.Q14623646) in onto
    assert (LORE.Universe, SKOS.closeMatch, WD.Q196600) in onto
    assert (LORE.member_of, SKOS.exactMatch, WDT.P463) in onto
    assert (LORE.appears_in, SKOS.exactMatch, WDT.P1441) in onto
    assert (LORE.first_appearance, SKOS.exactMatch, WDT.P4584) in onto
    assert (LORE.from_universe, SKOS.exactMatch, WDT.P1080) in onto
    assert (LORE.follows, SKOS.exactMatch, WDT.P155) in onto
    assert (LORE.followed_by, SKOS.exactMatch, WDT.P156) in onto
    assert (LORE.music_by, SKOS.exactMatch, SDO.musicBy) in onto
    assert (LORE.features, SKOS.closeMatch, SDO.character) in onto
    assert (LORE.portrayed_by, SKOS.closeMatch, SDO.actor) in onto
    assert (LORE.rating, SKOS.exactMatch, SDO.reviewRating) in onto
    assert not list(onto.triples((None, OWL.equivalentClass, None)))


def test_vocabulary_typos_are_errors() -> None:
    with pytest.raises(AttributeError):
        term("memberof")
    with pytest.raises(AttributeError):
        _ = LORE.Charcter


def test_field_names_never_clash_with_predicates() -> None:
    from lorekit._rdf.vocab import field_owner_models

    clash = set(field_owner_models()) & {*lorekit.RELATIONS, *(
        k.inverse for k in lorekit.RELATIONS.values() if k.inverse)}  # fmt: skip
    assert not clash, "a model field and a predicate would share one RDF property"


# --- what the export says ---------------------------------------------------------


def test_plain_triple_is_there_for_naive_sparql(rdf: Graph) -> None:
    assert (iri("eve-macarro"), LORE.member_of, iri("ruska-roma")) in rdf
    assert (iri("eve-macarro-father"), LORE.member_of, iri("kikimora")) in rdf
    # symmetric predicates read both ways
    assert (iri("charon"), LORE.ally_of, iri("john-wick")) in rdf
    assert (iri("john-wick"), LORE.ally_of, iri("charon")) in rdf


def test_every_statement_is_reified_with_its_provenance(lore: LoreGraph, rdf: Graph) -> None:
    for st in lore.statements:
        node = iri(".".join(st.key))
        assert (node, RDF.type, RDF.Statement) in rdf
        assert rdf.value(node, RDF.subject) == iri(st.subject)
        assert rdf.value(node, RDF.predicate) == term(st.predicate)
        assert rdf.value(node, RDF.object) == iri(st.object)
        assert rdf.value(node, LORE.layer) == Literal(st.layer)
        if st.revealed_in:
            assert rdf.value(node, LORE.revealed_in) == iri(st.revealed_in)
        cited = {
            (rdf.value(d, PROV.entity), rdf.value(d, LORE.locator))
            for d in rdf.objects(node, PROV.qualifiedDerivation)
        }
        expected = {(iri(c.source), Literal(c.locator) if c.locator else None) for c in st.sources}
        assert cited == expected, st.key
        assert set(rdf.objects(node, PROV.wasDerivedFrom)) == {iri(c.source) for c in st.sources}


def test_statement_note_layer_and_locators_for_one_known_fact(rdf: Graph) -> None:
    node = iri("eve-macarro.portrayed_by.ana-de-armas")
    assert rdf.value(node, LORE.layer) == Literal("production")
    assert rdf.value(node, LORE.note) == Literal("lead role")
    locators = {
        str(rdf.value(d, LORE.locator)) for d in rdf.objects(node, PROV.qualifiedDerivation)
    }
    assert locators == {"¶1", "¶4", "¶6"}


def test_notes_carry_text_layer_and_sources(lore: LoreGraph, rdf: Graph) -> None:
    for note in lore.notes:
        node = iri(f"note.{note.id}")
        assert (node, RDF.type, LORE.Note) in rdf
        assert rdf.value(node, LORE.text) == Literal(note.text)
        assert rdf.value(node, LORE.layer) == Literal(note.layer)
        assert set(rdf.objects(node, LORE.about)) == {iri(i) for i in note.about}


def test_people_are_schema_persons_and_characters_are_not(rdf: Graph) -> None:
    assert (iri("ana-de-armas"), RDF.type, SDO.Person) in rdf
    assert (iri("eve-macarro"), RDF.type, SDO.Person) not in rdf
    assert (iri("eve-macarro"), RDF.type, LORE.Character) in rdf
    assert (iri("ballerina"), RDF.type, SDO.Movie) in rdf
    assert (iri("john-wick-franchise"), RDF.type, SDO.MovieSeries) in rdf
    assert (iri("screen-scribe-ballerina"), RDF.type, SDO.Review) in rdf
    rating = rdf.value(iri("screen-scribe-ballerina"), LORE.rating)
    assert isinstance(rating, BNode)
    value = rdf.value(rating, LORE.value)
    assert isinstance(value, Literal) and value.toPython() == 2.5


def test_release_order_is_derived_for_works_of_one_form(rdf: Graph) -> None:
    assert rdf.value(iri("ballerina"), LORE.follows) == iri("john-wick-chapter-4")
    assert rdf.value(iri("john-wick-2014"), LORE.followed_by) == iri("john-wick-chapter-2")
    assert rdf.value(iri("john-wick-2014"), LORE.follows) is None


def test_wikidata_ids_become_owl_same_as(lore: LoreGraph) -> None:
    universe = lore.universe
    entities = tuple(
        e.model_copy(update={"wikidata": "Q43416"}) if e.id == "keanu-reeves" else e
        for e in universe.entities
    )
    graph = LoreGraph(universe.model_copy(update={"entities": entities})).to_rdf()
    assert (iri("keanu-reeves"), OWL.sameAs, WD.Q43416) in graph
    assert list(graph.objects(iri("john-wick"), OWL.sameAs)) == []


def test_turtle_is_readable(turtle: str) -> None:
    assert turtle.startswith("@prefix john-wick: <https://w3id.org/lorekit/universe/john-wick/>")
    assert "john-wick: a lore:Universe" in turtle
    assert "john-wick:eve-macarro a lore:Character ;" in turtle
    assert "lore:member_of john-wick:ruska-roma" in turtle
    assert "ns1:" not in turtle  # every namespace has a chosen prefix
    assert turtle.index("john-wick: a lore:Universe") < turtle.index("a lore:Character")
    assert turtle.index("a lore:Character") < turtle.index("a rdf:Statement")


def test_dataset_export_puts_the_universe_in_a_named_graph(lore: LoreGraph) -> None:
    ds = lore.to_rdf(dataset=True)
    names = {g.identifier for g in ds.graphs() if len(g)}  # type: ignore[attr-defined]
    assert names == {URIRef(BASE)}


def test_custom_base(lore: LoreGraph) -> None:
    graph = lore.to_rdf(base="https://example.org/jw/")
    eve, roma = (
        URIRef("https://example.org/jw/eve-macarro"),
        URIRef("https://example.org/jw/ruska-roma"),
    )
    assert (eve, LORE.member_of, roma) in graph
    with pytest.raises(ValueError, match="must end with"):
        lore.to_rdf(base="https://example.org/jw")


def test_jsonld_reads_as_plain_json(lore: LoreGraph) -> None:
    doc = json.loads(serialize_rdf(lore, "jsonld"))
    assert doc["@context"][0] == jsonld_context()["@context"]
    assert doc["@context"][1] == {"@base": BASE}
    nodes = {n["id"]: n for n in doc["@graph"]}
    eve = nodes["eve-macarro"]
    assert eve["type"] == "Character"
    assert eve["name"] == "Eve Macarro"
    assert eve["member_of"] == ["ruska-roma"]
    assert eve["sources"] == [
        {"type": "Citation", "locator": "¶2", "source": "screen-scribe-ballerina"}
    ]
    st = nodes["eve-macarro.member_of.ruska-roma"]
    assert (st["subject"], st["predicate"], st["object"]) == (
        "eve-macarro", "member_of", "ruska-roma")  # fmt: skip
    assert nodes["ballerina"]["release_date"] == "2025-06-06"
    assert nodes["ballerina"]["development_began"] == 2017


# --- round trips --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_is_lossless(
    lore: LoreGraph, rdf_quads: set[str], fmt: RdfFormat, tmp_path: Path
) -> None:
    path = tmp_path / f"lore{SUFFIX[fmt]}"
    text = serialize_rdf(lore, fmt)
    path.write_text(text, encoding="utf-8")
    back = lorekit.load(path)
    assert back.universe == canonical(lore.universe)
    assert canonical_quads(back.to_rdf()) == rdf_quads  # isomorphic to the original
    assert serialize_rdf(back, fmt) == text
    # the rebuilt graph answers like the original
    assert {e.id for e in back.members("Ruska Roma")} == {e.id for e in lore.members("Ruska Roma")}
    assert back.origin(back.entity("Eve")) is not None


UNIVERSES = sorted(p for p in (ROOT / "data").iterdir() if p.is_dir())


@pytest.mark.parametrize("data", UNIVERSES, ids=[p.name for p in UNIVERSES])
def test_every_shipped_universe_round_trips_and_conforms(data: Path, tmp_path: Path) -> None:
    from lorekit._rdf.shacl import validate_shacl

    lore = lorekit.load(data)
    path = tmp_path / f"{data.name}.ttl"
    path.write_text(serialize_rdf(lore, "ttl"), encoding="utf-8")
    assert lorekit.load(path).universe == canonical(lore.universe)
    report = validate_shacl(path)
    assert report.conforms, str(report)


def test_canonical_keeps_everything(lore: LoreGraph) -> None:
    u = canonical(lore.universe)
    assert {e.id for e in u.entities} == {e.id for e in lore.universe.entities}
    assert {s.key for s in u.statements} == {s.key for s in lore.statements}
    assert [e.id for e in u.entities] == sorted(e.id for e in u.entities)
    assert canonical(u) == u


def test_oxigraph_parses_the_turtle(turtle: str, rdf: Graph) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    triples = list(pyoxigraph.parse(turtle.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(rdf)


def test_export_is_byte_identical_across_processes(lore: LoreGraph) -> None:
    code = (
        "import json, lorekit, sys\n"
        "lore = lorekit.load()\n"
        "formats = ['ttl', 'nt', 'jsonld', 'xml', 'trig', 'nq']\n"
        "json.dump({f: lorekit.serialize_rdf(lore, f) for f in formats}, sys.stdout)\n"
    )
    expected = {fmt: serialize_rdf(lore, fmt) for fmt in FORMATS}
    for seed in ("1", "2"):  # set and dict order differ between these processes
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                env=env, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == expected


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_deterministic(lore: LoreGraph, fmt: RdfFormat) -> None:
    again = lorekit.load()
    assert serialize_rdf(lore, fmt) == serialize_rdf(again, fmt)


# --- import errors ------------------------------------------------------------------


def load_errors(path: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        lorekit.load(path)
    return [str(e) for e in info.value.errors]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_turtle_syntax_error_has_its_line(turtle: str, tmp_path: Path) -> None:
    bad = turtle.replace('rdfs:label "Eve Macarro" ;', 'rdfs:label "Eve Macarro ;', 1)
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    line = line_of(bad, 'rdfs:label "Eve Macarro ;')
    assert load_errors(path) == [
        f"{path}:{line}: not valid Turtle: newline found in string literal"
    ]


@pytest.mark.parametrize(
    ("suffix", "text", "line", "message"),
    [
        (".nt", "<http://a/x> <http://a/p> <http://a/o> .\n<http://a/x> <http://a/p> \"o .\n", 2,
         "not valid N-Triples"),
        # U+2028 and U+0085 are characters of a line to RDF parsers, not line breaks
        (".nt", "<http://a/x> <http://a/p> \"a\u2028b\u0085c\" .\n"
         "<http://a/x> <http://a/p> \"o .\n", 2, "not valid N-Triples"),
        (".jsonld", '{\n  "@id": "x",\n  oops\n}\n', 3, "not valid JSON"),
        (".rdf", "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf="
         "'http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<x>\n</rdf:RDF>\n", 4,
         "not valid RDF/XML"),
    ],
    ids=["nt", "nt-line-separator", "jsonld", "xml"],
)  # fmt: skip
def test_syntax_errors_of_other_formats_have_lines(
    tmp_path: Path, suffix: str, text: str, line: int, message: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    [error] = load_errors(path)
    assert error.startswith(f"{path}:{line}: {message}")


def test_predicate_not_in_the_ontology_names_the_triple(turtle: str, tmp_path: Path) -> None:
    bad = turtle + "\njohn-wick:winston lore:memberof john-wick:high-table .\n"
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    [error] = load_errors(path)
    line = line_of(bad, "john-wick:winston a lore:Character")
    assert error == (
        f"{path}:{line}: john-wick:winston lore:memberof john-wick:high-table: "
        "lore:memberof is not a property of the lorekit ontology "
        "(did you mean lore:member_of or lore:has_member?)"
    )


def test_entity_with_no_type_is_one_clear_error(turtle: str, tmp_path: Path) -> None:
    bad = turtle.replace("john-wick:eve-macarro a lore:Character ;", "john-wick:eve-macarro", 1)
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    [error] = load_errors(path)  # and no cascade of "unknown id 'eve-macarro'"
    assert error.startswith(f"{path}:{line_of(bad, 'john-wick:eve-macarro')}: ")
    assert "john-wick:eve-macarro has no rdf:type" in error
    assert "lore:Character" in error


def test_misspelt_class_gets_a_suggestion(turtle: str, tmp_path: Path) -> None:
    bad = turtle.replace("john-wick:winston a lore:Character", "john-wick:winston a lore:Charactr")
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    [error] = load_errors(path)
    assert "lore:Charactr, which is not a class of the lorekit ontology" in error
    assert "did you mean lore:Character?" in error


def test_statement_without_provenance_is_an_error(turtle: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(turtle + "\njohn-wick:winston lore:member_of john-wick:high-table .\n")
    [error] = load_errors(path)
    assert "john-wick:winston lore:member_of john-wick:high-table: no rdf:Statement node" in error


def test_model_errors_come_through_with_the_records_line(turtle: str, tmp_path: Path) -> None:
    bad = turtle.replace('"2014-10-24"^^xsd:date', '"2014-13-24"^^xsd:date', 1)
    bad = bad.replace('lore:category "syndicate"', 'lore:category "syndikate"', 1)
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    errors = load_errors(path)
    assert errors == [
        f"{path}:{line_of(bad, 'john-wick:camorra a lore:Faction')}: faction 'camorra': "
        "category: must be one of 'syndicate', 'council', 'unit', 'cult', 'guild' or "
        "'organisation' (got 'syndikate')",
        f"{path}:{line_of(bad, 'john-wick:john-wick-2014 a')}: work 'john-wick-2014': "
        "release_date: not a valid date; write it as YYYY-MM-DD (got '2014-13-24')",
    ]


def test_cross_reference_errors_are_those_of_the_loader(turtle: str, tmp_path: Path) -> None:
    bad = turtle.replace(
        "rdf:object john-wick:ruska-roma ;\n    rdf:predicate lore:member_of ;\n"
        "    rdf:subject john-wick:eve-macarro ;",
        "rdf:object john-wick:ballerina ;\n    rdf:predicate lore:member_of ;\n"
        "    rdf:subject john-wick:eve-macarro ;",
    ).replace("lore:member_of john-wick:ruska-roma ;", "lore:member_of john-wick:ballerina ;")
    assert bad.count("john-wick:ballerina ;\n    rdf:predicate lore:member_of") == 1
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    errors = load_errors(path)
    assert any(
        "statement 'eve-macarro member_of ballerina': object 'ballerina' is a work; "
        "the object of member_of must be a faction" in e
        for e in errors
    ), errors


def test_file_that_is_not_a_lorekit_export(tmp_path: Path) -> None:
    path = tmp_path / "foaf.ttl"
    path.write_text(
        '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<http://a/me> foaf:name "Me" .\n'
    )
    [error] = load_errors(path)
    assert error.startswith(f"{path}:1: no node of type lore:Universe")


def test_missing_rdf_file(tmp_path: Path) -> None:
    [error] = load_errors(tmp_path / "nowhere.ttl")
    assert error.endswith("nowhere.ttl: no such file")


def test_ontology_and_shapes_merged_into_the_data_are_ignored(
    lore: LoreGraph, tmp_path: Path
) -> None:
    from lorekit._rdf.shacl import shacl_shapes

    path = tmp_path / "with-ontology.ttl"
    merged = lore.to_rdf() + ontology() + shacl_shapes()
    path.write_text(merged.serialize(format="turtle"), encoding="utf-8")
    assert lorekit.load(path).universe == canonical(lore.universe)


def test_jsonld_referring_to_the_published_context(lore: LoreGraph, tmp_path: Path) -> None:
    from lorekit._rdf.vocab import CONTEXT_URL

    doc = json.loads(serialize_rdf(lore, "jsonld"))
    doc["@context"][0] = CONTEXT_URL  # read from the shipped copy, never fetched
    path = tmp_path / "lore.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert lorekit.load(path).universe == canonical(lore.universe)


# --- the CLI --------------------------------------------------------------------------


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lorekit"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip


def test_cli_export_reimport_and_validate(turtle: str, tmp_path: Path) -> None:
    out = tmp_path / "lore.ttl"
    result = run("export", "--format", "ttl", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == turtle
    result = run("validate", "--data", str(out))
    assert result.returncode == 0, result.stderr
    entities = len(list(lorekit.load().entities()))
    assert result.stdout.startswith(f"ok: The World of John Wick: {entities} entities")


def test_cli_export_format_from_suffix_and_stdout(tmp_path: Path) -> None:
    out = tmp_path / "lore.nt"
    assert run("export", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<https://")
    result = run("export", "--format", "jsonld")
    assert result.returncode == 0
    assert json.loads(result.stdout)["@graph"][0]["type"] == "Universe"


def test_cli_export_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "lore.ttl"
    out.write_text("previous export\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("characters:\n  - {id: x}\n")
    result = run("export", "--data", str(bad), "-o", str(out))
    assert result.returncode == 1
    assert out.read_text() == "previous export\n"  # untouched when the data is broken
    result = run("export", "-o", str(tmp_path / "no-such-dir" / "lore.ttl"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "lore.ttl"]


def test_cli_reads_rdf_everywhere(tmp_path: Path) -> None:
    out = tmp_path / "lore.jsonld"
    assert run("export", "-o", str(out)).returncode == 0
    result = run("path", "Eve Macarro", "John Wick", "--data", str(out))
    assert result.returncode == 0, result.stderr
    assert "Eve Macarro —member of→ Ruska Roma —has member→ John Wick" in result.stdout


def test_cli_rdf_errors_have_no_traceback(turtle: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(turtle.replace('"Eve Macarro" ;', '"Eve Macarro ;', 1), encoding="utf-8")
    result = run("validate", "--data", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:")


@pytest.mark.parametrize("command", ["ontology", "shapes", "context"])
def test_cli_writes_the_vocabulary(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(command, "-o", str(out))
    assert result.returncode == 0, result.stderr
    shipped = {"ontology": "lorekit.ttl", "shapes": "shapes.ttl", "context": "context.jsonld"}
    assert out.read_bytes() == (ONTOLOGY_FILE.parent / shipped[command]).read_bytes()
