"""Provenance: where each fact comes from, and what each source supports.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> for fact in lore.sources_of("Kikimora")[:2]:
...     print(fact)
Kikimora (faction): Screen Scribe review of Ballerina ¶5
Kikimora —part of→ Ruska Roma: Screen Scribe review of Ballerina ¶5
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._core.model import Citation, EntityBase, Note, Statement

if TYPE_CHECKING:
    from .graph import EntityRef, LoreGraph

__all__ = ["Provenance", "SourceUsage", "source_usage", "sources_of"]


@dataclass(frozen=True)
class Provenance:
    """One citation of one fact: an entity, a statement or a note."""

    fact: EntityBase | Statement | Note
    citation: Citation
    source: EntityBase | None
    """The cited Source or Work, when it is in the graph."""
    text: str
    """The fact in words: "Kikimora —part of→ Ruska Roma"."""

    @property
    def layer(self) -> str:
        """The fact's layer; an entity's own citations count as lore."""
        return getattr(self.fact, "layer", None) or "lore"

    @property
    def cited_as(self) -> str:
        """The citation in words: "Screen Scribe review of Ballerina ¶5"."""
        name = self.source.name if self.source else self.citation.source
        return f"{name} {self.citation.locator}" if self.citation.locator else name

    def __str__(self) -> str:
        return f"{self.text}: {self.cited_as}"


@dataclass
class SourceUsage:
    """How much of the graph one source supports."""

    source: EntityBase
    statements: Counter[str] = field(default_factory=Counter)
    """Statements citing it, by layer."""
    notes: Counter[str] = field(default_factory=Counter)
    """Notes citing it, by layer."""
    entities: int = 0
    """Entities citing it for their own existence or description."""
    locators: list[str] = field(default_factory=list)
    """The distinct places cited in it, in order of first use."""

    @property
    def total(self) -> int:
        """Every fact citing it."""
        return sum(self.statements.values()) + sum(self.notes.values()) + self.entities


def _describe(lore: LoreGraph, fact: EntityBase | Statement | Note) -> str:
    if isinstance(fact, Statement):
        subject, obj = lore.entity(fact.subject), lore.entity(fact.object)
        return f"{subject.name} —{fact.relation.label}→ {obj.name}"
    if isinstance(fact, Note):
        return fact.text
    return f"{fact.name} ({fact.kind})"


def _cite(lore: LoreGraph, fact: EntityBase | Statement | Note) -> list[Provenance]:
    text = _describe(lore, fact)
    out = []
    for citation in fact.sources:
        source = lore.entity(citation.source) if citation.source in lore else None
        out.append(Provenance(fact=fact, citation=citation, source=source, text=text))
    return out


def sources_of(lore: LoreGraph, ref: EntityRef | Statement | Note) -> list[Provenance]:
    """Every citation behind a statement or note, or behind everything said of an entity."""
    if isinstance(ref, Statement | Note):
        return _cite(lore, ref)
    entity = lore.entity(ref)
    found = _cite(lore, entity)
    for rel in lore.relations(entity):
        found += _cite(lore, rel.statement)
    for note in lore.notes:
        if entity.id in note.about:
            found += _cite(lore, note)
    return found


def source_usage(lore: LoreGraph) -> list[SourceUsage]:
    """Each cited source or work with the facts it supports, most used first."""
    usage: dict[str, SourceUsage] = {}

    def use(citation: Citation) -> SourceUsage | None:
        if citation.source not in lore:
            return None
        entry = usage.setdefault(citation.source, SourceUsage(lore.entity(citation.source)))
        if citation.locator and citation.locator not in entry.locators:
            entry.locators.append(citation.locator)
        return entry

    def users(citations: tuple[Citation, ...]) -> list[SourceUsage]:
        """Each source a fact cites, once, however many places in it are cited."""
        found = {id(u): u for c in citations if (u := use(c)) is not None}
        return list(found.values())

    for entity in lore.entities():
        for entry in users(entity.sources):
            entry.entities += 1
    for st in lore.statements:
        for entry in users(st.sources):
            entry.statements[st.layer or "lore"] += 1
    for note in lore.notes:
        for entry in users(note.sources):
            entry.notes[note.layer] += 1
    for source in lore.entities(kind="source"):
        usage.setdefault(source.id, SourceUsage(source))
    return sorted(usage.values(), key=lambda u: (-u.total, u.source.name))
