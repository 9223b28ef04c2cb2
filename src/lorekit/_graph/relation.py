"""What graph queries return: relations read from one end, and explained paths.

Examples
--------
>>> from lorekit import load
>>> step = load().relations("Eve Macarro", "member_of")[0]
>>> (step.label, step.other.name, step.layer)
('member of', 'Ruska Roma', 'lore')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from .._core.model import EntityBase, Statement
from .._core.relations import RELATIONS, Layer, RelationKind

if TYPE_CHECKING:
    from .story_time import Holding

__all__ = ["EntityRef", "LorePath", "Relation"]

EntityRef = str | EntityBase
"""An entity, or its id, name or alias."""


@dataclass(frozen=True)
class Relation:
    """A statement read from one of its ends.

    ``entity`` is the end that was asked about and ``other`` the far end;
    ``inverse`` is true when the statement points from ``other`` to
    ``entity``, so it reads with the predicate's inverse label. ``since``
    and ``until`` are the story points of the statement's span;
    ``holding`` says whether it holds at the point of a graph taken with
    :meth:`LoreGraph.at <lorekit.LoreGraph.at>` (``None`` elsewhere).
    """

    entity: EntityBase
    other: EntityBase
    statement: Statement
    inverse: bool
    since: EntityBase | None = None
    until: EntityBase | None = None
    holding: Holding | None = None

    @property
    def kind(self) -> RelationKind:
        """The predicate's registry entry."""
        return RELATIONS[self.statement.predicate]

    @property
    def label(self) -> str:
        """The predicate as it reads from ``entity`` to ``other``."""
        return self.kind.reading(inverse=self.inverse)

    @property
    def layer(self) -> Layer:
        """The statement's layer."""
        return cast(Layer, self.statement.layer)

    def __str__(self) -> str:
        return f"{self.entity.name} —{self.label}→ {self.other.name}"


@dataclass(frozen=True)
class LorePath:
    """The shortest explained connection between two entities."""

    steps: tuple[Relation, ...]

    @property
    def entities(self) -> list[EntityBase]:
        """The entities along the path, from start to end."""
        if not self.steps:
            return []
        return [self.steps[0].entity, *(step.other for step in self.steps)]

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].entity.name]
        for step in self.steps:
            parts.append(f"—{step.label}→ {step.other.name}")
        return " ".join(parts)
