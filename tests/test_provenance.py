"""Where each fact comes from, and what each source supports."""

from __future__ import annotations

from lorekit import LoreGraph


def test_sources_of_an_entity_cover_its_facts(lore: LoreGraph) -> None:
    facts = lore.sources_of("Kikimora")
    texts = {(p.text, p.cited_as) for p in facts}
    assert ("Kikimora (faction)", "Screen Scribe review of Ballerina ¶5") in texts
    assert ("Kikimora —part of→ Ruska Roma", "Screen Scribe review of Ballerina ¶5") in texts
    assert any(p.layer == "reception" and "underused" in p.text for p in facts)
    assert {p.layer for p in facts} == {"lore", "reception"}


def test_sources_of_a_statement(lore: LoreGraph) -> None:
    [rel] = lore.relations("Eve Macarro", "portrayed_by")
    facts = lore.sources_of(rel.statement)
    assert [p.citation.locator for p in facts] == ["¶1", "¶4", "¶6"]
    assert all(p.source is not None and p.source.id == "screen-scribe-ballerina" for p in facts)
    assert (
        str(facts[0])
        == "Eve Macarro —portrayed by→ Ana de Armas: Screen Scribe review of Ballerina ¶1"
    )


def test_film_citations_have_no_locator(lore: LoreGraph) -> None:
    [rel] = lore.relations("the-director", "leads")
    assert [p.cited_as for p in lore.sources_of(rel.statement)] == [
        "John Wick: Chapter 3 – Parabellum",
        "Ballerina",
    ]


def test_source_usage_counts_every_citation(lore: LoreGraph) -> None:
    usage = {u.source.id: u for u in lore.source_usage()}
    review = usage["screen-scribe-ballerina"]
    cited = [st for st in lore.statements if any(c.source == review.source.id for c in st.sources)]
    by_layer = {
        layer: sum(1 for st in cited if st.layer == layer)
        for layer in ("lore", "production", "reception")
    }
    assert dict(review.statements) == {k: v for k, v in by_layer.items() if v}
    assert review.statements["reception"] == 1
    assert sum(review.notes.values()) == len(lore.notes)
    assert sorted(review.locators) == [f"¶{i}" for i in range(1, 9)]
    assert "screen-scribe-ballerina" in {u.source.id for u in lore.source_usage()}
    assert usage["john-wick-chapter-3"].statements["lore"] > 0


def test_reception_never_passes_for_lore(lore: LoreGraph) -> None:
    lore_facts = [p for e in lore.entities() for p in lore.sources_of(e) if p.layer == "lore"]
    opinions = {n.text for n in lore.notes if n.layer == "reception"}
    assert not any(p.text in opinions for p in lore_facts)
