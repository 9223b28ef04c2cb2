"""Every fact of ../shared/lore/ballerina-review-facts.md is in the bundled data, cited."""

from __future__ import annotations

import pytest

import lorekit
from lorekit import LoreGraph, Statement

REVIEW = "screen-scribe-ballerina"


def statement(lore: LoreGraph, subject: str, predicate: str, obj: str) -> Statement:
    """The one statement ``subject predicate obj`` (either reading), or fail."""
    rels = [r for r in lore.relations(subject, predicate) if r.other.id == obj]
    assert len(rels) == 1, f"expected {subject} {predicate} {obj} in the data"
    return rels[0].statement


def review_paragraphs(record: object) -> set[str]:
    """The review paragraphs a statement, note or entity cites."""
    return {c.locator or "" for c in getattr(record, "sources", ()) if c.source == REVIEW}


def note(lore: LoreGraph, note_id: str) -> lorekit.Note:
    found = [n for n in lore.notes if n.id == note_id]
    assert found, f"missing note {note_id}"
    return found[0]


# --- works and chronology -----------------------------------------------------


def test_franchise_is_a_franchise_work(lore: LoreGraph) -> None:
    franchise = lore.entity("the World of John Wick")
    assert isinstance(franchise, lorekit.Work)
    assert franchise.form == "franchise"
    assert "¶1" in review_paragraphs(franchise)


def test_ballerina_is_a_spin_off_film_of_the_franchise(lore: LoreGraph) -> None:
    ballerina = lore.entity("Ballerina")
    assert isinstance(ballerina, lorekit.Work)
    assert (ballerina.form, ballerina.category) == ("film", "spin-off")
    st = statement(lore, "ballerina", "part_of_franchise", "john-wick-franchise")
    assert review_paragraphs(st) == {"¶1"}
    assert review_paragraphs(statement(lore, "ballerina", "spin_off_of", "john-wick-franchise"))


@pytest.mark.parametrize("ref", ["Chapter 3", "Chapter 4"])
def test_chapters_are_mainline_films(lore: LoreGraph, ref: str) -> None:
    film = lore.entity(ref)
    assert isinstance(film, lorekit.Work)
    assert (film.form, film.category) == ("film", "mainline")
    st = statement(lore, film.id, "part_of_franchise", "john-wick-franchise")
    assert review_paragraphs(st) == {"¶2"}


def test_ballerina_is_set_between_chapter_3_and_chapter_4(lore: LoreGraph) -> None:
    after = statement(lore, "ballerina", "set_after", "john-wick-chapter-3")
    before = statement(lore, "ballerina", "set_before", "john-wick-chapter-4")
    assert before.subject == "john-wick-chapter-4"  # stored in the registry's direction
    assert review_paragraphs(after) == review_paragraphs(before) == {"¶2"}
    assert after.layer == before.layer == "lore"


def test_ballerina_entered_development_in_2017(lore: LoreGraph) -> None:
    ballerina = lore.entity("ballerina")
    assert isinstance(ballerina, lorekit.Work)
    assert ballerina.development_began == 2017
    assert "¶3" in review_paragraphs(ballerina)
    assert review_paragraphs(note(lore, "ballerina-development")) == {"¶3"}
    assert note(lore, "ballerina-development").layer == "production"


# --- characters ----------------------------------------------------------------


def test_eve_is_the_protagonist_raised_and_trained_by_the_ruska_roma(lore: LoreGraph) -> None:
    eve = lore.entity("Eve Macarro")
    assert isinstance(eve, lorekit.Character)
    assert "assassin" in (eve.description or "")
    assert review_paragraphs(statement(lore, "eve-macarro", "protagonist_of", "ballerina")) == {
        "¶2"
    }
    assert review_paragraphs(statement(lore, "eve-macarro", "raised_by", "ruska-roma")) == {"¶2"}
    trained = statement(lore, "eve-macarro", "trained_by", "ruska-roma")
    assert review_paragraphs(trained) == {"¶2"}
    assert "ballet" in (trained.note or "") and "killing" in (trained.note or "")


def test_eves_family_was_murdered_and_it_drives_her_revenge(lore: LoreGraph) -> None:
    murder = lore.entity("Murder of Eve's family")
    assert isinstance(murder, lorekit.Event)
    drives = statement(lore, murder.id, "causes", "eves-revenge")
    assert review_paragraphs(drives) == {"¶2"}
    assert "¶2" in review_paragraphs(
        statement(lore, "eve-macarro", "participant_in", "eves-revenge")
    )
    victims = [r.other.id for r in lore.relations(murder, "has_victim")]
    assert victims == ["eve-macarro-father"]


def test_eves_father_was_a_kikimora(lore: LoreGraph) -> None:
    father = lore.entity("Eve's father")
    assert isinstance(father, lorekit.Character)
    assert review_paragraphs(statement(lore, father.id, "parent_of", "eve-macarro")) == {"¶5"}
    assert review_paragraphs(statement(lore, father.id, "member_of", "kikimora")) == {"¶5"}


def test_revenge_leads_to_a_conspiracy_tied_to_her_past(lore: LoreGraph) -> None:
    conspiracy = note(lore, "eve-revenge-conspiracy")
    assert conspiracy.layer == "lore"
    assert "conspiracy" in conspiracy.text
    assert set(conspiracy.about) >= {"eve-macarro"}
    assert review_paragraphs(conspiracy) == {"¶2"}


def test_john_wick_is_baba_yaga_and_kept_on_the_periphery_of_ballerina(lore: LoreGraph) -> None:
    assert [t.name for t in lore.titles("John Wick")] == ["Baba Yaga"]
    assert review_paragraphs(statement(lore, "john-wick", "holds_title", "baba-yaga")) == {"¶5"}
    appears = statement(lore, "john-wick", "appears_in", "ballerina")
    assert review_paragraphs(appears) == {"¶5", "¶7"}
    assert "periphery" in (appears.note or "")


@pytest.mark.parametrize("character", ["winston", "charon"])
def test_familiar_characters_appear_in_ballerina(lore: LoreGraph, character: str) -> None:
    assert review_paragraphs(statement(lore, character, "appears_in", "ballerina")) == {"¶7"}


@pytest.mark.parametrize("figure", ["the-adjudicator", "bowery-king"])
def test_villainy_yardsticks_exist_but_do_not_appear_in_ballerina(
    lore: LoreGraph, figure: str
) -> None:
    entity = lore.entity(figure)
    assert "¶3" in review_paragraphs(entity)
    assert "ballerina" not in [w.id for w in lore.appearances(entity)]
    yardstick = note(lore, "villainy-yardstick")
    assert figure in yardstick.about and yardstick.layer == "reception"


# --- factions, titles, institutions ------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "category", "paragraph"),
    [
        ("Ruska Roma", "syndicate", "¶2"),
        ("Kikimora", "unit", "¶5"),
        ("The Cult", "cult", "¶3"),
        ("High Table", "council", "¶3"),
        ("The Bowery King's operation", "organisation", "¶3"),
    ],
)
def test_factions(lore: LoreGraph, ref: str, category: str, paragraph: str) -> None:
    faction = lore.entity(ref)
    assert isinstance(faction, lorekit.Faction)
    assert faction.category == category
    assert paragraph in review_paragraphs(faction)


def test_ruska_roma_teaches_ballet_and_brutality(lore: LoreGraph) -> None:
    text = lore.entity("ruska-roma").description or ""
    assert "ballet" in text and "brutality" in text


def test_kikimora_is_a_unit_within_the_ruska_roma(lore: LoreGraph) -> None:
    assert review_paragraphs(statement(lore, "kikimora", "part_of", "ruska-roma")) == {"¶5"}
    assert "protector-assassin" in (lore.entity("kikimora").description or "")


def test_the_cult_is_ballerinas_antagonist(lore: LoreGraph) -> None:
    assert "¶3" in review_paragraphs(statement(lore, "the-cult", "enemy_of", "eve-macarro"))
    assert "antagonistic" in (lore.entity("the cult").description or "")


def test_bowery_king_leads_his_operation(lore: LoreGraph) -> None:
    st = statement(lore, "bowery-king", "leads", "bowery-kings-operation")
    assert review_paragraphs(st) == {"¶3"}


def test_baba_yaga_is_a_title(lore: LoreGraph) -> None:
    title = lore.entity("Baba Yaga")
    assert isinstance(title, lorekit.Title)
    assert [h.id for h in lore.holders(title)] == ["john-wick"]


@pytest.mark.parametrize("ref", ["coin economy", "blood oaths", "bulletproof tailoring"])
def test_franchise_institutions_are_lore_concepts(lore: LoreGraph, ref: str) -> None:
    concept = lore.entity(ref)
    assert isinstance(concept, lorekit.Concept)
    st = statement(lore, concept.id, "appears_in", "john-wick-franchise")
    assert (st.layer, review_paragraphs(st)) == ("lore", {"¶1"})


# --- production ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "character", "paragraphs"),
    [
        ("Ana de Armas", "eve-macarro", {"¶1", "¶4", "¶6"}),
        ("Ian McShane", "winston", {"¶7"}),
        ("Lance Reddick", "charon", {"¶7"}),
    ],
)
def test_who_plays_whom(lore: LoreGraph, person: str, character: str, paragraphs: set[str]) -> None:
    actor = lore.entity(person)
    assert isinstance(actor, lorekit.Person)
    assert character in [c.id for c in lore.roles_of(actor)]
    st = statement(lore, actor.id, "plays", character)
    assert st.layer == "production"
    assert review_paragraphs(st) == paragraphs


def test_ana_de_armas_is_the_lead(lore: LoreGraph) -> None:
    assert statement(lore, "ana-de-armas", "plays", "eve-macarro").note == "lead role"


def test_lance_reddick_final_performance_and_death(lore: LoreGraph) -> None:
    reddick = lore.entity("Lance Reddick")
    assert isinstance(reddick, lorekit.Person)
    assert reddick.died is not None
    assert "final performance" in (statement(lore, reddick.id, "plays", "charon").note or "")
    final = note(lore, "lance-reddick-final-charon")
    assert final.layer == "production" and review_paragraphs(final) == {"¶7"}


def test_music_by_franchise_regulars(lore: LoreGraph) -> None:
    for composer in ("tyler-bates", "joel-j-richard"):
        st = statement(lore, "ballerina", "music_by", composer)
        assert (st.layer, review_paragraphs(st)) == ("production", {"¶7"})
    regulars = note(lore, "composers-franchise-regulars")
    assert set(regulars.about) == {"tyler-bates", "joel-j-richard"}


def test_people_and_characters_are_distinct_entities(lore: LoreGraph) -> None:
    for person in lore.entities(kind="person"):
        for role in lore.roles_of(person):
            assert role.kind == "character" and role.id != person.id  # type: ignore[attr-defined]


# --- reception -----------------------------------------------------------------------


def test_review_source_rating_and_critic(lore: LoreGraph) -> None:
    review = lore.entity(REVIEW)
    assert isinstance(review, lorekit.Source)
    assert review.author == "The Screen Scribe"
    assert review.rating is not None and (review.rating.value, review.rating.best) == (2.5, 5)
    st = statement(lore, REVIEW, "reviews", "ballerina")
    assert (st.layer, review_paragraphs(st)) == ("reception", {"¶8"})


@pytest.mark.parametrize(
    ("note_id", "about", "paragraph"),
    [
        ("cult-thin-villain", "the-cult", "¶3"),
        ("eve-emotionally-flat", "eve-macarro", "¶4"),
        ("kikimora-underused", "kikimora", "¶5"),
        ("action-strong", "ballerina", "¶6"),
        ("craft-consistent", "ballerina", "¶7"),
    ],
)
def test_opinions_are_reception_notes(
    lore: LoreGraph, note_id: str, about: str, paragraph: str
) -> None:
    opinion = note(lore, note_id)
    assert opinion.layer == "reception"
    assert about in opinion.about
    assert review_paragraphs(opinion) == {paragraph}


def test_kikimora_could_have_been_eves_mantle_is_opinion_not_lore(lore: LoreGraph) -> None:
    assert note(lore, "kikimora-underused").about == ("kikimora", "eve-macarro", "baba-yaga")
    assert "kikimora" not in [t.id for t in lore.titles("eve-macarro")]


def test_no_opinion_is_stored_as_lore(lore: LoreGraph) -> None:
    lore_sources = {
        c.locator
        for st in lore.statements
        if st.layer == "lore"
        for c in st.sources
        if c.source == REVIEW
    }
    # the review's opinion paragraphs (¶4, ¶6, ¶8) feed no in-universe statement
    assert lore_sources.isdisjoint({"¶4", "¶6", "¶8"})
    assert all(st.layer == "reception" for st in lore.statements if st.predicate == "reviews")


# --- every citation is real ------------------------------------------------------------


def test_every_review_citation_is_one_of_its_eight_paragraphs(lore: LoreGraph) -> None:
    records: list[object] = [*lore.statements, *lore.notes, *lore.entities()]
    locators = {c.locator for r in records for c in getattr(r, "sources", ()) if c.source == REVIEW}
    assert locators <= {f"¶{i}" for i in range(1, 9)}
    assert locators == {f"¶{i}" for i in range(1, 9)}


def test_every_statement_has_a_source(lore: LoreGraph) -> None:
    assert all(st.sources for st in lore.statements)
    assert all(n.sources for n in lore.notes)
