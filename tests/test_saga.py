"""The whole saga in the bundled data: every work with its people, spans and deaths.

The facts pinned here are the films' and the series' own (see the data files'
comments); the review's facts are pinned in tests/test_facts.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph, Statement

HERE = Path(__file__).parent
SKETCH = HERE / "link" / "sketch"  # the bundled data before the saga went in
REVIEW = "screen-scribe-ballerina"
WORKS = [
    "the-continental",
    "john-wick-2014",
    "john-wick-chapter-2",
    "john-wick-chapter-3",
    "ballerina",
    "john-wick-chapter-4",
]


def statement(lore: LoreGraph, subject: str, predicate: str, obj: str) -> Statement:
    rels = [r for r in lore.relations(subject, predicate) if r.other.id == obj]
    assert len(rels) == 1, f"expected {subject} {predicate} {obj} in the data"
    return rels[0].statement


# --- the review stays as it was ------------------------------------------------------


def test_review_citations_are_exactly_those_of_the_sketch(lore: LoreGraph) -> None:
    def cited(graph: LoreGraph) -> dict[tuple[str, ...], set[str]]:
        records = [*graph.statements, *graph.notes, *graph.entities()]
        found: dict[tuple[str, ...], set[str]] = {}
        for record in records:
            key = getattr(record, "key", None) or (getattr(record, "id", ""),)
            for c in getattr(record, "sources", ()):
                if c.source == REVIEW:
                    found.setdefault(key, set()).add(c.locator or "")
        return found

    assert cited(lore) == cited(lorekit.load(SKETCH))


# --- works, story order, crew ----------------------------------------------------------


def test_story_order_puts_the_prequel_first_and_ballerina_before_chapter_4(
    lore: LoreGraph,
) -> None:
    works = [g[0] for g in lore.timeline("story").ids() if g[0] in WORKS]
    assert works == WORKS
    series = lore.entity("The Continental (series)")
    assert isinstance(series, lorekit.Work) and series.form == "series"


@pytest.mark.parametrize(
    ("work", "director", "writers"),
    [
        ("john-wick-2014", "chad-stahelski", {"derek-kolstad"}),
        ("john-wick-chapter-2", "chad-stahelski", {"derek-kolstad"}),
        (
            "john-wick-chapter-3",
            "chad-stahelski",
            {"derek-kolstad", "shay-hatten", "chris-collins", "marc-abrams"},
        ),
        ("john-wick-chapter-4", "chad-stahelski", {"shay-hatten", "michael-finch"}),
        ("ballerina", "len-wiseman", {"shay-hatten"}),
    ],
)
def test_films_have_director_writers_and_composers(
    lore: LoreGraph, work: str, director: str, writers: set[str]
) -> None:
    assert [r.other.id for r in lore.relations(work, "directed_by")] == [director]
    assert {r.other.id for r in lore.relations(work, "written_by")} == writers
    assert {r.other.id for r in lore.relations(work, "music_by")} == {
        "tyler-bates",
        "joel-j-richard",
    }


# --- characters ------------------------------------------------------------------------


def test_every_portrayed_character_appears_and_has_lore(lore: LoreGraph) -> None:
    for character in lore.entities(kind="character"):
        if not lore.portrayed_by(character):
            continue
        assert lore.appearances(character), character.id
        lore_rels = [
            r
            for r in lore.relations(character, layer="lore")
            if r.statement.predicate != "appears_in"
        ]
        assert lore_rels, f"{character.id} has no lore relation besides its appearances"


def test_each_work_has_its_cast(lore: LoreGraph) -> None:
    for work in WORKS:
        assert len(lore.cast(work)) >= 4, work
    assert ("bill-skarsgard", "the-marquis") in {(p.id, c.id) for p, c in lore.cast("Chapter 4")}


@pytest.mark.parametrize(
    ("a", "predicate", "b"),
    [
        ("john-wick", "spouse", "helen-wick"),
        ("viggo-tarasov", "parent_of", "iosef-tarasov"),
        ("abram-tarasov", "sibling", "viggo-tarasov"),
        ("santino-dantonio", "sibling", "gianna-dantonio"),
        ("koji-shimazu", "parent_of", "akira-shimazu"),
        ("frankie-scott", "sibling", "winston"),
        ("john-wick", "owns", "johns-pit-bull"),
        ("john-wick", "owes_marker_to", "santino-dantonio"),
        ("sofia", "owes_marker_to", "john-wick"),
        ("julius", "manages", "continental-rome"),
        ("sofia", "manages", "continental-casablanca"),
        ("koji-shimazu", "manages", "continental-osaka"),
        ("akira-shimazu", "works_at", "continental-osaka"),
        ("caine", "friend_of", "john-wick"),
        ("miles", "sibling", "lou"),
        ("lou", "ally_of", "winston"),
        ("yen", "ally_of", "winston"),
        ("charon", "serves", "cormac-oconnor"),
        ("nogi", "member_of", "ruska-roma"),
        ("eve-macarro", "trained_by", "nogi"),
        ("lena", "member_of", "the-cult"),
        ("lena", "sibling", "eve-macarro"),
        ("daniel-pine", "member_of", "the-cult"),
        ("adjudicator-of-the-1970s", "serves", "high-table"),
    ],
)
def test_family_ties_markers_and_hotels(lore: LoreGraph, a: str, predicate: str, b: str) -> None:
    st = statement(lore, a, predicate, b)
    assert st.layer == "lore" and st.sources


@pytest.mark.parametrize(
    ("victim", "killer", "where"),
    [
        ("iosef-tarasov", "john-wick", "john-wick-2014"),
        ("viggo-tarasov", "john-wick", "john-wick-2014"),
        ("marcus", "ms-perkins", "john-wick-2014"),
        ("gianna-dantonio", "john-wick", "death-of-gianna"),
        ("santino-dantonio", "john-wick", "killing-of-santino"),
        ("zero", "john-wick", "assault-on-the-new-york-continental"),
        ("charon", "the-marquis", "death-of-charon"),
        ("koji-shimazu", "caine", "attack-on-the-osaka-continental"),
        ("the-marquis", "john-wick", "duel-at-sacre-coeur"),
        ("adjudicator-of-the-1970s", "winston", "the-continental-night-3"),
        ("the-chancellor", "eve-macarro", "ballerina"),
    ],
)
def test_who_kills_whom_and_where(lore: LoreGraph, victim: str, killer: str, where: str) -> None:
    assert [r.other.id for r in lore.relations(victim, "killed_by") if not r.inverse] == [killer]
    assert [r.other.id for r in lore.relations(victim, "dies_in")] == [where]


def test_deaths_are_revealed_only_with_their_film(lore: LoreGraph) -> None:
    before = lore.as_of("Chapter 3")
    assert "death-of-charon" not in before
    assert before.relations("charon", "dies_in") == []
    charon = before.relations("charon", "serves")[0]
    assert charon.statement.until is None  # the viewer has not seen its end


@pytest.mark.parametrize(
    ("character", "where"),
    [
        ("frankie-scott", "the-continental-night-1"),
        ("cormac-oconnor", "the-continental-night-3"),
        ("lena", "ballerina"),
        ("john-wick", "duel-at-sacre-coeur"),
    ],
)
def test_deaths_the_films_show_without_naming_a_killer(
    lore: LoreGraph, character: str, where: str
) -> None:
    # who kills them is left out: not certain enough to state
    assert [r.other.id for r in lore.relations(character, "dies_in")] == [where]
    assert [r for r in lore.relations(character, "killed_by") if not r.inverse] == []


def test_john_dies_after_the_duel_and_winston_is_restored(lore: LoreGraph) -> None:
    assert lore.at("Attack on the Osaka Continental").dead("John Wick") == "does-not-hold"
    assert lore.at("Winston's restoration").dead("John Wick") == "holds"
    assert lore.story_time().precedes("duel-at-sacre-coeur", "winstons-restoration") is True
    # nobody knows John dies before Chapter 4 is out
    assert lore.as_of("Chapter 3").relations("john-wick", "dies_in") == []


# --- The Continental's nights ----------------------------------------------------------


NIGHTS = [
    ("the-continental-night-1", "Night 1: Brothers in Arms", "2023-09-22", "albert-hughes"),
    (
        "the-continental-night-2",
        "Night 2: Loyalty to the Master",
        "2023-09-29",
        "charlotte-brandstrom",
    ),
    ("the-continental-night-3", "Night 3: Theater of Pain", "2023-10-06", "albert-hughes"),
]


def test_the_series_has_its_three_nights_in_order(lore: LoreGraph) -> None:
    episodes = [r.other.id for r in lore.relations("the-continental", "has_episode")]
    assert sorted(episodes) == [n[0] for n in NIGHTS]
    for night, name, released, director in NIGHTS:
        work = lore.entity(night)
        assert isinstance(work, lorekit.Work) and work.form == "episode"
        assert (work.name, str(work.release_date)) == (name, released)
        assert [r.other.id for r in lore.relations(night, "directed_by")] == [director]
    time = lore.story_time()
    assert time.precedes("the-continental-night-1", "the-continental-night-2") is True
    assert time.precedes("the-continental-night-2", "the-continental-night-3") is True
    # the nights lie within the series, so all of them come before the first film
    assert time.precedes("the-continental-night-3", "john-wick-2014") is True
    assert time.precedes("theft-of-the-coin-press", "winston-takes-the-continental") is True
    assert {r.other.id for r in lore.relations("the-continental", "written_by")} == {
        "greg-coolidge",
        "kirk-ward",
        "shawn-simmons",
    }


def test_an_episode_is_filed_under_its_series_and_lies_within_it(lore: LoreGraph) -> None:
    kind = lorekit.RELATIONS["episode_of"]
    assert kind.layer == "production" and kind.chronology is None
    assert kind.inverse == "has_episode" and kind.schema_org == "partOfSeries"
    assert "work" in lorekit.RELATIONS["during"].domain
    for night, *_ in NIGHTS:
        during = [r.other.id for r in lore.relations(night, "during") if not r.inverse]
        assert during == ["the-continental"]


def test_the_series_and_the_films_credit_their_own_actors(lore: LoreGraph) -> None:
    series = {(p.id, c.id) for p, c in lore.cast("The Continental (series)")}
    assert {
        ("colin-woodell", "winston"),
        ("ayomide-adegun", "charon"),
        ("mel-gibson", "cormac-oconnor"),
        ("ben-robson", "frankie-scott"),
        ("mishel-prada", "kd"),
        ("nhung-kate", "yen"),
        ("hubert-point-du-jour", "miles"),
        ("jessica-allain", "lou"),
        ("katie-mcgrath", "adjudicator-of-the-1970s"),
        ("peter-greene", "charlie"),
    } <= series
    assert not {("ian-mcshane", "winston"), ("david-patrick-kelly", "charlie")} & series
    first = {(p.id, c.id) for p, c in lore.cast("John Wick (2014)")}
    assert ("david-patrick-kelly", "charlie") in first and ("peter-greene", "charlie") not in first
    # the Elder: one actor per film
    assert ("said-taghmaoui", "the-elder") in {(p.id, c.id) for p, c in lore.cast("Chapter 3")}
    chapter_4 = {(p.id, c.id) for p, c in lore.cast("Chapter 4")}
    assert ("george-georgiou", "the-elder") in chapter_4
    assert ("said-taghmaoui", "the-elder") not in chapter_4
    ballerina = {(p.id, c.id) for p, c in lore.cast("Ballerina")}
    assert {
        ("sharon-duncan-brewster", "nogi"),
        ("catalina-sandino-moreno", "lena"),
    } <= ballerina


# --- story time (issue 15's data) ------------------------------------------------------


def test_winston_runs_the_new_york_continental_until_its_demolition(lore: LoreGraph) -> None:
    st = statement(lore, "winston", "manages", "continental-new-york")
    assert (st.since, st.until) == (
        "winston-takes-the-continental",
        "demolition-of-the-new-york-continental",
    )
    assert lore.at("Chapter 3").holding(st) == "holds"
    assert lore.at("Duel at Sacré-Cœur").holding(st) == "does-not-hold"
    cormac = statement(lore, "cormac-oconnor", "manages", "continental-new-york")
    assert lore.at("John Wick (2014)").holding(cormac) == "does-not-hold"


def test_charon_serves_until_the_marquis_kills_him(lore: LoreGraph) -> None:
    st = statement(lore, "charon", "serves", "winston")
    assert st.until == "death-of-charon"
    assert lore.at("Ballerina").holding(st) == "holds"
    assert lore.at("Attack on the Osaka Continental").holding(st) == "does-not-hold"
    assert lore.at("Attack on the Osaka Continental").dead("Charon") == "holds"
    assert lore.at("Chapter 3").dead("Charon") == "does-not-hold"


def test_john_is_excommunicado_from_the_end_of_chapter_2(lore: LoreGraph) -> None:
    st = statement(lore, "john-wick", "has_status", "excommunicado")
    assert st.since == "johns-excommunication"
    assert [r.other.id for r in lore.relations("johns-excommunication", "during")] == [
        "john-wick-chapter-2"
    ]
    assert lore.at("Santino's marker").holding(st) == "does-not-hold"
    assert lore.at("Chapter 3").holding(st) == "holds"
    marker = statement(lore, "john-wick", "owes_marker_to", "santino-dantonio")
    assert lore.at("Killing of Santino").holding(marker) == "does-not-hold"


def test_eves_revenge_lies_within_ballerina(lore: LoreGraph) -> None:
    assert [r.other.id for r in lore.relations("eves-revenge", "during")] == ["ballerina"]
    st = statement(lore, "eve-macarro", "enemy_of", "the-chancellor")
    assert st.since == "eves-revenge"
    assert lore.at("Chapter 3").holding(st) == "does-not-hold"
    assert lore.at("Eve's revenge").holding(st) == "holds"


def test_events_inside_a_film_are_ordered(lore: LoreGraph) -> None:
    time = lore.story_time()
    assert time.precedes("death-of-gianna", "killing-of-santino") is True
    assert time.precedes("killing-of-santino", "johns-excommunication") is True
    assert time.precedes("demolition-of-the-new-york-continental", "duel-at-sacre-coeur") is True
    assert time.precedes("duel-at-sacre-coeur", "death-of-charon") is False


# --- counts, per work --------------------------------------------------------------------


def counts(lore: LoreGraph) -> dict[str, tuple[int, int, int]]:
    """(characters appearing, statements citing it, events during it) per work.

    A series counts with its episodes: what cites or happens in a night of
    The Continental counts for the series.
    """
    series = {st.subject: st.object for st in lore.statements if st.predicate == "episode_of"}
    appear = Counter(
        st.object
        for st in lore.statements
        if st.predicate == "appears_in"
        and st.subject in {e.id for e in lore.entities(kind="character")}
    )
    cite = Counter(
        series.get(source, source)
        for st in lore.statements
        for source in {c.source for c in st.sources}
    )
    events = {e.id for e in lore.entities(kind="event")}
    during = Counter(
        series.get(st.object, st.object)
        for st in lore.statements
        if st.predicate == "during" and st.subject in events
    )
    return {w: (appear[w], cite[w], during[w]) for w in WORKS}


def test_every_work_has_characters_statements_and_events(lore: LoreGraph) -> None:
    for work, (characters, statements, events) in counts(lore).items():
        assert characters >= 4 and statements >= 10 and events >= 1, work


# --- linking a Chapter 4 synopsis --------------------------------------------------------


def test_chapter_4_synopsis_has_no_unknown_franchise_name(lore: LoreGraph) -> None:
    text = (HERE / "texts" / "chapter-4-synopsis.md").read_text(encoding="utf-8")
    report = lorekit.link_text(lore, text)
    assert report.candidates == ()
    assert report.ambiguous == ()
    mentioned = {m.entity.id for m in report.mentions}
    for person, character in lore.cast("Chapter 4"):
        assert {person.id, character.id} <= mentioned, character.id


def test_lorekit_link_on_the_synopsis_reports_nothing_unknown() -> None:
    exe = shutil.which("lorekit", path=str(Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run(
        [exe, "link", str(HERE / "texts" / "chapter-4-synopsis.md"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["candidates"] == []
    assert {"the-marquis", "caine", "koji-shimazu", "akira-shimazu", "chidi", "killa"} <= {
        m["id"] for m in data["mentions"]
    }
