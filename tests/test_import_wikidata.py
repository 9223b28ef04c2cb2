"""``lorekit import wikidata``: entity JSON, dump lines and SPARQL results, every record checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lorekit

FIXTURES = Path(__file__).resolve().parent / "import"
ENTITIES = FIXTURES / "wikidata-entities.json"
SPARQL = FIXTURES / "wikidata-sparql.json"
EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))
M, OREN, F = "Q900000001", "Q900000002", "Q900000010"
WD = "https://www.wikidata.org/wiki/"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert EXE is not None
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
    )  # fmt: skip


def sid(item: str, n: int) -> str:
    return f"{item}$00000000-0000-4000-8000-{n:012d}"


def cite(item: str, prop: str, n: int) -> str:
    return f"{item} {prop} statement {sid(item, n)}: {WD}{item}#{sid(item, n)}"


def entities(lore: lorekit.LoreGraph) -> dict[str, dict[str, object]]:
    return {
        e.id: {"kind": e.kind,
               **e.model_dump(mode="json", exclude_defaults=True, exclude={"id", "sources"})}
        for e in lore.entities()
    }  # fmt: skip


def statements(lore: lorekit.LoreGraph) -> dict[tuple[str, str, str], tuple[object, list[str]]]:
    return {s.key: (s.note, [c.locator or "" for c in s.sources]) for s in lore.statements}


WIKIDATA = {"kind": "source", "name": "Wikidata", "category": "wiki",
            "url": "https://www.wikidata.org/",
            "description": "The free knowledge base these records were imported from."}  # fmt: skip


def test_entity_json_every_entity_statement_and_report_line(tmp_path: Path) -> None:
    out = tmp_path / "u"
    result = run("import", "wikidata", str(ENTITIES), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    lore = lorekit.load(out)
    assert entities(lore) == {
        "wikidata": WIKIDATA,
        "mara-quell": {"kind": "character", "name": "Mara Quell",
                       "aliases": ["The Grey Needle", "Needle"],
                       "description": "courier in the invented Veilwatch films",
                       "first_appearance": "veilwatch", "wikidata": M},
        "oren-quell": {"kind": "character", "name": "Oren Quell", "description": "lamplighter",
                       "wikidata": OREN},
        "lantern-court": {"kind": "faction", "name": "Lantern Court",
                          "description": "a guild of couriers", "wikidata": "Q900000003"},
        "veilwatch": {"kind": "work", "name": "Veilwatch", "description": "invented film",
                      "wikidata": F},
        "hale-dunmore": {"kind": "person", "name": "Hale Dunmore", "wikidata": "Q900000020"},
        "ines-varga": {"kind": "person", "name": "Ines Varga", "wikidata": "Q900000021"},
        "ilsa-dray": {"kind": "person", "name": "Ilsa Dray", "wikidata": "Q900000022"},
    }  # fmt: skip
    assert [str(c) for c in lore.entity("mara-quell").sources] == [
        f"wikidata {M}: https://www.wikidata.org/wiki/{M}"
    ]
    assert statements(lore) == {
        ("mara-quell", "member_of", "lantern-court"):
            ("from 2030-01-01; until 2031-06-30", [cite(M, "P463", 2)]),
        ("mara-quell", "appears_in", "veilwatch"):
            (None, [cite(M, "P1441", 3), cite(M, "P4584", 4)]),
        ("oren-quell", "parent_of", "mara-quell"):
            (None, [cite(M, "P22", 5), cite(OREN, "P40", 10)]),
        ("oren-quell", "member_of", "lantern-court"): (None, [cite(OREN, "P463", 11)]),
        ("veilwatch", "directed_by", "hale-dunmore"): (None, [cite(F, "P57", 14)]),
        ("mara-quell", "portrayed_by", "ines-varga"): (None, [cite(F, "P161", 15)]),
        ("oren-quell", "appears_in", "veilwatch"): (None, [cite(F, "P674", 17)]),
    }  # fmt: skip
    assert json.loads(result.stdout) == {
        "file": str(ENTITIES),
        "pages_read": 8,
        "entities": {"character": 2, "faction": 1, "person": 3, "source": 1, "work": 1},
        "statements": {"appears_in": 2, "directed_by": 1, "member_of": 2, "parent_of": 1,
                       "portrayed_by": 1},
        "stubs": [],
        "redirects": [],
        "unmapped_fields": [{"field": "P21", "count": 1, "example": "Q6581072"}],
        "unresolved_links": [{"page": "Mara Quell", "field": "P7047", "link": "Q900000099"}],
        "dropped": [
            {"page": "Mara Quell", "field": "P3373", "value": OREN,
             "reason": "no relation kind for sibling"},
            {"page": "Veilwatch", "field": "P161", "value": "Q900000022",
             "reason": "cast member without a character role (P453)"},
        ],
        "skipped_pages": [{"title": "Saltmere (Q900000030)", "reason": "no kind for P31 Q515"}],
        "merged": [],
        "conflicts": [],
        "files": [str(out / n) for n in ("universe.yaml", "characters.yaml", "factions.yaml",
                                         "works.yaml", "people.yaml", "sources.yaml",
                                         "statements.yaml")],
    }  # fmt: skip


def test_q_ids_become_same_as_links_in_rdf(tmp_path: Path) -> None:
    out = tmp_path / "u"
    lorekit.write_imported(lorekit.import_wikidata(ENTITIES), out)
    turtle = lorekit.serialize_rdf(lorekit.load(out), "nt")
    assert f"<http://www.wikidata.org/entity/{M}>" in turtle


def test_another_language(tmp_path: Path) -> None:
    imp = lorekit.import_wikidata(ENTITIES, lang="de")
    mara = next(e for e in imp.entities.values() if e.wikidata == M)
    assert (mara.name, mara.aliases, mara.description) == (
        "Mara Quell (de)",
        ("Nadel",),
        "Kurierin",
    )
    oren = next(e for e in imp.entities.values() if e.wikidata == OREN)
    assert (oren.name, oren.description) == (OREN, None)  # no German label: the Q-id names it


def test_array_and_dump_lines_read_the_same(tmp_path: Path) -> None:
    items = list(json.loads(ENTITIES.read_text(encoding="utf-8"))["entities"].values())
    array = tmp_path / "array.json"
    array.write_text(json.dumps(items, indent=2), encoding="utf-8")
    dump = tmp_path / "dump.json"
    dump.write_text("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]\n", encoding="utf-8")
    base = lorekit.import_wikidata(ENTITIES)
    for path in (array, dump):
        got = lorekit.import_wikidata(path)
        assert got.entities == base.entities and got.statements == base.statements


def test_sparql_results(tmp_path: Path) -> None:
    out = tmp_path / "u"
    result = run("import", "wikidata", str(SPARQL), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    lore = lorekit.load(out)
    assert entities(lore) == {
        "wikidata": WIKIDATA,
        "mara-quell": {"kind": "character", "name": "Mara Quell",
                       "aliases": ["The Grey Needle", "Needle"],
                       "description": "courier in the invented Veilwatch films", "wikidata": M},
        "lantern-court": {"kind": "faction", "name": "Lantern Court", "wikidata": "Q900000003"},
        "veilwatch": {"kind": "work", "name": "Veilwatch", "wikidata": F},
        "ines-varga": {"kind": "person", "name": "Ines Varga", "wikidata": "Q900000021"},
    }  # fmt: skip
    assert statements(lore) == {
        ("mara-quell", "member_of", "lantern-court"):
            ("from 2030-01-01; until 2031-06-30", [cite(M, "P463", 1)]),
        ("mara-quell", "appears_in", "veilwatch"): (None, [cite(M, "P1441", 2)]),
        ("mara-quell", "portrayed_by", "ines-varga"): (None, [cite(F, "P161", 11)]),
    }  # fmt: skip
    report = json.loads(result.stdout)
    assert report["pages_read"] == 4 and report["dropped"] == report["skipped_pages"] == []


def test_into_matches_by_name(tmp_path: Path) -> None:
    universe = tmp_path / "u"
    lorekit.write_imported(lorekit.import_mediawiki(FIXTURES / "wiki-export.xml"), universe)
    result = run("import", "wikidata", str(ENTITIES), "--into", str(universe), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [m["entity"] for m in report["merged"]] == [
        "mara-quell", "oren-quell", "lantern-court", "hale-dunmore", "ines-varga"]  # fmt: skip
    lore = lorekit.load(universe)
    assert lore.entity("Ilsa Dray").wikidata == "Q900000022"
    assert ("mara-quell", "member_of", "lantern-court") in {s.key for s in lore.statements}


BAD = [
    ("not JSON", '{"entities": {\n  "Q1": [}\n}', "2: column 10: not JSON (Expecting value)"),
    ("not Wikidata's shape", '{"hello": "world"}', "1: not Wikidata's shape"),
    ("an entity without an id", '{"entities": {"Q1": {"claims": {}}}}', "not Wikidata's shape"),
    ("a bad dump line", '[\n{"id": "Q1", "claims": {}},\n{"id": "Q2", "claims": [}\n]\n',
     "3: column"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    src = tmp_path / "in.json"
    src.write_text(text, encoding="utf-8")
    result = run("import", "wikidata", str(src), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {src}:") and message in lines[0], lines
