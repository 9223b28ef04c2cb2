"""The typed model: entity kinds, citations, statements, notes."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

import lorekit
from lorekit import Character, Citation, Note, Statement

ENTITY = TypeAdapter(lorekit.Entity)


def test_entity_union_is_discriminated_by_kind() -> None:
    work = ENTITY.validate_python({"kind": "work", "id": "ballerina", "name": "Ballerina"})
    assert isinstance(work, lorekit.Work)
    with pytest.raises(ValidationError) as info:
        ENTITY.validate_python({"kind": "character", "id": "x", "name": "X", "form": "film"})
    # the error names only the branch the tag picked
    assert [e["loc"] for e in info.value.errors()] == [("character", "form")]


def test_every_kind_has_a_model() -> None:
    kinds = {ENTITY.validate_python({"kind": k, "id": "a", "name": "A"}).kind
             for k in lorekit.ENTITY_KINDS}  # fmt: skip
    assert kinds == set(lorekit.ENTITY_KINDS)


def test_one_kinds_table_feeds_every_list_of_kinds() -> None:
    from typing import get_args

    from lorekit._core.kinds import FICTIONAL_KINDS, KINDS, SECTIONS
    from lorekit._core.model import ENTITY_MODELS

    assert tuple(KINDS) == lorekit.ENTITY_KINDS == get_args(lorekit.EntityKind)
    assert tuple(ENTITY_MODELS) == lorekit.ENTITY_KINDS
    assert all(m.model_fields["kind"].default == k for k, m in ENTITY_MODELS.items())
    assert list(SECTIONS.values()) == list(KINDS)
    assert SECTIONS["people"] == "person"
    assert lorekit.RELATIONS["appears_in"].domain == FICTIONAL_KINDS
    assert {"work", "person", "source"}.isdisjoint(FICTIONAL_KINDS)


def test_reference_fields_are_marked_in_the_model() -> None:
    from lorekit._core.model import REF_KINDS, ref_fields
    from lorekit._rdf.vocab import REF_KINDS as VOCAB_REF_KINDS

    assert dict(REF_KINDS) == {
        "first_appearance": ("work",),
        "source": ("source", "work"),
        "revealed_in": ("work",),
        "since": ("work", "event"),
        "until": ("work", "event"),
    }
    assert VOCAB_REF_KINDS is REF_KINDS
    note = {f.path: f.ref.kinds for f in ref_fields(Note)}
    assert note == {
        (("about", True),): (),
        (("sources", True), ("source", False)): ("source", "work"),
        (("revealed_in", False),): ("work",),
    }
    ends = [f.ref.end for f in ref_fields(Statement) if f.ref.end]
    assert ends == ["subject", "object"]


@pytest.mark.parametrize("bad", ["Eve", "eve macarro", "eve_macarro", "-eve", "eve-", ""])
def test_ids_are_slugs(bad: str) -> None:
    with pytest.raises(ValidationError):
        Character(id=bad, name="Eve")


def test_models_are_frozen_and_strict() -> None:
    eve = Character(id="eve", name="Eve")
    with pytest.raises(ValidationError):
        eve.name = "Other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs"):
        Character(id="eve", name="Eve", nmae="typo")  # type: ignore[call-arg]


def test_names_are_stripped_and_non_empty() -> None:
    assert Character(id="eve", name="  Eve  ").name == "Eve"
    with pytest.raises(ValidationError):
        Character(id="eve", name="   ")


@pytest.mark.parametrize(
    ("text", "source", "locator"),
    [
        ("screen-scribe-ballerina ¶5", "screen-scribe-ballerina", "¶5"),
        ("ballerina 01:12:30", "ballerina", "01:12:30"),
        ("ballerina", "ballerina", None),
        ("  book p. 12 ", "book", "p. 12"),
    ],
)
def test_citation_short_form(text: str, source: str, locator: str | None) -> None:
    citation = Citation.model_validate(text)
    assert (citation.source, citation.locator) == (source, locator)
    assert str(citation) == f"{source} {locator}" if locator else source


def test_statement_is_stored_in_the_registry_direction() -> None:
    st = Statement(subject="ana-de-armas", predicate="plays", object="eve-macarro",
                   sources=["review ¶1"])  # fmt: skip
    assert st.key == ("eve-macarro", "portrayed_by", "ana-de-armas")
    assert st.relation.label == "portrayed by"


def test_statement_needs_a_source() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        Statement(subject="a", predicate="ally_of", object="b", sources=[])


def test_statement_layer_must_fit_its_predicate() -> None:
    with pytest.raises(ValidationError, match="member_of is a lore relation"):
        Statement(subject="a", predicate="member_of", object="b", sources=["s"],
                  layer="reception")  # fmt: skip
    ok = Statement(subject="a", predicate="reviews", object="b", sources=["s"], layer="reception")
    assert ok.layer == "reception"


def test_unknown_predicate_suggests() -> None:
    with pytest.raises(ValidationError, match="did you mean 'member_of'"):
        Statement(subject="a", predicate="memberof", object="b", sources=["s"])


def test_note_defaults_to_reception() -> None:
    note = Note(id="n", about=["eve"], text="Flat.", sources=["review ¶4"])
    assert note.layer == "reception"


def test_rating_within_scale() -> None:
    assert str(lorekit.Rating(value=2.5, best=5)) == "2.5 / 5"
    with pytest.raises(ValidationError, match="above its scale"):
        lorekit.Rating(value=6, best=5)


def test_dates_and_years() -> None:
    work = lorekit.Work(id="w", name="W", release_date="2025-06-06", development_began=2017)
    assert work.release_date == dt.date(2025, 6, 6)
    with pytest.raises(ValidationError):
        lorekit.Work(id="w", name="W", release_date="2025-13-45")


def test_registry_is_consistent() -> None:
    seen: set[str] = set()
    for name, kind in lorekit.RELATIONS.items():
        assert kind.name == name
        assert kind.domain and kind.range
        assert kind.domain <= set(lorekit.ENTITY_KINDS) and kind.range <= set(lorekit.ENTITY_KINDS)
        assert kind.layer in lorekit.LAYERS
        assert (kind.inverse is None) == (kind.inverse_label is None) == kind.symmetric
        for reading in (name, kind.inverse):
            if reading is not None:
                assert reading not in seen, f"{reading} used twice"
                seen.add(reading)


def test_registry_covers_the_required_predicates() -> None:
    required = {
        "member_of", "part_of", "leads", "serves", "parent_of", "raised_by", "trained_by",
        "ally_of", "enemy_of", "holds_title", "appears_in", "portrayed_by", "music_by",
        "part_of_franchise", "set_after", "located_in", "participant_in", "victim_of",
        "perpetrator_of", "reviews",
    }  # fmt: skip
    assert required <= set(lorekit.RELATIONS)
    inverses = {k.inverse for k in lorekit.RELATIONS.values()}
    assert {"child_of", "plays", "set_before"} <= inverses


def test_schema_describes_the_data_format() -> None:
    schema = lorekit.data_file_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["properties"]) == {
        "universe", "characters", "factions", "titles", "places", "works", "events",
        "people", "concepts", "sources", "statements", "notes",
    }  # fmt: skip
    character = schema["$defs"]["Character"]
    assert character["additionalProperties"] is False
    assert character["properties"]["id"]["pattern"].startswith("^[a-z0-9]")
    assert "first meets it" in character["properties"]["first_appearance"]["description"]
    citation_item = schema["$defs"]["Statement"]["properties"]["sources"]["items"]
    assert {"type": "string"} in citation_item["anyOf"]
