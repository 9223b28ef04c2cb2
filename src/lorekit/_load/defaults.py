"""Defaults filled once a universe is checked: each statement's layer, ``revealed_in``.

A statement's layer is its predicate's. What a statement or a note reveals is
no spoiler after the latest released of the works its entities are first
seen in, unless the data says otherwise.

Examples
--------
>>> from lorekit._core.model import Character, Work
>>> w = Work(id="w", name="W", release_date="2014-10-24")
>>> eve = Character(id="eve", name="Eve", first_appearance="w")
>>> st = Statement(subject="eve", predicate="appears_in", object="w", sources=["w"])
>>> [(s.layer, s.revealed_in) for s in fill_defaults({"w": w, "eve": eve}, [st], [])[0]]
[('lore', 'w')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._core.model import EntityBase, Note, Statement, Work
from .._core.relations import RELATIONS

__all__ = ["fill_defaults"]


def _release_rank(works: Mapping[str, Work]) -> dict[str, tuple[dt.date, str]]:
    return {w.id: (w.release_date, w.id) for w in works.values() if w.release_date is not None}


def _first_seen(entity: EntityBase) -> str | None:
    if isinstance(entity, Work):
        return entity.id
    return entity.first_appearance


def fill_defaults(
    entities: Mapping[str, EntityBase], statements: list[Statement], notes: list[Note]
) -> tuple[list[Statement], list[Note]]:
    """Fill each statement's layer and the default ``revealed_in`` of statements and notes."""
    works = {k: e for k, e in entities.items() if isinstance(e, Work)}
    rank = _release_rank(works)
    # the rank of each entity's first work, looked up once rather than per statement
    seen = {
        i: rank[w] for i, e in entities.items() if (w := _first_seen(e)) is not None and w in rank
    }

    def latest(ids: Iterable[str]) -> str | None:
        """The latest released of the works the entities were first seen in."""
        last = max((seen[i] for i in ids if i in seen), default=None)
        return None if last is None else last[1]

    layers = {name: kind.layer for name, kind in RELATIONS.items()}
    done: list[Statement] = []
    for st in statements:
        update: dict[str, Any] = {}
        if st.layer is None:
            update["layer"] = layers[st.predicate]
        if st.revealed_in is None and (later := latest((st.subject, st.object))) is not None:
            update["revealed_in"] = later
        done.append(st.model_copy(update=update) if update else st)
    done_notes: list[Note] = []
    for note in notes:
        if note.revealed_in is None and (later := latest(note.about)) is not None:
            note = note.model_copy(update={"revealed_in": later})
        done_notes.append(note)
    return done, done_notes
