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
from typing import Any, TypeVar

from pydantic import BaseModel

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
    """Fill each statement's layer and the default ``revealed_in`` of statements and notes.

    A record given a default is replaced, in the list given, by a copy with
    it (the record itself is frozen and stays as it was); the lists are
    returned. Replacing in place lets a loader that holds the records
    nowhere else free each one as its copy is made.
    """
    works = {k: e for k, e in entities.items() if isinstance(e, Work)}
    rank = _release_rank(works)
    # the rank of each entity's first work, looked up once rather than per statement
    seen = {
        i: rank[w] for i, e in entities.items() if (w := _first_seen(e)) is not None and w in rank
    }
    copy = _Copier()

    def latest(ids: Iterable[str]) -> str | None:
        """The latest released of the works the entities were first seen in."""
        last = max((seen[i] for i in ids if i in seen), default=None)
        return None if last is None else last[1]

    layers = {name: kind.layer for name, kind in RELATIONS.items()}
    get = seen.get
    for index, st in enumerate(statements):  # written out: this runs for every statement
        fields = st.__dict__
        layer, revealed = fields["layer"], fields["revealed_in"]
        if layer is not None and revealed is not None:
            continue
        update: dict[str, Any] = {}
        if layer is None:
            update["layer"] = layers[fields["predicate"]]
        if revealed is None:  # latest((st.subject, st.object))
            a, b = get(fields["subject"]), get(fields["object"])
            last = a if b is None else b if a is None else max(a, b)
            if last is not None:
                update["revealed_in"] = last[1]
        statements[index] = copy(st, update)
    for index, note in enumerate(notes):
        if note.revealed_in is None and (later := latest(note.about)) is not None:
            notes[index] = copy(note, {"revealed_in": later})
    return statements, notes


_M = TypeVar("_M", bound=BaseModel)


class _Copier:
    """``record.model_copy(update=update)``, made directly, with shared sets of fields.

    What pydantic's copy makes (the fields updated, the updated names added
    to the set of fields set), without a new set per record: copies of one
    shape share one set, as :class:`~lorekit._core.model.Interner` shares
    them. The values come from records already validated and from the
    relation registry, so there is nothing to validate again.
    """

    def __init__(self) -> None:
        self._shapes: dict[tuple[type[Any], frozenset[str]], set[str]] = {}
        # by the set a record had and the names updated; the set is kept, so its id stays its own
        self._after: dict[tuple[int, tuple[str, ...]], tuple[set[str], set[str]]] = {}

    def __call__(self, record: _M, update: dict[str, Any]) -> _M:
        if not update:
            return record
        before = record.__pydantic_fields_set__
        known = self._after.get((id(before), tuple(update)))
        if known is not None and known[0] is before:
            shared = known[1]
        else:
            fields = before | update.keys()
            shared = self._shapes.setdefault((type(record), frozenset(fields)), fields)
            self._after[(id(before), tuple(update))] = (before, shared)
        copied = type(record).__new__(type(record))
        _set(copied, "__dict__", {**record.__dict__, **update})
        _set(copied, "__pydantic_extra__", None)
        _set(copied, "__pydantic_fields_set__", shared)
        _set(copied, "__pydantic_private__", record.__pydantic_private__)
        return copied


_set = object.__setattr__
