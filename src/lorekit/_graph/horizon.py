"""The spoiler horizon: the graph a viewer knows after watching up to one work.

A viewer who has seen the works up to a horizon knows the entities that first
appear in them, the statements revealed in them, and the sources that do not
discuss a later work. Everything else is left out, so every query, export and
page built on the result is spoiler-free.

Examples
--------
>>> from lorekit import load
>>> before = load().as_of("Chapter 3")
>>> "Eve Macarro" in before, "John Wick" in before
(False, True)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._core.errors import LoreError
from .._core.model import Citation, EntityBase, Note, Source, Statement, Universe, Work
from .timeline import Order, check_order

if TYPE_CHECKING:
    from .graph import EntityRef, LoreGraph

__all__ = ["Horizon", "cut_universe", "seen_works"]


@dataclass(frozen=True)
class Horizon:
    """The last work a viewer has seen, and in which order they watch."""

    work: Work
    order: Order
    seen: frozenset[str]
    """Ids of every work the viewer has seen."""

    def __str__(self) -> str:
        return f"as of {self.work.name} ({self.order} order)"


def seen_works(lore: LoreGraph, work: EntityRef, *, order: Order = "release") -> Horizon:
    """The works a viewer has seen once they reach ``work`` in the given order.

    Franchises are always known; in release order, every work released on or
    before the horizon's date; in story order, every work set before it.
    """
    horizon = lore.entity(work)
    if not isinstance(horizon, Work):
        raise LoreError(f"{horizon.name!r} is a {horizon.kind}, not a work", value=work)
    works = [w for w in lore.entities(kind="work") if isinstance(w, Work)]
    seen = {w.id for w in works if w.form == "franchise"} | {horizon.id}
    if order == "release":
        if horizon.release_date is None:
            raise LoreError(
                f"{horizon.name!r} has no release date; give one, or use the story order",
                value=work,
            )
        seen |= {w.id for w in works if w.release_date and w.release_date <= horizon.release_date}
    elif check_order(order) == "story":
        story = lore.story_order()
        seen |= {w.id for w in works if story.before(w.id, horizon.id) is True}
        seen |= {w.id for w in works if story.node(w.id) == story.node(horizon.id)}
    return Horizon(work=horizon, order=order, seen=frozenset(seen))


def cut_universe(
    lore: LoreGraph, work: EntityRef, *, order: Order = "release"
) -> tuple[Universe, Horizon]:
    """The universe a viewer knows after watching up to ``work``, and the horizon.

    :meth:`LoreGraph.as_of <lorekit.LoreGraph.as_of>` builds its graph from it.
    """
    horizon = seen_works(lore, work, order=order)
    universe = lore.universe
    candidates = {e.id: e for e in universe.entities if _may_know(e, horizon, lore)}

    def visible(citations: Collection[Citation]) -> Collection[Citation]:
        """The citations of known sources: ``citations`` itself when all are known."""
        for c in citations:
            if c.source not in candidates:
                return tuple(c for c in citations if c.source in candidates)
        return citations

    seen = horizon.seen
    statements: list[Statement] = []
    for st in universe.statements:
        if (
            st.subject not in candidates
            or st.object not in candidates
            or (st.revealed_in is not None and st.revealed_in not in seen)
        ):
            continue
        kept = visible(st.sources)
        if kept:
            statements.append(st if kept == st.sources else st.model_copy(update={"sources": kept}))
    # real people and other undated entities are known through what is known of them
    linked = {s.subject for s in statements} | {s.object for s in statements}
    keep = {
        ident: e
        for ident, e in candidates.items()
        if _dated(e) or ident in linked or lore.degree(ident) == 0  # in no statement at all
    }
    # a span ending (or starting) at a point the viewer has not seen is not known to end
    statements = [
        st
        if (st.since is None or st.since in keep) and (st.until is None or st.until in keep)
        else st.model_copy(
            update={
                "since": st.since if st.since in keep else None,
                "until": st.until if st.until in keep else None,
            }
        )
        for st in statements
    ]
    notes: list[Note] = []
    for note in universe.notes:
        kept = visible(note.sources)
        if (
            all(i in keep for i in note.about)
            and (note.revealed_in is None or note.revealed_in in horizon.seen)
            and kept
        ):
            notes.append(
                note if kept == note.sources else note.model_copy(update={"sources": kept})
            )
    entities = []
    for e in keep.values():
        kept = visible(e.sources)
        entities.append(e if kept == e.sources else e.model_copy(update={"sources": kept}))
    cut = universe.model_copy(
        update={"entities": tuple(entities), "statements": tuple(statements), "notes": tuple(notes)}
    )
    return cut, horizon


def _dated(entity: EntityBase) -> bool:
    """Whether the entity's own place in the works decides if it is known."""
    return isinstance(entity, Work | Source) or entity.first_appearance is not None


def _may_know(entity: EntityBase, horizon: Horizon, lore: LoreGraph) -> bool:
    if isinstance(entity, Work):
        return entity.id in horizon.seen
    if isinstance(entity, Source):
        return _source_known(entity, horizon, lore)
    if entity.first_appearance is not None:
        return entity.first_appearance in horizon.seen
    return True


def _source_known(source: Source, horizon: Horizon, lore: LoreGraph) -> bool:
    """A source is hidden when it discusses an unseen work, or (in release order)
    when it was published once a work the viewer has not seen was out."""
    discussed = [r.other.id for r in lore.relations(source, "reviews")]
    if any(w not in horizon.seen for w in discussed):
        return False
    if horizon.order == "release" and source.published is not None:
        unseen = [
            w.release_date
            for w in lore.entities(kind="work")
            if isinstance(w, Work) and w.release_date and w.id not in horizon.seen
        ]
        return not unseen or source.published < min(unseen)
    return True
