"""What the graph's queries share: their predicate and layer filters, and names for messages.

Examples
--------
>>> predicate_filter("plays"), sorted(layer_filter("lore") or ())
('portrayed_by', ['lore'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from .._core.errors import UnknownPredicateError
from .._core.model import EntityBase

if TYPE_CHECKING:
    from .._core.model import Statement
    from .._core.relations import Layer

__all__ = ["Names", "layer_filter", "matches", "predicate_filter", "unique"]

_E = TypeVar("_E", bound=EntityBase)


def predicate_filter(predicate: str | None) -> str | None:
    """The registry name of ``predicate`` (either reading); an UnknownPredicateError if none."""
    if predicate is None:
        return None
    from .._core.relations import resolve_predicate

    try:
        return resolve_predicate(predicate)[0]
    except KeyError:
        from .._core.model import predicate_hint

        raise UnknownPredicateError(
            f"unknown predicate {predicate!r}{predicate_hint(predicate)}", value=predicate
        ) from None


def layer_filter(layer: Layer | Collection[Layer] | None) -> frozenset[str] | None:
    """One layer or several, as a set; ``None`` keeps every layer."""
    if layer is None:
        return None
    return frozenset([layer] if isinstance(layer, str) else layer)


def matches(st: Statement, predicate: str | None, layers: frozenset[str] | None) -> bool:
    """Whether ``st`` is of ``predicate`` and in ``layers`` (``None``: any)."""
    return (predicate is None or st.predicate == predicate) and (
        layers is None or st.layer in layers
    )


def unique(items: Iterable[_E]) -> list[_E]:
    """``items`` without repeats (by id), in the order of their first time."""
    return list({item.id: item for item in items}.values())


class Names(Mapping[str, str]):
    """Entity names by id, looked up only when a message needs one."""

    def __init__(self, entities: Mapping[str, EntityBase]) -> None:
        self._entities = entities

    def __getitem__(self, key: str) -> str:
        return self._entities[key].name

    def __iter__(self) -> Iterator[str]:
        return iter(self._entities)

    def __len__(self) -> int:
        return len(self._entities)
