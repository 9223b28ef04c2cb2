"""The direct Turtle and N-Triples writer: the same RDF as the rdflib graph, written fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.serializers.nt import _nt_row

import lorekit
from lorekit import LoreGraph
from lorekit._load.synth import synthesize
from lorekit._rdf.export import _turtle, serialize_rdf, to_rdf
from lorekit._rdf.triples import _nt_string, _ttl_string
from lorekit._rdf.vocab import quiet_rdflib

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


def rdflib_turtle(lore: LoreGraph) -> str:
    """Turtle as the export wrote it before the direct writer: rdflib's serializer."""
    return _turtle(to_rdf(lore), trig=False)


def rdflib_ntriples(lore: LoreGraph) -> str:
    with quiet_rdflib():
        return "".join(sorted({_nt_row(t) for t in to_rdf(lore)}))


@pytest.fixture(params=["john-wick", "synthetic", "hostile"])
def universe(
    request: pytest.FixtureRequest, lore: LoreGraph, synthetic: LoreGraph, hostile: LoreGraph
) -> LoreGraph:
    return {"john-wick": lore, "synthetic": synthetic, "hostile": hostile}[request.param]


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_text_is_what_rdflib_writes(fmt: str, universe: LoreGraph) -> None:
    """Turtle as rdflib's serializer wrote it; N-Triples as rdflib's lines."""
    expected = rdflib_turtle(universe) if fmt == "ttl" else rdflib_ntriples(universe)
    assert serialize_rdf(universe, fmt) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_export_parses_to_the_graph(fmt: str, universe: LoreGraph) -> None:
    text = serialize_rdf(universe, fmt)  # type: ignore[arg-type]
    expected = universe.to_rdf()
    parsed = Graph().parse(data=text, format="turtle" if fmt == "ttl" else "nt")
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_oxigraph_reads_the_export(fmt: str, synthetic: LoreGraph, hostile: LoreGraph) -> None:
    ox = pytest.importorskip("pyoxigraph")
    syntax = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.N_TRIPLES
    for universe in (synthetic, hostile):
        text = serialize_rdf(universe, fmt)  # type: ignore[arg-type]
        triples = set(ox.parse(text.encode(), format=syntax))
        assert len(triples) == len(universe.to_rdf())


def test_custom_base(lore: LoreGraph) -> None:
    base = "https://example.org/jw#"
    text = serialize_rdf(lore, "ttl", base=base)
    assert isomorphic(Graph().parse(data=text, format="turtle"), lore.to_rdf(base=base))
    assert serialize_rdf(lore, "nt", base=base) == "".join(
        sorted({_nt_row(t) for t in to_rdf(lore, base=base)})
    )
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
    ox = pytest.importorskip("pyoxigraph")
    for data, syntax in ((ttl, ox.RdfFormat.TURTLE), (nt, ox.RdfFormat.N_TRIPLES)):
        [triple] = ox.parse(data.encode(), format=syntax)
        assert triple.object.value == text


@pytest.mark.parametrize("text", [t for t in TRICKY if not t.endswith('\\"')])
def test_strings_are_quoted_as_rdflib_quotes_them(text: str) -> None:
    assert _ttl_string(text) == Literal(text)._quote_encode()
    with quiet_rdflib():
        assert _nt_string(text) == _nt_row((URIRef("x:s"), URIRef("x:p"), Literal(text)))[12:-3]
