"""The entity kinds: one table, read by the model, the loader, the registry and RDF.

Each kind is written once in :data:`KINDS`, with the section of a data file
that holds it and whether it exists only inside the story world. The names
derived from it (:data:`ENTITY_KINDS`, :data:`SECTIONS`,
:data:`FICTIONAL_KINDS`) are what the rest of lorekit reads;
:data:`EntityKind` restates the names as a ``Literal`` for the type checker,
and an assertion keeps the two equal. Each kind's model class is in
:data:`lorekit._core.model.ENTITY_MODELS`, taken from the ``Entity`` union.

:class:`Ref` marks a model field whose value names an entity, with the kinds
it may name: the loader's cross-checks, the ontology and the SHACL shapes
all read it from the model.

Examples
--------
>>> KINDS["person"].section
'people'
>>> SECTIONS["people"]
'person'
>>> "work" in FICTIONAL_KINDS, "place" in FICTIONAL_KINDS
(False, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

__all__ = [
    "ENTITY_KINDS",
    "FICTIONAL_KINDS",
    "KINDS",
    "SECTIONS",
    "EntityKind",
    "KindInfo",
    "Ref",
]

EntityKind = Literal[
    "character", "faction", "title", "place", "work", "event", "person", "concept", "source"
]
"""The kinds of entity a universe holds."""


@dataclass(frozen=True)
class KindInfo:
    """One entity kind.

    Attributes
    ----------
    name
        The kind, as an entity's ``kind`` tag and RDF class name (lower case).
    section
        The section of a data file that lists entities of this kind.
    fictional
        Whether it exists only inside the story world (a character, not a
        film): such entities appear in works and belong to their universe.
    """

    name: EntityKind
    section: str
    fictional: bool


KINDS: Mapping[EntityKind, KindInfo] = MappingProxyType(
    {
        k.name: k
        for k in (
            KindInfo("character", "characters", fictional=True),
            KindInfo("faction", "factions", fictional=True),
            KindInfo("title", "titles", fictional=True),
            KindInfo("place", "places", fictional=True),
            KindInfo("work", "works", fictional=False),
            KindInfo("event", "events", fictional=True),
            KindInfo("person", "people", fictional=False),
            KindInfo("concept", "concepts", fictional=True),
            KindInfo("source", "sources", fictional=False),
        )
    }
)
"""Every entity kind, by name, in the order data files and the docs list them."""

assert tuple(KINDS) == get_args(EntityKind)

ENTITY_KINDS: tuple[EntityKind, ...] = tuple(KINDS)
"""The names of the entity kinds, in table order."""

SECTIONS: Mapping[str, EntityKind] = MappingProxyType({k.section: k.name for k in KINDS.values()})
"""Entity sections of a data file and the kind each one holds."""

FICTIONAL_KINDS: frozenset[EntityKind] = frozenset(k.name for k in KINDS.values() if k.fictional)
"""Kinds that exist only inside the story world (Wikidata P1080 applies)."""


@dataclass(frozen=True, init=False)
class Ref:
    """Field metadata: the value is the id of an entity of one of ``kinds`` (any if none).

    ``end`` marks a statement's subject or object, whose kinds the predicate
    gives (its domain or range) rather than the field.

    Examples
    --------
    >>> Ref("source", "work").kinds
    ('source', 'work')
    >>> Ref(end="subject").kinds
    ()
    """

    kinds: tuple[EntityKind, ...]
    end: Literal["subject", "object"] | None

    def __init__(self, *kinds: EntityKind, end: Literal["subject", "object"] | None = None) -> None:
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "end", end)
