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
from typing import Any, cast

from .._core.model import EntityBase, Statement
from .._core.relations import RELATIONS, Layer, RelationKind

__all__ = ["EntityRef", "LorePath", "Relation", "Relations"]

EntityRef = str | EntityBase
"""An entity, or its id, name or alias."""


@dataclass(frozen=True)
class Relation:
    """A statement read from one of its ends.

    ``entity`` is the end that was asked about and ``other`` the far end;
    ``inverse`` is true when the statement points from ``other`` to
    ``entity``, so it reads with the predicate's inverse label.
    """

    entity: EntityBase
    other: EntityBase
    statement: Statement
    inverse: bool

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


class Relations(list[Relation]):
    """What :meth:`LoreGraph.relations` returns: a plain list of :class:`Relation`,
    which a notebook shows as a table and pandas takes as a frame.

    It compares, slices and copies as the list it is.

    Examples
    --------
    >>> from lorekit import load
    >>> found = load().relations("Kikimora", "part_of")
    >>> found == [found[0]], isinstance(found, list)
    (True, True)
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        from .._views.notebook import relations_html

        return relations_html(self)

    def to_dataframe(self) -> Any:
        """The relations as a pandas DataFrame, one row each (``pip install 'lorekit[pandas]'``).

        Columns: ``entity``, ``relation`` (the reading), ``other``, ``other_name``,
        ``other_kind``, ``predicate``, ``inverse``, ``layer``, ``sources``, ``note``.

        Examples
        --------
        >>> from lorekit import load
        >>> load().relations("Eve Macarro", "portrayed_by").to_dataframe()["other_name"].tolist()
        ['Ana de Armas']
        """
        from .._views.frames import relations_dataframe

        return relations_dataframe(self)


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

    def _repr_html_(self) -> str:
        from .._views.notebook import path_html

        return path_html(self)

    def __str__(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].entity.name]
        for step in self.steps:
            parts.append(f"—{step.label}→ {step.other.name}")
        return " ".join(parts)
