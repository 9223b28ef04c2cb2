"""GraphML, GEXF and CSV exports, read back by networkx and by independent readers.

GraphML is read by networkx and by igraph (its own C parser, libxml2 based);
GEXF by networkx and validated by lxml against ``schemas/gexf-1.3-static.xsd``
(the static part of GEXF 1.3, transcribed from the published specification:
no package we can install ships the official XSD); CSV by the csv module, as
a spreadsheet or Neo4j's ``LOAD CSV WITH HEADERS`` sees it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import lorekit
from lorekit import Character, Citation, Faction, LoreGraph, Statement, Universe, UniverseInfo
from lorekit._views.graph_formats import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    edge_records,
    node_records,
    to_gexf,
    to_graphml,
)

HERE = Path(__file__).resolve().parent
XSD = HERE / "schemas" / "gexf-1.3-static.xsd"
BIDI = "\u202eevil\u202c \u2066isolate\u2069 \u200f"


def _bidi_universe() -> LoreGraph:
    """Names with bidi controls, markup, quotes and CSV metacharacters."""
    cite = (Citation(source="w"),)
    return LoreGraph(
        Universe(
            info=UniverseInfo(id="bidi", name=f"<script>alert('u')</script>{BIDI}"),
            entities=(
                Character(id="a", name=f"<script>alert(1)</script>{BIDI}", description='a,"b"\nc'),
                Faction(id="b", name='=HYPERLINK("http://x")\t\'; DROP', description=None),
                lorekit.Work(id="w", name="W & <b>"),
            ),
            statements=(
                Statement(
                    subject="a",
                    predicate="member_of",
                    object="b",
                    sources=cite,
                    note=f"</edge><edge>{BIDI}",
                ),
                Statement(subject="a", predicate="appears_in", object="w", sources=cite),
            ),
        )
    )


@pytest.fixture(scope="module", params=["john-wick", "hostile", "bidi"])
def graph(request: pytest.FixtureRequest, lore: LoreGraph) -> LoreGraph:
    if request.param == "john-wick":
        return lore
    if request.param == "hostile":
        return lorekit.load(HERE / "hostile")
    return _bidi_universe()


def _expected(graph: LoreGraph) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    nodes = {n["id"]: n for n in node_records(graph)}
    edges = {e["id"]: e for e in edge_records(graph)}
    return nodes, edges


def test_records_carry_every_column_of_every_entity_and_statement(lore: LoreGraph) -> None:
    nodes, edges = _expected(lore)
    assert len(nodes) == len(lore) and len(edges) == len(lore.statements)
    assert all(tuple(n) == NODE_COLUMNS for n in nodes.values())
    assert all(tuple(e) == EDGE_COLUMNS for e in edges.values())
    eve = nodes["eve-macarro"]
    assert (eve["name"], eve["kind"]) == ("Eve Macarro", "character")
    assert eve["description"] == lore.entity("eve-macarro").description
    st = next(s for s in lore.statements if s.note and len(s.sources) > 1)
    edge = edges[".".join(st.key)]
    assert edge["note"] == st.note
    assert edge["sources"] == "; ".join(str(c) for c in st.sources)
    assert edge["reading"] == lorekit.RELATIONS[st.predicate].label
    assert (edge["source"], edge["target"], edge["layer"]) == (st.subject, st.object, st.layer)


def test_graphml_reads_back_in_networkx(graph: LoreGraph, tmp_path: Path) -> None:
    nodes, edges = _expected(graph)
    path = tmp_path / "g.graphml"
    path.write_text(to_graphml(graph), encoding="utf-8")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.is_directed() and back.is_multigraph()
    assert {n: dict(d, id=n) for n, d in back.nodes(data=True)} == nodes
    read = {k: dict(d, id=k, source=u, target=v) for u, v, k, d in back.edges(keys=True, data=True)}
    assert read == edges


def test_graphml_reads_back_in_igraph(graph: LoreGraph, tmp_path: Path) -> None:
    import igraph

    nodes, edges = _expected(graph)
    path = tmp_path / "g.graphml"
    path.write_text(to_graphml(graph), encoding="utf-8")
    back = igraph.Graph.Read_GraphML(str(path))
    assert back.is_directed()
    assert (back.vcount(), back.ecount()) == (len(nodes), len(edges))
    read_nodes = {v["id"]: {c: v[c] for c in NODE_COLUMNS[1:]} for v in back.vs}
    assert read_nodes == {i: {c: n[c] for c in NODE_COLUMNS[1:]} for i, n in nodes.items()}
    # igraph 1.0 fills its edge "id" attribute with a vertex's id, so edges are
    # matched by their ends and predicate (a statement's key) instead
    read_edges = {
        ".".join((back.vs[e.source]["id"], e["predicate"], back.vs[e.target]["id"])): {
            c: e[c] for c in EDGE_COLUMNS[3:]
        }
        for e in back.es
    }
    assert read_edges == {i: {c: e[c] for c in EDGE_COLUMNS[3:]} for i, e in edges.items()}


def test_gexf_validates_against_the_gexf_1_3_schema(graph: LoreGraph) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(to_gexf(graph).encode("utf-8"))
    assert schema.validate(document), schema.error_log
    ns = {"g": "http://gexf.net/1.3"}
    nodes, edges = _expected(graph)
    assert len(document.findall(".//g:node", ns)) == len(nodes)
    assert len(document.findall(".//g:edge", ns)) == len(edges)
    # the schema itself refuses what lorekit must not write
    document.find(".//g:graph", ns).set("defaultedgetype", "sideways")
    assert not schema.validate(document)


def test_gexf_reads_back_in_networkx(graph: LoreGraph, tmp_path: Path) -> None:
    nodes, edges = _expected(graph)
    path = tmp_path / "g.gexf"
    path.write_text(to_gexf(graph), encoding="utf-8")
    back = nx.read_gexf(path, version="1.3")
    assert back.is_directed()
    read_nodes = {
        n: {"id": n, **{c: d[c] for c in NODE_COLUMNS[1:]}} for n, d in back.nodes(data=True)
    }
    assert read_nodes == nodes
    assert {n: d["label"] for n, d in back.nodes(data=True)} == {
        i: n["name"] for i, n in nodes.items()
    }
    read_edges = {
        d["id"]: {"id": d["id"], "source": u, "target": v, **{c: d[c] for c in EDGE_COLUMNS[3:]}}
        for u, v, d in back.edges(data=True)
    }
    assert read_edges == edges


def test_xml_formats_escape_markup_and_bidi_controls() -> None:
    bidi = _bidi_universe()
    for text in (to_graphml(bidi), to_gexf(bidi)):
        assert "<script>" not in text and "</edge><edge>" not in text
        assert "\u202e" not in text and "&#8238;" in text  # a reference, never the raw control


def test_xml_formats_refuse_what_xml_cannot_carry() -> None:
    cite = (Citation(source="w"),)
    bad = LoreGraph(
        Universe(
            info=UniverseInfo(id="bad", name="bad"),
            entities=(Character(id="a", name="a\x07b"), lorekit.Work(id="w", name="W")),
            statements=(Statement(subject="a", predicate="appears_in", object="w", sources=cite),),
        )
    )
    for writer in (to_graphml, to_gexf):
        with pytest.raises(lorekit.OutputError, match=r"'a': its name holds U\+0007"):
            writer(bad)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lorekit", *args], capture_output=True, text=True, timeout=120
    )


def test_export_csv_writes_nodes_and_edges_into_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "jw"
    done = _cli("export", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    nodes, edges = _expected(lorekit.load())
    with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
        assert {r["id"]: r for r in csv.DictReader(f)} == nodes
    with open(out / "edges.csv", newline="", encoding="utf-8") as f:
        assert {r["id"]: r for r in csv.DictReader(f)} == edges
    # a second export does not write into (or over) what is there
    again = _cli("export", "--format", "csv", "-o", str(out))
    assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jw"]
    to_stdout = _cli("export", "--format", "csv")
    assert to_stdout.returncode == 2 and "-o DIR" in to_stdout.stderr


def test_csv_keeps_hostile_text_as_data(tmp_path: Path) -> None:
    from lorekit._views.graph_formats import write_graph

    bidi = _bidi_universe()
    write_graph(bidi, "csv", tmp_path / "out")
    nodes, edges = _expected(bidi)
    with open(tmp_path / "out" / "nodes.csv", newline="", encoding="utf-8") as f:
        assert {r["id"]: r for r in csv.DictReader(f)} == nodes
    with open(tmp_path / "out" / "edges.csv", newline="", encoding="utf-8") as f:
        assert {r["id"]: r for r in csv.DictReader(f)} == edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_picks_the_format_from_the_suffix_and_applies_as_of(
    fmt: str, tmp_path: Path
) -> None:
    path = tmp_path / f"jw.{fmt}"
    done = _cli("export", "--as-of", "john-wick-2014", "-o", str(path))
    assert done.returncode == 0, done.stderr
    cut = lorekit.load().as_of("john-wick-2014")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path, version="1.3")
    assert set(back.nodes) == {e.id for e in cut.entities()}
    assert back.number_of_edges() == len(cut.statements) < len(lorekit.load().statements)
    assert "Eve Macarro" not in path.read_text(encoding="utf-8")  # Ballerina comes later
    stdout = _cli("export", "--format", fmt, "--as-of", "john-wick-2014")
    assert stdout.stdout == path.read_text(encoding="utf-8")  # deterministic, and -o - alike


def test_export_refuses_base_for_graph_formats() -> None:
    done = _cli("export", "--format", "gexf", "--base", "https://example.org/")
    assert done.returncode == 2 and "--base" in done.stderr
