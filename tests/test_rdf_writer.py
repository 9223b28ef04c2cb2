"""One mapping, several sinks: every RDF output carries the same triples.

:func:`lorekit._rdf.triples.triples` is the one model-to-triples mapping; the
text sinks (Turtle, N-Triples) and the rdflib sink (:func:`to_rdf`, and through
it RDF/XML, JSON-LD, TriG and N-Quads) must agree on it, and every output must
stay byte for byte what it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.serializers.nt import _nt_row

import lorekit
from lorekit import LoreGraph
from lorekit._core.formats import RDF_FORMATS
from lorekit._load.synth import synthesize
from lorekit._rdf.export import _turtle, serialize_rdf, to_rdf
from lorekit._rdf.text import _nt_string, _ttl_string
from lorekit._rdf.triples import triples
from lorekit._rdf.vocab import quiet_rdflib, universe_base

HERE = Path(__file__).resolve().parent

TRICKY = [
    "plain",
    'say "hi"',
    "back\\slash",
    "ends in a backslash\\",
    'ends in a quote"',
    "two\nlines",
    'two\nlines, a quote at the end"',
    'two\nlines, two quotes at the end""',
    'two\nlines, three quotes at the end"""',
    'two\nlines, four quotes at the end""""',
    'two\nlines, an escaped quote at the end\\"',  # rdflib's Turtle gets this one wrong
    'two\nlines """ inside',
    "carriage\r\nreturn",
    "\r",
    "tab\tand \x01 \x0b \x0c \x1f \x7f controls",
    "<script>alert('x')</script>",
    "line\u2028and paragraph\u2029separators",
    "¶2 — unicode 😀",
    "\\n is not a newline",
    '"',
    '"""',
    "\n",
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> LoreGraph:
    path = synthesize(tmp_path_factory.mktemp("synth") / "u", entities=60, seed=7)
    return lorekit.load(path)


@pytest.fixture(scope="module")
def hostile() -> LoreGraph:
    return lorekit.load(HERE / "hostile")


def rdflib_turtle(graph: Graph) -> str:
    """rdflib's own Turtle serializer over the rdflib sink's graph."""
    return _turtle(graph, trig=False)


def rdflib_ntriples(graph: Graph) -> str:
    with quiet_rdflib():
        return "".join(sorted({_nt_row(t) for t in graph}))


def parsed(text: str, fmt: str) -> Graph:
    """``text`` read back by rdflib: a graph, or a dataset for TriG and N-Quads."""
    info = RDF_FORMATS[fmt]  # type: ignore[index]
    graph = Dataset() if info.dataset else Graph()
    with quiet_rdflib():
        return graph.parse(data=text, format=info.rdflib)


def canonical(graph: Graph) -> frozenset[str]:
    """The graph's triples, blank nodes labelled canonically (RDFC-1.0, by Oxigraph).

    Two graphs are isomorphic exactly when these are equal: the test of
    ``rdflib.compare.isomorphic``, in a fraction of its time.
    """
    with quiet_rdflib():
        text = graph.serialize(format="nt", encoding="utf-8")
    found = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    found.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(str(quad) for quad in found)


@pytest.fixture(scope="module")
def sink() -> Callable[[LoreGraph], tuple[Graph, frozenset[str]]]:
    """The rdflib sink's graph of a universe and its canonical triples, made once a module.

    The tests only read the graph.
    """
    made: dict[int, tuple[Graph, frozenset[str]]] = {}

    def of(lore: LoreGraph) -> tuple[Graph, frozenset[str]]:
        if id(lore) not in made:
            graph = to_rdf(lore)
            made[id(lore)] = (graph, canonical(graph))
        return made[id(lore)]

    return of


Sink = Callable[[LoreGraph], tuple[Graph, frozenset[str]]]


@pytest.fixture(params=["john-wick", "synthetic", "hostile"])
def universe(
    request: pytest.FixtureRequest, lore: LoreGraph, synthetic: LoreGraph, hostile: LoreGraph
) -> LoreGraph:
    return {"john-wick": lore, "synthetic": synthetic, "hostile": hostile}[request.param]


# --- the sinks agree ------------------------------------------------------------------


def test_rdflib_sink_holds_each_distinct_triple_of_the_mapping(
    universe: LoreGraph, sink: Sink
) -> None:
    """Blank node labels are digests, so the graph's triples are the mapping's, term for term."""
    base = universe_base(universe.universe.info.id)

    def n3(o: object) -> str:
        if isinstance(o, tuple):
            _, lexical, datatype = o
            return Literal(lexical, datatype=datatype).n3()
        assert isinstance(o, str)
        return BNode(o[2:]).n3() if o.startswith("_:") else URIRef(o).n3()

    mapped = {(n3(s), n3(p), n3(o)) for s, p, o in triples(universe.universe, base)}
    graph = {(s.n3(), p.n3(), o.n3()) for s, p, o in sink(universe)[0]}
    assert graph == mapped


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml", "jsonld"])
def test_text_reads_back_as_the_rdflib_sinks_graph(
    fmt: str, universe: LoreGraph, sink: Sink
) -> None:
    text = serialize_rdf(universe, fmt)  # type: ignore[arg-type]
    expected, expected_canonical = sink(universe)
    back = parsed(text, fmt)  # read by rdflib
    assert len(back) == len(expected)
    assert canonical(back) == expected_canonical  # isomorphic


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_dataset_text_reads_back_as_the_rdflib_sinks_dataset(
    fmt: str, universe: LoreGraph, sink: Sink
) -> None:
    # the hostile universe has U+2028 inside a string: N-Quads lines are split at "\n" only
    base = URIRef(universe_base(universe.universe.info.id))
    back = parsed(serialize_rdf(universe, fmt), fmt)  # type: ignore[arg-type]
    expected = to_rdf(universe, dataset=True).graph(base)  # type: ignore[attr-defined]
    named = back.graph(base)  # type: ignore[attr-defined]
    assert len(named) == len(expected) == len(sink(universe)[0])
    assert canonical(named) == canonical(expected)  # isomorphic
    assert {g.identifier for g in back.graphs() if len(g)} == {base}  # type: ignore[attr-defined]


# --- the text is what it always was ------------------------------------------------

HOSTILE_SHA256 = {
    "ttl": "962a697d963d8d943e57cafc6187f8e623c2938d4d3d425ed3223a664da12e4b",
    "nt": "b259d142e2a4990cd56b2d33543214072911fad65354ad12ddf798e763582824",
    # jsonld: the context gained since/until, the dies_in/killed_by terms, story_rank and
    # story_precedes, then the saga's relation kinds (spouse, sibling, manages, ...),
    # then episode_of / has_episode, then story_position
    "jsonld": "184af481bcba6a6ae6b1a5eee04607074806d44ae2ed066641d03e699d6598f6",
    "xml": "13848e745cb388de4c7ae4ee896616e7f836a045e1c4d35907b66f20195c81a7",
    "trig": "78b93285c6b308ae544aac64603829a0ed24926183bd6d19a60f373dcf356ac2",
    # nq: since U+2028 inside a string no longer splits a line (the old file was unreadable)
    "nq": "b520e4613fbd8b75ede74f1b88bdd83977891c0b7fa9ba1a86f7c5ecdc8624e8",
}
"""Digests of the hostile universe's export in each format: a change to any byte fails."""


@pytest.mark.parametrize("fmt", list(HOSTILE_SHA256))
def test_hostile_export_is_byte_for_byte_unchanged(fmt: str, hostile: LoreGraph) -> None:
    text = serialize_rdf(hostile, fmt)  # type: ignore[arg-type]
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == HOSTILE_SHA256[fmt]


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_text_is_formatted_as_rdflib_formats_it(fmt: str, universe: LoreGraph, sink: Sink) -> None:
    """The text sinks write the triples as rdflib's serializers write the same graph.

    A check of the formatting (prefixes, order, quoting, inlined blank nodes),
    which lorekit's Turtle and N-Triples have always followed.
    """
    graph = sink(universe)[0]
    expected = rdflib_turtle(graph) if fmt == "ttl" else rdflib_ntriples(graph)
    assert serialize_rdf(universe, fmt) == expected  # type: ignore[arg-type]


def test_repeated_values_are_one_triple_in_every_sink(lore: LoreGraph) -> None:
    universe = lore.universe
    eve = next(e for e in universe.entities if e.id == "eve-macarro")
    twice = eve.model_copy(update={"aliases": (*eve.aliases, "Eve", "Eve"),
                                   "sources": eve.sources * 2})  # fmt: skip
    entities = tuple(twice if e.id == eve.id else e for e in universe.entities)
    doubled = LoreGraph(universe.model_copy(update={"entities": entities}))
    base = universe_base(universe.info.id)
    mapped = list(triples(doubled.universe, base))
    assert len(mapped) > len(set(mapped))
    assert len(to_rdf(doubled)) == len(set(mapped))
    for fmt in ("ttl", "nt"):
        assert len(parsed(serialize_rdf(doubled, fmt), fmt)) == len(set(mapped))  # type: ignore[arg-type]
    assert serialize_rdf(doubled, "nt").count('"Eve"') == 1


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_oxigraph_reads_the_export(
    fmt: str, synthetic: LoreGraph, hostile: LoreGraph, sink: Sink
) -> None:
    syntax = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.N_TRIPLES
    for universe in (synthetic, hostile):
        text = serialize_rdf(universe, fmt)  # type: ignore[arg-type]
        triples = set(ox.parse(text.encode(), format=syntax))
        assert len(triples) == len(sink(universe)[0])


def test_custom_base(lore: LoreGraph) -> None:
    base = "https://example.org/jw#"
    text = serialize_rdf(lore, "ttl", base=base)
    graph = to_rdf(lore, base=base)
    assert canonical(Graph().parse(data=text, format="turtle")) == canonical(graph)  # isomorphic
    assert serialize_rdf(lore, "nt", base=base) == rdflib_ntriples(graph)
    with pytest.raises(ValueError, match="must end with"):
        serialize_rdf(lore, "ttl", base="https://example.org/jw")


@pytest.mark.parametrize("text", TRICKY)
def test_strings_read_back_as_written(text: str) -> None:
    s = URIRef("http://example.org/s")
    p = URIRef("http://example.org/p")
    ttl = f"<{s}> <{p}> {_ttl_string(text)} .\n"
    nt = f"<{s}> <{p}> {_nt_string(text)} .\n"
    assert (s, p, Literal(text)) in Graph().parse(data=ttl, format="turtle")
    assert (s, p, Literal(text)) in Graph().parse(data=nt, format="nt")
    for data, syntax in ((ttl, ox.RdfFormat.TURTLE), (nt, ox.RdfFormat.N_TRIPLES)):
        [triple] = ox.parse(data.encode(), format=syntax)
        assert triple.object.value == text


@pytest.mark.parametrize("text", [t for t in TRICKY if not t.endswith('\\"')])
def test_strings_are_quoted_as_rdflib_quotes_them(text: str) -> None:
    assert _ttl_string(text) == Literal(text)._quote_encode()
    with quiet_rdflib():
        assert _nt_string(text) == _nt_row((URIRef("x:s"), URIRef("x:p"), Literal(text)))[12:-3]


# --- JSON-LD from the triples: the rdflib graph path's document ---------------------

_U = "https://example.org/u/"
_LORE = "https://w3id.org/lorekit/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PROV = "http://www.w3.org/ns/prov#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


def _lit(lexical: str, datatype: str | None = None) -> tuple[object, str, str | None]:
    """A literal as the mapping gives it: the value is rdflib's Python value of it."""
    value = lexical if datatype is None else Literal(lexical, datatype=datatype).toPython()
    return (value, lexical, datatype)


def _citation(label: str, source: str) -> list[tuple[str, str, object]]:
    return [(label, _RDF + "type", _PROV + "Derivation"), (label, _PROV + "entity", _U + source),
            (label, _LORE + "locator", _lit("¶2 — \"quoted\"\n\u2028"))]  # fmt: skip


_EVE = [
    (_U, _RDF + "type", _LORE + "Universe"),
    (_U + "eve", _RDF + "type", _LORE + "Character"),
    (_U + "eve", _RDF + "type", "https://schema.org/Person"),
    (_U + "eve", "http://www.w3.org/2000/01/rdf-schema#label", _lit("Eve")),
    *[(_U + "eve", _SKOS + "altLabel", _lit(t)) for t in ("b", "a", 'say "hi"\n', "a", "\x01 😀")],
    (_U + "eve", _LORE + "member_of", "https://elsewhere.example/x"),
    (_U + "eve", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q1"),
    (_U + "eve", _LORE + "development_began", _lit("2017", _XSD + "integer")),
    (_U + "eve", _LORE + "release_date", _lit("2014-10-24", _XSD + "date")),
    (_U + "eve", _LORE + "published", _lit("someday")),
    (_U + "eve", _LORE + "best", _lit("7.50", _XSD + "decimal")),
    (_U + "eve", "https://example.org/p", _lit("5", _XSD + "integer")),
    (_U + "eve", "https://example.org/p", _lit("true", _XSD + "boolean")),
    (_U + "eve", "https://example.org/p", _U + "bob"),
    (_U + "eve", "https://example.org/q", "_:empty"),
    (_U + "eve.member_of.x", _RDF + "predicate", _LORE + "member_of"),
    (_U + "eve.member_of.x", _RDF + "predicate", _LORE + "no_such_term"),
    (_U + "eve.member_of.x", _RDF + "subject", _U + "eve"),
    *_citation("_:c1", "src"),
    (_U + "eve", _PROV + "qualifiedDerivation", "_:c1"),
    *_citation("_:c2", "src"),  # alike, on another record and at another depth
    ("_:r1", _RDF + "type", _LORE + "Rating"),
    ("_:r1", _PROV + "qualifiedDerivation", "_:c2"),
    ("_:r1", _LORE + "value", _lit("7.5", _XSD + "decimal")),
    (_U + "bob", _LORE + "rating", "_:r1"),
    *_citation("_:c3", "src"),
    (_U + "bob", _PROV + "qualifiedDerivation", "_:c3"),
]
"""Triples the writer must lay out as the graph path does: every kind of value, nested
nodes alike at two depths, repeats, terms and IRIs outside the context."""


@pytest.mark.parametrize(
    "extra",
    [
        [],
        [(_U + "bob", _PROV + "qualifiedDerivation", "_:c1")],  # one blank node used twice
        [*_citation("_:orphan", "src")],  # one never used
    ],
    ids=["each-used-once", "used-twice", "never-used"],
)
def test_jsonld_from_the_triples_is_the_graph_paths(extra: list[tuple[str, str, object]]) -> None:
    from lorekit._rdf.export import add_triples
    from lorekit._rdf.jsonld import jsonld, to_jsonld

    found = [*_EVE, *extra]
    graph = Graph()
    add_triples(graph, found)  # type: ignore[arg-type]
    text = jsonld(found, _U)  # type: ignore[arg-type]
    assert text == to_jsonld(graph, _U)
    if extra:  # a blank node not used once is a top-level node of its own
        assert '"id": "_:' in text
    with quiet_rdflib():
        assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
