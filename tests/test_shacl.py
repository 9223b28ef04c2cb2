"""SHACL shapes from the registry, and `lorekit validate --shacl` on any RDF file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from lorekit import LoreGraph, RDFError, shacl_shapes, validate_shacl
from lorekit._rdf.export import serialize_rdf
from lorekit._rdf.vocab import SHAPE, term

PREFIXES = """\
@prefix lore: <https://w3id.org/lorekit/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/other-tool/> .
"""


@pytest.fixture(scope="module")
def turtle(lore: LoreGraph) -> str:
    return serialize_rdf(lore, "ttl")


def violations(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    report = validate_shacl(path)
    assert report.conforms is (not report.violations)
    return [str(v) for v in report.violations]


def test_shapes_come_from_the_registry() -> None:
    shapes = shacl_shapes()
    assert (SHAPE.Character, SH.targetClass, term("Character")) in shapes
    assert (SHAPE["member_of-subject"], SH.targetSubjectsOf, term("member_of")) in shapes
    assert (SHAPE["member_of-object"], SH.targetObjectsOf, term("member_of")) in shapes
    assert (SHAPE.Character, SH.closed, None) in shapes
    paths = {shapes.value(p, SH.path) for p in shapes.objects(SHAPE.Statement, SH.property)}
    assert {RDF.subject, RDF.predicate, RDF.object} <= paths
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) >= 9 + 2 * 25


def test_bundled_universe_conforms(lore: LoreGraph, turtle: str, tmp_path: Path) -> None:
    assert validate_shacl(lore).conforms
    assert violations(turtle, tmp_path) == []


def test_violations_read_clearly(turtle: str, tmp_path: Path) -> None:
    bad = (
        turtle.replace('rdfs:label "Eve Macarro" ;', 'rdfs:label "Eve Macarro", "Eve M" ;', 1)
        .replace('lore:category "syndicate"', 'lore:category "syndikate"', 1)
        .replace('"2014-10-24"^^xsd:date', '"2014-10-24"', 1)
    )
    bad += "\njohn-wick:eve-macarro lore:member_of john-wick:ballerina .\n"
    bad += "john-wick:eve-macarro lore:memberof john-wick:high-table .\n"
    found = violations(bad, tmp_path)
    assert (
        "john-wick:eve-macarro rdfs:label: character name (rdfs:label): exactly one value, a text"
        in found
    )  # noqa: E501
    assert (
        "john-wick:ballerina: the object of member_of (member of) must be a faction "
        "(value: john-wick:ballerina)" in found
    )
    assert any(
        v.startswith("john-wick:camorra lore:category: faction category") and "syndikate" in v
        for v in found
    )
    assert any(v.startswith("john-wick:john-wick-2014 lore:release_date: work release_date")
               and "a date (xsd:date)" in v for v in found)  # fmt: skip
    assert any(v.startswith("john-wick:eve-macarro lore:memberof:") for v in found)
    assert len(found) == 5, found


def test_rdf_from_another_tool(tmp_path: Path) -> None:
    """Hand-written data, with no universe node and its own IRIs, still gets checked."""
    text = PREFIXES + (
        'ex:eve a lore:Character ; rdfs:label "Eve" ; lore:member_of ex:roma .\n'
        'ex:roma a lore:Faction ; rdfs:label "Ruska Roma" ; lore:category "syndicate" .\n'
        "ex:stray lore:member_of ex:roma .\n"
        "ex:st a lore:Statement ; rdf:subject ex:eve ; rdf:predicate lore:member_of ;\n"
        '  rdf:object ex:roma ; lore:layer "gossip" .\n'
    )
    found = violations(text, tmp_path)
    assert found == [
        "ex:st lore:layer: statement layer (lore:layer): at most one value, one of lore, "
        'production, reception (value: "gossip")',
        "ex:st prov:qualifiedDerivation: statement sources (prov:qualifiedDerivation): one or "
        "more values, each a citation node",
        "ex:stray: the subject of member_of (member of) must be a character (value: ex:stray)",
    ]


def test_unparsable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(PREFIXES + "ex:a ex:b .\n")
    with pytest.raises(RDFError) as info:
        validate_shacl(path)
    assert info.value.line == 6


def test_graph_input(lore: LoreGraph) -> None:
    graph = lore.to_rdf()
    graph.remove((None, term("layer"), None))
    assert validate_shacl(graph).conforms  # layer is optional on a statement
    graph.remove((None, RDF.subject, None))
    report = validate_shacl(graph)
    assert not report.conforms
    assert len(report.violations) == len(lore.statements)
    assert isinstance(graph, Graph)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lorekit"
    return subprocess.run([str(exe), *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip


def test_cli_validate_shacl(turtle: str, tmp_path: Path) -> None:
    result = run("validate", "--shacl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok: conforms to the lorekit SHACL shapes"
    path = tmp_path / "lore.ttl"
    path.write_text(turtle.replace('lore:category "syndicate"', 'lore:category "gang"', 1))
    result = run("validate", "--shacl", "--data", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "john-wick:camorra lore:category: faction category (lore:category): at most one "
        'value, one of syndicate, council, unit, cult, guild, organisation (value: "gang")',
        "1 violation of the lorekit SHACL shapes.",
    ]
    assert "Traceback" not in result.stderr
