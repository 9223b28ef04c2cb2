"""``lorekit import mediawiki``: a hand-written export-0.11 file, every record checked."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import lorekit

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "import"
EXPORT = FIXTURES / "wiki-export.xml"
EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))
HOSTILE = 'Eve </script><script>alert("x")</script> O\'Hare \u202eevil'
HOSTILE_ID = "eve-script-script-alert-x-script-o-hare-evil"
STUB = "Stub: linked from the wiki, but its page is not in the export."


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert EXE is not None
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
    )  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("wiki") / "veilwatch"
    result = run("import", "mediawiki", str(EXPORT), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout)


def url(title: str, rev: int) -> str:
    return f"https://veilwatch.example.org/wiki/{title}?oldid={rev}"


def test_every_entity(imported: tuple[Path, dict[str, object]]) -> None:
    lore = lorekit.load(imported[0])  # the output validates
    got = {
        e.id: {
            "kind": e.kind,
            **e.model_dump(mode="json", exclude_defaults=True, exclude={"id", "sources"}),
        }
        for e in lore.entities()
    }
    assert got == {
        "veilwatch-wiki": {"kind": "source", "name": "Veilwatch Wiki", "category": "wiki",
                           "url": "https://veilwatch.example.org/wiki/Main_Page",
                           "description": "The wiki these records were imported from."},
        "mara-quell": {"kind": "character", "name": "Mara Quell",
                       "aliases": ["Needle Quell", "The Grey Needle", "Needle"],
                       "description": "Mara Quell is a courier of the Lantern Court who keeps "
                                      "its ledgers.",
                       "first_appearance": "veilwatch-film"},
        "oren-quell": {"kind": "character", "name": "Oren Quell", "aliases": ["Oren"],
                       "description": "Oren Quell was the first lamplighter of the Court."},
        "castor-vane": {"kind": "character", "name": "Castor Vane",
                        "description": "Castor Vane is a rival courier."},
        HOSTILE_ID: {"kind": "character", "name": HOSTILE,
                     "aliases": ["</script>Bold", '"Quoted"'],
                     "description": 'Eve is a hostile test "name" & no more.'},
        "lantern-court": {"kind": "faction", "name": "Lantern Court",
                          "aliases": ["Court of Lanterns"],
                          "description": "The Lantern Court is a guild of couriers."},
        "ashen-choir": {"kind": "faction", "name": "Ashen Choir",
                        "description": "The Ashen Choir sings at funerals, and at some that "
                                       "have not happened yet."},
        "warden": {"kind": "title", "name": "Warden",
                   "description": "A Warden keeps the lamps lit."},
        "veilwatch-film": {"kind": "work", "name": "Veilwatch (film)",
                           "description": "Veilwatch is an invented film."},
        "tamsin-quell": {"kind": "character", "name": "Tamsin Quell", "description": STUB},
        "saltmere": {"kind": "place", "name": "Saltmere", "description": STUB},
        "ines-varga": {"kind": "person", "name": "Ines Varga", "description": STUB},
        "bram-holt": {"kind": "person", "name": "Bram Holt", "description": STUB},
        "hale-dunmore": {"kind": "person", "name": "Hale Dunmore", "description": STUB},
        "pia-sorel": {"kind": "person", "name": "Pia Sorel", "description": STUB},
    }  # fmt: skip
    # every entity cites the wiki page it comes from (a stub: the page that links to it)
    assert [str(c) for c in lore.entity("mara-quell").sources] == [
        f"veilwatch-wiki Mara Quell, revision 2002: {url('Mara_Quell', 2002)}"
    ]
    assert [str(c) for c in lore.entity("saltmere").sources] == [
        "veilwatch-wiki Lantern Court, revision 2020, infobox field seat: "
        + url("Lantern_Court", 2020)
    ]
    assert all(e.sources and e.sources[0].source == "veilwatch-wiki" for e in lore.entities()
               if e.kind != "source")  # fmt: skip


def test_every_statement_with_its_citations(imported: tuple[Path, dict[str, object]]) -> None:
    lore = lorekit.load(imported[0])
    got = {
        (s.subject, s.predicate, s.object): (s.note, [c.locator for c in s.sources])
        for s in lore.statements
    }

    def cite(title: str, rev: int, field: str) -> str:
        return (
            f"{title}, revision {rev}, infobox field {field}: {url(title.replace(' ', '_'), rev)}"
        )

    mara = lambda f: cite("Mara Quell", 2002, f)  # noqa: E731
    assert got == {
        ("mara-quell", "member_of", "lantern-court"): (None, [mara("affil")]),
        ("mara-quell", "member_of", "ashen-choir"): ("formerly", [mara("affil")]),
        ("mara-quell", "portrayed_by", "ines-varga"): (None, [mara("played")]),
        ("oren-quell", "parent_of", "mara-quell"):
            (None, [mara("kin"), cite("Oren Quell", 2010, "children")]),
        ("mara-quell", "parent_of", "tamsin-quell"): (None, [mara("kin")]),
        ("mara-quell", "appears_in", "veilwatch-film"): (None, [mara("debut")]),
        ("mara-quell", "holds_title", "warden"): (None, [mara("rank")]),
        ("mara-quell", "enemy_of", "castor-vane"):
            (None, [mara("foes"), cite("Castor Vane", 2040, "foes")]),
        ("oren-quell", "member_of", "lantern-court"):
            ("deceased", [cite("Oren Quell", 2010, "affiliation")]),
        ("oren-quell", "parent_of", "tamsin-quell"): (None, [cite("Oren Quell", 2010, "children")]),
        ("oren-quell", "leads", "lantern-court"):
            ("formerly", [cite("Lantern Court", 2020, "boss")]),
        ("lantern-court", "located_in", "saltmere"): (None, [cite("Lantern Court", 2020, "seat")]),
        ("castor-vane", "member_of", "lantern-court"): (None, [cite("Castor Vane", 2040, "affil")]),
        ("castor-vane", "member_of", "ashen-choir"): (None, [cite("Castor Vane", 2040, "affil")]),
        ("castor-vane", "portrayed_by", "bram-holt"): (None, [cite("Castor Vane", 2040, "played")]),
        ("veilwatch-film", "directed_by", "hale-dunmore"):
            (None, [cite("Veilwatch (film)", 2050, "director")]),
        ("veilwatch-film", "music_by", "pia-sorel"):
            (None, [cite("Veilwatch (film)", 2050, "music")]),
        (HOSTILE_ID, "enemy_of", "mara-quell"): (None, [
            f"{HOSTILE}, revision 2090, infobox field foes: https://veilwatch.example.org/wiki/"
            "Eve_%3C/script%3E%3Cscript%3Ealert(%22x%22)%3C/script%3E_O'Hare_%E2%80%AEevil"
            "?oldid=2090"]),
    }  # fmt: skip
    # the older revision (affiliation: only the Ashen Choir, no "formerly") was not read
    assert all("2001" not in c.locator for s in lore.statements for c in s.sources if c.locator)
    assert {s.layer for s in lore.statements if s.predicate == "portrayed_by"} == {"production"}


def test_every_report_line(imported: tuple[Path, dict[str, object]]) -> None:
    out, report = imported
    assert report == {
        "file": str(EXPORT),
        "pages_read": 18,
        "entities": {"character": 5, "faction": 2, "person": 4, "place": 1, "source": 1,
                     "title": 1, "work": 1},
        "statements": {"appears_in": 1, "directed_by": 1, "enemy_of": 2, "holds_title": 1,
                       "leads": 1, "located_in": 1, "member_of": 5, "music_by": 1,
                       "parent_of": 3, "portrayed_by": 2},
        "stubs": [
            {"id": "ines-varga", "kind": "person", "linked_from": "Mara Quell (played)"},
            {"id": "tamsin-quell", "kind": "character", "linked_from": "Mara Quell (kin)"},
            {"id": "saltmere", "kind": "place", "linked_from": "Lantern Court (seat)"},
            {"id": "bram-holt", "kind": "person", "linked_from": "Castor Vane (played)"},
            {"id": "hale-dunmore", "kind": "person", "linked_from": "Veilwatch (film) (director)"},
            {"id": "pia-sorel", "kind": "person", "linked_from": "Veilwatch (film) (music)"},
        ],
        "redirects": [{"alias": "Needle Quell", "entity": "mara-quell"},
                      {"alias": "Court of Lanterns", "entity": "lantern-court"}],
        "unmapped_fields": [
            {"field": "species", "count": 3, "example": "Human"},
            {"field": "founded", "count": 1, "example": "Long ago"},
            {"field": "released", "count": 1, "example": "2031"},
            {"field": "status", "count": 1, "example": "Deceased"},
        ],
        "unresolved_links": [{"page": "Mara Quell", "field": "foes", "link": "Nobody Known"}],
        "dropped": [
            {"page": "Mara Quell", "field": "affil", "value": "Independent",
             "reason": "not a link; nothing is made from plain text"},
            {"page": "Mara Quell", "field": "kin", "value": "Lio Quell",
             "reason": "no relation kind for family: (brother)"},
        ],
        "skipped_pages": [
            {"title": "User:Lampwright", "reason": "a User page, not an article"},
            {"title": "Talk:Mara Quell", "reason": "a Talk page, not an article"},
            {"title": "File:Mara.png", "reason": "a File page, not an article"},
            {"title": "Category:Characters", "reason": "a Category page, not an article"},
            {"title": "Quell (disambiguation)",
             "reason": "a disambiguation page ({{Disambiguation}})"},
            {"title": "Saltmere Almanac", "reason": "no infobox or category that gives a kind"},
        ],
        "merged": [],
        "conflicts": [],
        "files": [str(out / n) for n in ("universe.yaml", "characters.yaml", "factions.yaml",
                                         "titles.yaml", "works.yaml", "sources.yaml",
                                         "stubs.yaml", "statements.yaml")],
    }  # fmt: skip


def test_the_table_report_shows_the_same_lines(tmp_path: Path) -> None:
    result = run("import", "mediawiki", str(EXPORT), "-o", str(tmp_path / "u"))
    assert result.returncode == 0, result.stderr
    for line in ("18 pages from", "species: 3× e.g. 'Human'", "Mara Quell, foes: [[Nobody Known]]",
                 "'Needle Quell' is an alias of mara-quell", "saltmere (place), linked from",
                 "Saltmere Almanac: no infobox or category that gives a kind"):  # fmt: skip
        assert line in result.stdout, line
    assert "wrote 8 files to" in result.stderr


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress], ids=["gz", "bz2"])
def test_compressed_exports_read_the_same(tmp_path: Path, compress: object) -> None:
    suffix = ".xml.gz" if compress is gzip.compress else ".xml.bz2"
    packed = tmp_path / f"export{suffix}"
    packed.write_bytes(compress(EXPORT.read_bytes()))  # type: ignore[operator]
    plain = lorekit.import_mediawiki(EXPORT)
    read = lorekit.import_mediawiki(packed)
    assert read.entities == plain.entities and read.statements == plain.statements


def test_hostile_text_stays_inert(imported: tuple[Path, dict[str, object]]) -> None:
    out, _ = imported
    text = (out / "characters.yaml").read_text(encoding="utf-8")
    assert "\u202e" not in text and "\\u202e" in text  # visible in review, not acted on
    lore = lorekit.load(out)
    assert lore.entity(HOSTILE_ID).name == HOSTILE
    page = lore.to_html()
    assert '<script>alert("x")' not in page and "\\u003cscript\\u003ealert" in page


def test_print_mapping_and_a_mapping_file(tmp_path: Path) -> None:
    result = run("import", "mediawiki", "--print-mapping")
    assert result.returncode == 0 and result.stdout == lorekit.load_mapping.__globals__[
        "default_mapping_text"]()  # fmt: skip
    mapping = tmp_path / "map.yaml"
    mapping.write_text("fields:\n  species: ignore\n  status: ignore\n  founded: ignore\n"
                       "  released: ignore\n  kin: ignore\n", encoding="utf-8")  # fmt: skip
    imp = lorekit.import_mediawiki(EXPORT, mapping=lorekit.load_mapping(mapping))
    assert imp.report.unmapped == {}
    assert ("oren-quell", "parent_of", "mara-quell") in imp.statements  # from Oren's own page
    assert ("mara-quell", "parent_of", "tamsin-quell") not in imp.statements
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields:\n  species: member_off\n", encoding="utf-8")
    result = run(
        "import", "mediawiki", str(EXPORT), "--mapping", str(bad), "-o", str(tmp_path / "x")
    )
    assert result.returncode == 1 and not (tmp_path / "x").exists()
    assert result.stderr.strip() == (
        f"error: {bad}: field 'species': 'member_off' is neither a predicate nor one of "
        "aliases, name, family, first_appearance, ignore"
    )


def test_into_merges_and_leaves_hand_written_files_alone(tmp_path: Path) -> None:
    universe = tmp_path / "jw"
    shutil.copytree(ROOT / "data" / "john-wick", universe)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in universe.glob("*.yaml")}
    result = run("import", "mediawiki", str(FIXTURES / "wiki-into.xml"), "--into", str(universe),
                 "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in universe.glob("*.yaml")}
    assert after == before
    new = universe / "import-test-underworld-wiki"
    assert sorted(p.name for p in new.iterdir()) == [
        "characters.yaml", "sources.yaml", "statements.yaml", "stubs.yaml"]  # fmt: skip
    report = json.loads(result.stdout)
    assert report["merged"] == [
        {"name": "Winston Scott", "entity": "winston"},
        {"name": "John Wick", "entity": "john-wick"},
        {"name": "The High Table", "entity": "high-table"},
        {"name": "Ian McShane", "entity": "ian-mcshane"},
    ]
    assert report["conflicts"] == [
        "'Ruska Roma' is a character in the import but faction 'ruska-roma' in the universe; "
        "left out",
        "alias 'Baba Yaga' of John Wick is the name of title 'baba-yaga' in the universe; left out",
        "1 statement(s) about 'ruska-roma' left out with it",
    ]
    assert report["dropped"][-1] == {
        "page": "(merge)", "field": "portrayed_by", "value": "winston portrayed_by ian-mcshane",
        "reason": "already stated in the universe"}  # fmt: skip
    lore = lorekit.load(universe)
    bundled = lorekit.load()
    assert len(lore) == len(bundled) + 3  # Osric Pell, Tova Lind and the wiki
    added = set(lore.statements) - set(bundled.statements)
    assert {(s.subject, s.predicate, s.object) for s in added} == {
        ("winston", "member_of", "high-table"), ("osric-pell", "member_of", "high-table"),
        ("osric-pell", "portrayed_by", "tova-lind"), ("osric-pell", "enemy_of", "john-wick"),
    }  # fmt: skip
    assert lore.entity("Baba Yaga").id == "baba-yaga"  # still the title


BAD_XML = [
    ("truncated", EXPORT.read_text(encoding="utf-8")[:3000],
     "XML is not well-formed (unclosed token)"),
    ("not well-formed",
     "<mediawiki>\n  <siteinfo><sitename>x</sitename></siteinfo>\n <page></oops>",
     "XML is not well-formed (mismatched tag)"),
    ("not an export", "<html><body>hello</body></html>",
     "not a MediaWiki export: the root element is <html>, not <mediawiki>"),
    ("no siteinfo", "<mediawiki><page><title>A</title></page></mediawiki>",
     "not a MediaWiki export"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "message"), BAD_XML, ids=[b[0] for b in BAD_XML])
def test_bad_input_is_one_line_exit_1_nothing_written(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    src = tmp_path / "export.xml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("import", "mediawiki", str(src), "-o", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {src}") and message in lines[0]
    assert "Traceback" not in result.stderr and not out.exists()


def test_truncated_error_gives_line_and_column(tmp_path: Path) -> None:
    src = tmp_path / "export.xml"
    src.write_text(EXPORT.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    with pytest.raises(lorekit.DataFileError) as info:
        lorekit.import_mediawiki(src)
    assert info.value.line == src.read_text(encoding="utf-8").count("\n") + 1
    assert "column" in info.value.message


def test_a_corrupt_bz2_is_one_line(tmp_path: Path) -> None:
    data = bytearray(bz2.compress(EXPORT.read_bytes()))
    data[40:60] = b"\x00" * 20
    src = tmp_path / "export.xml.bz2"
    src.write_bytes(bytes(data))
    result = run("import", "mediawiki", str(src), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert result.stderr.startswith(f"error: {src}: the compressed file is corrupt")
    assert len(result.stderr.strip().splitlines()) == 1


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    src = tmp_path / "xxe.xml"
    src.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
        "<mediawiki><siteinfo><sitename>&leak;</sitename></siteinfo></mediawiki>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("import", "mediawiki", str(src), "-o", str(out), "--json")
    assert result.returncode == 1 and not out.exists()
    assert "TOP-SECRET" not in result.stdout + result.stderr
    assert "refusing a document type declaration" in result.stderr


def test_an_entity_expansion_bomb_is_survived(tmp_path: Path) -> None:
    levels = ['<!ENTITY l0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    src = tmp_path / "bomb.xml"
    src.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [{"".join(levels)}]>\n'
        "<mediawiki><siteinfo><sitename>&l9;</sitename></siteinfo></mediawiki>\n",
        encoding="utf-8",
    )
    with pytest.raises(lorekit.DataFileError, match="refusing a document type declaration"):
        lorekit.import_mediawiki(src)


def test_output_must_be_a_directory(tmp_path: Path) -> None:
    result = run("import", "mediawiki", str(EXPORT), "-o", "-")
    assert result.returncode == 2 and "name a directory" in result.stderr
    result = run("import", "mediawiki", str(EXPORT))
    assert result.returncode == 2 and "-o DIR" in result.stderr


# --- progress: the shared bar, on a terminal only ---------------------------------


def test_import_shows_the_progress_bar_on_a_terminal(tmp_path: Path, terminal: Any) -> None:
    assert EXE is not None
    out, shown = terminal.run(
        [EXE, "import", "mediawiki", str(EXPORT), "-o", str(tmp_path / "u"), "--json"],
        terminal.env(),
    )
    assert "importing wiki-export.xml" in shown
    assert json.loads(out)["pages_read"] == 18


def test_import_progress_is_silent_under_ci_and_when_piped(tmp_path: Path, terminal: Any) -> None:
    assert EXE is not None
    args = [EXE, "import", "mediawiki", str(EXPORT), "--json", "-o"]
    out, shown = terminal.run([*args, str(tmp_path / "ci")], terminal.env(CI="true"))
    assert shown.strip() == f"wrote 8 files to {tmp_path / 'ci'}"
    piped = subprocess.run([*args, str(tmp_path / "piped")], capture_output=True, text=True,
                           env=terminal.env(), timeout=60)  # fmt: skip
    assert piped.returncode == 0
    assert piped.stderr == f"wrote 8 files to {tmp_path / 'piped'}\n"
    assert json.loads(out) == {**json.loads(piped.stdout), "files": json.loads(out)["files"]}
