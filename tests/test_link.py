"""Linking texts to the graph: mentions, ambiguities, unknown names, and their renderings."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import lorekit
from lorekit import Candidate, LinkReport, link_text

TEXTS = Path(__file__).parent / "texts"
ROOT = Path(__file__).resolve().parents[1]
EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))
# The linker is tested against a frozen sketch of the John Wick universe (the
# bundled data as it was before the whole saga went in), so these expectations
# pin the linker, not the data; tests/test_chapter4_link.py checks the full data.
SKETCH = Path(__file__).parent / "link" / "sketch"


@pytest.fixture(scope="module")
def lore() -> lorekit.LoreGraph:
    """The frozen sketch universe the test texts were written against."""
    return lorekit.load(SKETCH)


# Every mention of each test document, in text order: (surface, entity id, paragraph).
SYNOPSIS = [
    ("Ballerina (2025)", "ballerina", 1),  # a heading is a paragraph of its own
    ("From the World of John Wick: Ballerina", "ballerina", 2),
    ("John Wick: Chapter 3 – Parabellum", "john-wick-chapter-3", 2),  # en dash
    ("John Wick: Chapter 4", "john-wick-chapter-4", 2),  # the film, not the character
    ("Eve Macarro", "eve-macarro", 2),
    ("Ruska Roma", "ruska-roma", 2),
    ("Tarkovsky Theatre", "tarkovsky-theatre", 2),
    ("the Director", "the-director", 2),
    ("Eve", "eve-macarro", 3),
    ("murder of Eve's family", "murder-of-eves-family", 3),
    ("the Chancellor", "the-chancellor", 3),
    ("The Cult", "the-cult", 3),
    ("Eve’s father", "eve-macarro-father", 3),  # curly apostrophe, longest match
    ("Kikimora", "kikimora", 3),
    ("Eve’s revenge", "eves-revenge", 3),
    ("New York City", "new-york-city", 3),
    ("the Cult", "the-cult", 3),
    ("The High Table", "high-table", 4),
    ("Winston", "winston", 4),
    ("the Continental", "continental-new-york", 4),
    ("Charon", "charon", 4),
    ("gold coins", "coin-economy", 4),
    ("John Wick", "john-wick", 4),
    ("Baba Yaga", "baba-yaga", 4),  # the Title entity
    ("Wick", "john-wick", 4),  # "Wick’s"
    ("Eve", "eve-macarro", 4),
    ("Eve\nMacarro", "eve-macarro", 5),  # across a line break
    ("Eve", "eve-macarro", 5),  # "Eve’s training": curly possessive
    ("Macarró", "eve-macarro", 5),  # diacritics folded onto the alias "Macarro"
    ("the Chancellor", "the-chancellor", 5),
]
REVIEW = [
    ("John Wick: Chapter 4", "john-wick-chapter-4", 1),
    ("Baba Yaga", "baba-yaga", 1),
    ("Keanu Reeves", "keanu-reeves", 2),
    ("John Wick", "john-wick", 2),
    ("Chapter 3 - Parabellum", "john-wick-chapter-3", 2),  # hyphen; "Chapter 3" + title
    ("Wick", "john-wick", 2),
    ("the High Table", "high-table", 2),
    ("the Bowery King", "bowery-king", 2),
    ("Laurence Fishburne", "laurence-fishburne", 2),
    ("High Table", "high-table", 3),
    ("Wick", "john-wick", 3),  # "Wick's"
    ("Wick", "john-wick", 3),
    ("Ian McShane", "ian-mcshane", 4),
    ("Winston", "winston", 4),
    ("Lance Reddick", "lance-reddick", 4),
    ("Charon", "charon", 4),
    ("the Continental", "continental-new-york", 4),
    ("Reddick", "lance-reddick", 4),
    ("McShane", "ian-mcshane", 4),
    ("Reeves", "keanu-reeves", 5),
    ("Mr. Wick", "john-wick", 6),
    ("Baba Yaga", "baba-yaga", 6),
    ("coin economy", "coin-economy", 6),
    ("blood oaths", "blood-oaths", 6),
    ("markers", "blood-oaths", 6),
    ("bulletproof suits", "bulletproof-tailoring", 6),
]
WIKI = [
    ("Eve Macarro", "eve-macarro", 1),
    ("Eve Macarro", "eve-macarro", 2),
    ("World of John Wick", "john-wick-franchise", 2),
    ("Ballerina", "ballerina", 2),  # a Markdown link; its URL is not prose
    ("Ana de Armas", "ana-de-armas", 2),
    ("Eve", "eve-macarro", 2),
    ("Eve", "eve-macarro", 4),
    ("Kikimora", "kikimora", 4),
    ("murder of Eve Macarro’s family", "murder-of-eves-family", 4),
    ("Ruska Roma", "ruska-roma", 4),
    ("the Director", "the-director", 4),
    ("Tarkovsky Theatre", "tarkovsky-theatre", 4),
    ("Winston Scott", "winston", 4),
    ("Charon", "charon", 4),
    ("the Chancellor", "the-chancellor", 4),
    ("the Cult", "the-cult", 4),
    ("De Armas", "ana-de-armas", 6),  # after "Ana de Armas"
    ("Len Wiseman", "len-wiseman", 6),
    ("Keanu Reeves", "keanu-reeves", 6),
    ("John Wick", "john-wick", 6),
    ("de Armas", "ana-de-armas", 6),
    ("Macarro", "eve-macarro", 8),
    ("Macarró", "eve-macarro", 8),
    ("John Wick (2014)", "john-wick-2014", 8),
]
CASES = {
    "synopsis.md": (
        5,
        SYNOPSIS,
        [],
        [("Daniel Pine", 2, 3), ("Ella", 1, 3)],  # "Pine" alone counts for Daniel Pine
    ),
    "review.txt": (
        7,
        REVIEW,
        [],
        [
            ("Caine", 2, 3),
            ("Marquis Vincent de Gramont", 2, 3),  # "The Marquis" counts for him
            ("Hiroyuki Sanada", 2, 5),  # "Sanada" starts a sentence, but is a name
            ("Chad Stahelski", 1, 2),
            ("Bill Skarsgård", 1, 3),
            ("Donnie Yen", 1, 3),
            ("Osaka", 1, 5),
        ],
    ),
    "wiki.md": (
        8,
        WIKI,
        [("Reeves", 6, ("keanu-reeves",), ("Matt Reeves",))],
        [
            ("Victoria Comte", 1, 2),
            ("Nogi", 1, 4),
            ("Matt Reeves", 1, 6),
            ("Shay Hatten", 1, 6),
            ("Lionsgate", 1, 8),
        ],
    ),
}


@pytest.fixture(scope="module")
def reports(lore: lorekit.LoreGraph) -> dict[str, LinkReport]:
    return {name: link_text(lore, (TEXTS / name).read_text(encoding="utf-8")) for name in CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_every_mention_of_each_document(name: str, reports: dict[str, LinkReport]) -> None:
    paragraphs, mentions, _, _ = CASES[name]
    report = reports[name]
    assert len(report.paragraphs) == paragraphs
    assert [(m.text, m.entity.id, m.paragraph) for m in report.mentions] == mentions
    for m in report.mentions:
        assert report.text[m.start : m.end] == m.text
        start, end = report.paragraphs[m.paragraph - 1]
        assert start <= m.start < m.end <= end
        assert " ".join(m.text.split()) in m.sentence


@pytest.mark.parametrize("name", list(CASES))
def test_ambiguities_and_unknown_names_of_each_document(
    name: str, reports: dict[str, LinkReport]
) -> None:
    _, _, ambiguous, candidates = CASES[name]
    report = reports[name]
    got = [
        (a.text, a.paragraph, tuple(e.id for e in a.candidates), a.others) for a in report.ambiguous
    ]
    assert got == ambiguous
    for a in report.ambiguous:
        assert report.text[a.start : a.end] == a.text
    assert [(c.name, c.count, c.first_paragraph) for c in report.candidates] == candidates


def test_sentence_initial_and_common_words_are_not_candidates(
    reports: dict[str, LinkReport],
) -> None:
    names = {c.name for r in reports.values() for c in r.candidates}
    for word in ("The", "However", "When", "As", "Years", "Overall", "Not", "Allies", "Enemies"):
        assert not any(word in name.split() for name in names), word


def test_tricky_forms_one_by_one(lore: lorekit.LoreGraph) -> None:
    def found(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.entity.id) for m in link_text(lore, text).mentions]

    assert found("Wick's car.") == [("Wick", "john-wick")]
    assert found("Eve’s knife and Eve‘s coat.") == [("Eve", "eve-macarro"), ("Eve", "eve-macarro")]
    assert found("Chapter 3 – Parabellum") == [("Chapter 3 – Parabellum", "john-wick-chapter-3")]
    assert found("John Wick: Chapter 3 — Parabellum") == [
        ("John Wick: Chapter 3 — Parabellum", "john-wick-chapter-3")
    ]
    assert found("JOHN WICK CHAPTER 4") == [("JOHN WICK CHAPTER 4", "john-wick-chapter-4")]
    assert found("the high table and THE CULT") == [
        ("the high table", "high-table"),
        ("THE CULT", "the-cult"),
    ]
    assert found("Mr Wick, Jardani\nJovonovich.") == [
        ("Mr Wick", "john-wick"),
        ("Jardani\nJovonovich", "john-wick"),
    ]
    assert found("John Wick (2014) and Ballerina (2025).") == [
        ("John Wick (2014)", "john-wick-2014"),
        ("Ballerina (2025)", "ballerina"),
    ]
    # one-word names are proper nouns; "The X" needs its article or a possessive
    assert found("On the eve of it, the ballerina met the director and a cult.") == []
    assert found("Director Len Wiseman.") == [("Len Wiseman", "len-wiseman")]
    assert found("Huston's Director and Byrne's Chancellor.") == [
        ("Huston", "anjelica-huston"),
        ("Director", "the-director"),
        ("Byrne", "gabriel-byrne"),
        ("Chancellor", "the-chancellor"),
    ]


def test_partial_names_resolve_from_context(lore: lorekit.LoreGraph) -> None:
    report = link_text(
        lore, "Asia Kate Dillon is the Adjudicator. Kate Dillon, or Dillon, is cold."
    )
    assert [(m.text, m.entity.id, m.via) for m in report.mentions] == [
        ("Asia Kate Dillon", "asia-kate-dillon", "name"),
        ("the Adjudicator", "the-adjudicator", "name"),
        ("Kate Dillon", "asia-kate-dillon", "partial"),
        ("Dillon", "asia-kate-dillon", "partial"),
    ]
    # a known surname inside an unknown full name is neither a mention nor guessed later
    report = link_text(lore, "Richard Brody hated it. Joel J. Richard scored it. Richard hums.")
    assert [(m.text, m.entity.id) for m in report.mentions] == [
        ("Joel J. Richard", "joel-j-richard")
    ]
    assert [(a.text, [e.id for e in a.candidates], a.others) for a in report.ambiguous] == [
        ("Richard", ["joel-j-richard"], ("Richard Brody",))
    ]
    assert [c.name for c in report.candidates] == ["Richard Brody"]


@pytest.fixture(scope="module")
def santos(tmp_path_factory: pytest.TempPathFactory) -> lorekit.LoreGraph:
    path = tmp_path_factory.mktemp("santos") / "santos.yaml"
    path.write_text(
        "universe: {id: santos, name: The Santos Family}\n"
        "characters:\n"
        "  - {id: mia-santos, name: Mia Santos}\n"
        "  - {id: leo-santos, name: Leo Santos}\n"
        "factions:\n"
        "  - {id: evil-co, name: 'Evil \"Quote\" <Co> & Sons'}\n",
        encoding="utf-8",
    )
    return lorekit.load(path)


@pytest.mark.parametrize(
    ("text", "mentions", "ambiguous"),
    [
        ("Santos walks in.", [], [("Santos", ["mia-santos", "leo-santos"])]),
        ("Mia Santos waits. Santos walks in.", ["mia-santos", "mia-santos"], []),
        ("Leo Santos waits. Santos walks in.", ["leo-santos", "leo-santos"], []),
        (
            "Mia Santos and Leo Santos wait. Santos walks in.",
            ["mia-santos", "leo-santos"],
            [("Santos", ["mia-santos", "leo-santos"])],
        ),
        ("Mia waits for Leo.", ["mia-santos", "leo-santos"], []),  # first names of characters
    ],
)
def test_shared_surnames_are_ambiguous_unless_the_text_settles_them(
    santos: lorekit.LoreGraph,
    text: str,
    mentions: list[str],
    ambiguous: list[tuple[str, list[str]]],
) -> None:
    report = link_text(santos, text)
    assert [m.entity.id for m in report.mentions] == mentions
    assert [(a.text, [e.id for e in a.candidates]) for a in report.ambiguous] == ambiguous
    assert report.candidates == ()


@pytest.fixture(scope="module")
def wicks(tmp_path_factory: pytest.TempPathFactory) -> lorekit.LoreGraph:
    path = tmp_path_factory.mktemp("wicks") / "wicks.yaml"
    path.write_text(
        "universe: {id: wicks, name: The Wicks}\n"
        "characters:\n"
        "  - {id: john-wick, name: John Wick, aliases: [Wick]}\n"
        "  - {id: helen-wick, name: Helen Wick}\n"
        "  - {id: ann-grey, name: Ann Grey, aliases: [Grey]}\n"
        "  - {id: bo-grey, name: Bo Grey, aliases: [Grey]}\n",
        encoding="utf-8",
    )
    return lorekit.load(path)


@pytest.mark.parametrize(
    ("text", "mentions", "ambiguous"),
    [
        ("Wick walks in.", [("Wick", "john-wick", "alias")], []),
        # the alias the data states wins even after the text named Helen in full
        (
            "Helen Wick waits. Wick walks in.",
            [("Helen Wick", "helen-wick", "name"), ("Wick", "john-wick", "alias")],
            [],
        ),
        # Helen's first name is still hers
        (
            "Helen waits for Wick.",
            [("Helen", "helen-wick", "partial"), ("Wick", "john-wick", "alias")],
            [],
        ),
        # two entities that both state the alias stay ambiguous
        ("Grey walks in.", [], [("Grey", ["ann-grey", "bo-grey"])]),
    ],
)
def test_an_explicit_alias_wins_over_a_derived_surname(
    wicks: lorekit.LoreGraph,
    text: str,
    mentions: list[tuple[str, str, str]],
    ambiguous: list[tuple[str, list[str]]],
) -> None:
    report = link_text(wicks, text)
    assert [(m.text, m.entity.id, m.via) for m in report.mentions] == mentions
    assert [(a.text, [e.id for e in a.candidates]) for a in report.ambiguous] == ambiguous


def test_wick_is_john_in_the_bundled_saga() -> None:
    # the bundled data has Helen Wick too; "Wick" is John's explicit alias there
    report = link_text(lorekit.load(), "Wick comes back. Helen Wick is gone, and Wick mourns.")
    assert report.ambiguous == ()
    assert [(m.text, m.entity.id) for m in report.mentions] == [
        ("Wick", "john-wick"),
        ("Helen Wick", "helen-wick"),
        ("Wick", "john-wick"),
    ]


def test_offsets_survive_folding(lore: lorekit.LoreGraph) -> None:
    # decomposed accents, letters that expand (ß, ﬁ), quotes and dashes
    text = (
        "Straße, ﬁnally: Eve Macarro\u0301 and the murder of Eve Macarro\u0301’s family."
        " Maß — Wick."
    )
    report = link_text(lore, text)
    got = [(m.text, m.entity.id) for m in report.mentions]
    assert got == [
        ("Eve Macarro\u0301", "eve-macarro"),
        ("murder of Eve Macarro\u0301’s family", "murder-of-eves-family"),
        ("Wick", "john-wick"),
    ]
    for m in report.mentions:
        assert text[m.start : m.end] == m.text


def test_paragraphs_headings_and_line_endings(lore: lorekit.LoreGraph) -> None:
    text = "# Eve\r\nEve Macarro fights.\r\n\r\n---\r\n\r\n## Wick\nJohn Wick.\n\n\n  Charon.  "
    report = link_text(lore, text)
    assert [text[a:b] for a, b in report.paragraphs] == [
        "# Eve",
        "Eve Macarro fights.",
        "## Wick",
        "John Wick.",
        "Charon.",
    ]
    assert [(m.text, m.paragraph) for m in report.mentions] == [
        ("Eve", 1),
        ("Eve Macarro", 2),
        ("Wick", 3),
        ("John Wick", 4),
        ("Charon", 5),
    ]
    assert link_text(lore, "") == LinkReport("", (), (), (), (), lore)


def test_sentences(lore: lorekit.LoreGraph) -> None:
    text = "Mr. Wick met Joel J. Richard at the Continental.  Then\nCharon smiled! Eve? Yes."
    report = link_text(lore, text)
    assert [(m.text, m.sentence) for m in report.mentions] == [
        ("Mr. Wick", "Mr. Wick met Joel J. Richard at the Continental."),
        ("Joel J. Richard", "Mr. Wick met Joel J. Richard at the Continental."),
        ("the Continental", "Mr. Wick met Joel J. Richard at the Continental."),
        ("Charon", "Then Charon smiled!"),
        ("Eve", "Eve?"),
    ]


def test_report_as_json(reports: dict[str, LinkReport]) -> None:
    data = json.loads(json.dumps(reports["wiki.md"].to_dict()))
    assert data["paragraphs"] == 8
    assert data["mentions"][0] == {
        "id": "eve-macarro",
        "name": "Eve Macarro",
        "kind": "character",
        "text": "Eve Macarro",
        "start": 2,
        "end": 13,
        "paragraph": 1,
        "sentence": "# Eve Macarro",
        "via": "name",
    }
    eve = data["entities"][0]
    assert (eve["id"], eve["count"], eve["paragraphs"]) == ("eve-macarro", 6, [1, 2, 4, 8])
    assert data["ambiguous"][0]["others"] == ["Matt Reeves"]
    assert data["candidates"][0] == {
        "name": "Victoria Comte",
        "count": 1,
        "first_paragraph": 2,
        "variants": ["Victoria Comte"],
    }


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


HOSTILE = (
    'Eve Macarro <script>alert("x")</script> met \'Charon\' & "the High Table".\n\n'
    '<img src=x onerror=alert(1)> Evil "Quote" <Co> & Sons\' <b title=\'x" onmouseover="y\'>'
)


def test_html_is_inert_to_hostile_text(santos: lorekit.LoreGraph, lore: lorekit.LoreGraph) -> None:
    page = link_text(lore, HOSTILE).to_html(title="<b>title</b>")
    parser = _Tags()
    parser.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "a"}
    allowed |= {"mark", "ul", "li", "small"}
    assert {tag for tag, _ in parser.tags} <= allowed
    assert all(not key.startswith("on") for _, attrs in parser.tags for key in attrs)
    links = [attrs for tag, attrs in parser.tags if tag == "a"]
    assert [a["href"] for a in links] == [
        "lore.html#eve-macarro",
        "lore.html#charon",
        "lore.html#high-table",
    ]
    assert links[0]["title"] == "Eve Macarro (character)"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page
    # a hostile entity name stays inside its attribute
    evil = link_text(santos, HOSTILE).to_html(page="graph.html")
    parser = _Tags()
    parser.feed(evil)
    (link,) = [attrs for tag, attrs in parser.tags if tag == "a"]
    assert link == {
        "class": "mention",
        "href": "graph.html#evil-co",
        "title": 'Evil "Quote" <Co> & Sons (faction)',
    }
    assert "<img" not in evil and "<Co>" not in evil and "<b " not in evil


def test_statement_skeletons(reports: dict[str, LinkReport]) -> None:
    text = reports["review.txt"].to_yaml("mock-review")
    data = yaml.safe_load(text)
    assert data["sources"] == [{"id": "mock-review", "name": "TODO", "category": "review"}]
    statements = data["statements"]
    assert all(st["predicate"] == "TODO" for st in statements)
    pairs = {(st["subject"], st["object"]): st["sources"] for st in statements}
    assert pairs[("keanu-reeves", "john-wick")] == ["mock-review ¶2"]
    assert pairs[("john-wick", "high-table")] == ["mock-review ¶2", "mock-review ¶3"]
    assert ("ian-mcshane", "winston") in pairs
    assert not any(a == b for a, b in pairs)
    assert "# already in the graph: Keanu Reeves —plays→ John Wick" in text
    assert "#   Chad Stahelski (1×, first ¶2)" in text
    # filled in, a skeleton is a statement lorekit accepts
    st = lorekit.Statement.model_validate({**statements[0], "predicate": "appears_in"})
    assert str(st.sources[0]) == statements[0]["sources"][0]
    # a source already in the graph gets no stub
    known = yaml.safe_load(reports["wiki.md"].to_yaml("screen-scribe-ballerina"))
    assert "sources" not in known and known["statements"]
    with pytest.raises(lorekit.SchemaError, match="not a valid id"):
        reports["wiki.md"].to_yaml("Not An Id")


def test_candidates_are_typed(reports: dict[str, LinkReport]) -> None:
    assert reports["wiki.md"].candidates[-1] == Candidate("Lionsgate", 1, 8, ("Lionsgate",))


# --- the command, end to end -------------------------------------------------------
def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE is not None, "the lorekit console script is not installed"
    if args[:1] == ("link",) and "--data" not in args:
        args = (*args, "--data", str(SKETCH))
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={
            "PATH": "/usr/bin:/bin",
            "COLUMNS": "200",
            "LC_ALL": "C.UTF-8",
            "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
        },
        timeout=60,
    )


def test_cli_table(reports: dict[str, LinkReport]) -> None:
    result = run("link", str(TEXTS / "wiki.md"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "24 mentions of 17 entities in 8 paragraphs"
    row = r"│ Eve Macarro \(character\) +│ eve-macarro +│ +6 │ ¶1, ¶2, ¶4, ¶8 +│ Eve Macarro, Eve,"
    assert re.search(row, out)
    assert re.search(r"│ 6 │ Reeves │ Keanu Reeves \(keanu-reeves\); Matt Reeves \(not in", out)
    assert re.search(r"│ Victoria Comte +│ +1 │ +2 │", out)
    each = run("link", str(TEXTS / "wiki.md"), "--mentions").stdout
    de_armas = next(m for m in reports["wiki.md"].mentions if m.text == "De Armas")
    assert re.search(rf"│ 6 │ {de_armas.start}-{de_armas.end} +│ De Armas +│ ana-de-armas", each)


def test_cli_json_from_stdin() -> None:
    result = run("link", "-", "--json", stdin="Eve Macarro meets Chad Stahelski.")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [m["id"] for m in data["mentions"]] == ["eve-macarro"]
    assert data["candidates"] == [
        {"name": "Chad Stahelski", "count": 1, "first_paragraph": 1, "variants": ["Chad Stahelski"]}
    ]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_cli_as_source_and_html_write_nothing_into_data(tmp_path: Path) -> None:
    data = tmp_path / "universe"
    shutil.copytree(SKETCH, data)
    before = _digest(data)
    page = tmp_path / "out" / "review.html"
    page.parent.mkdir()
    result = run(
        "link", str(TEXTS / "review.txt"), "--data", str(data), "--as-source", "mock-review",
        "--html", str(page),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _digest(data) == before
    assert result.stderr.strip() == f"wrote {page}"
    assert yaml.safe_load(result.stdout)["sources"][0]["id"] == "mock-review"
    html_text = page.read_text(encoding="utf-8")
    assert '<a class="mention" href="lore.html#john-wick-chapter-4"' in html_text
    assert sorted(p.name for p in page.parent.iterdir()) == ["review.html"]


def test_cli_errors() -> None:
    both = run("link", str(TEXTS / "wiki.md"), "--json", "--as-source", "x")
    assert both.returncode == 2 and "cannot be combined" in both.stderr
    missing = run("link", str(TEXTS / "nope.md"))
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"error: {TEXTS / 'nope.md'}: cannot read")
    bad_id = run("link", str(TEXTS / "wiki.md"), "--as-source", "Bad Id")
    assert bad_id.returncode == 1 and "not a valid id" in bad_id.stderr
    assert "Traceback" not in missing.stderr + bad_id.stderr


def test_bench_script_runs() -> None:
    """The benchmark runs on a small text; it is never timed here."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_link.py"), "--mb", "0.02", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "MB/s" in result.stdout and "x the 1 MB/s target" in result.stdout


def test_forms_of_one_name_are_one_candidate(lore: lorekit.LoreGraph) -> None:
    report = link_text(lore, (TEXTS / "chapter-review.md").read_text(encoding="utf-8"))
    assert [(c.name, c.count, c.first_paragraph, c.variants) for c in report.candidates] == [
        (
            "Marquis Vincent Bisset de Gramont",
            4,
            2,
            ("Marquis Vincent Bisset de Gramont", "Marquis", "Marquis Vincent de Gramont"),
        ),
        ("Chidi", 2, 3, ("Chidi",)),  # "Besides Chidi" opens a sentence
        ("Akira Shimazu", 2, 4, ("Akira Shimazu", "Shimazu")),  # "Meanwhile" is no name
        ("Osaka", 1, 2, ("Osaka",)),  # "The Manager of the Osaka hotel", "its manager"
    ]
    names = " ".join(c.name for c in report.candidates)
    for word in ("Besides", "Manager", "Elder", "Table", "Meanwhile"):
        assert word not in names.split(), word


def test_candidates_one_by_one(lore: lorekit.LoreGraph) -> None:
    def found(text: str) -> list[tuple[str, int, tuple[str, ...]]]:
        return [(c.name, c.count, c.variants) for c in link_text(lore, text).candidates]

    # a form that fits two names is counted on its own
    assert found("We meet Ray Cole and Ray Dunn. Then Ray leaves with Dunn.") == [
        ("Ray Dunn", 2, ("Ray Dunn", "Dunn")),
        ("Ray", 1, ("Ray",)),
        ("Ray Cole", 1, ("Ray Cole",)),
    ]
    # a middle word alone is no form of the name; words out of order are none either
    assert found("We meet Tomas Ivo Berg. Later Ivo and Berg Tomas talk.") == [
        ("Berg Tomas", 1, ("Berg Tomas",)),
        ("Ivo", 1, ("Ivo",)),
        ("Tomas Ivo Berg", 1, ("Tomas Ivo Berg",)),
    ]
    # a sentence-opening word is glued on only when the text capitalises it mid-sentence
    assert found("Beyond Oskar Lind, nobody came.") == [("Oskar Lind", 1, ("Oskar Lind",))]
    assert found("Quickly Oskar ran. Then quickly he hid.") == [("Oskar", 1, ("Oskar",))]
    assert found("Greta Holm sings. The band loves Greta.") == [
        ("Greta Holm", 2, ("Greta Holm", "Greta"))
    ]
    # a lone word after a determiner: a title when the text also writes it in lower case
    assert found("The Warden is cruel; any warden would be.") == []
    assert found("She fled the Kremlin at night.") == [("Kremlin", 1, ("Kremlin",))]
    # ... or when it is a word of a name the graph knows (the High Table)
    assert found("Everyone fears the Table.") == []
