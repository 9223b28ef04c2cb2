"""The canonical form of a universe: the order an RDF import gives back.

RDF has no order, so a universe read back from RDF comes out sorted; a round
trip returns :func:`canonical` of what was written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from .._core.model import Universe
from .vocab import record_fields

__all__ = ["canonical", "sorted_fields"]


def canonical(universe: Universe) -> Universe:
    """``universe`` in the order an RDF import gives: what a round trip returns.

    Entities sorted by id, statements by (subject, predicate, object), notes
    by id; every list field of every record sorted, without repeats.

    Examples
    --------
    >>> from lorekit import load
    >>> u = canonical(load().universe)
    >>> [e.id for e in u.entities][:2]
    ['abram-tarasov', 'adjudicator-of-the-1970s']
    """
    return universe.model_copy(
        update={
            "entities": tuple(sorted((sorted_fields(e) for e in universe.entities), key=_id)),
            "statements": tuple(
                sorted((sorted_fields(s) for s in universe.statements), key=lambda s: s.key)
            ),
            "notes": tuple(sorted((sorted_fields(n) for n in universe.notes), key=_id)),
        }
    )


def _id(record: Any) -> str:
    return str(record.id)


_R = TypeVar("_R", bound=BaseModel)


def sorted_fields(record: _R) -> _R:
    """``record`` with every list field sorted and without repeats, nested records too."""
    update: dict[str, Any] = {}
    for spec in record_fields(type(record)):
        value = getattr(record, spec.name)
        if spec.many:
            update[spec.name] = _sorted_unique(
                sorted_fields(v) if isinstance(v, BaseModel) else v for v in value
            )
        elif isinstance(value, BaseModel):
            update[spec.name] = sorted_fields(value)
    return record.model_copy(update=update) if update else record


def _sorted_unique(values: Iterable[Any]) -> tuple[Any, ...]:
    def key(v: Any) -> str:
        return v.model_dump_json() if isinstance(v, BaseModel) else str(v)

    return tuple(sorted({key(v): v for v in values}.values(), key=key))
