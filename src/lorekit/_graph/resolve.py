"""Resolving an entity by name or alias: the folded index, ambiguity, suggestions.

Examples
--------
>>> from lorekit import load
>>> index = NameIndex(load().entities())
>>> index.resolve("the bowery king")
'bowery-king'
>>> index.suggest("bowery queen")
['bowery-king']
"""

from __future__ import annotations

from collections.abc import Iterable

from .._core.errors import AmbiguousNameError, UnknownEntityError
from .._core.model import EntityBase
from .._core.names import close_matches, hint, normalize_name

__all__ = ["NameIndex"]


class NameIndex:
    """Entities by folded name and by folded alias; a name wins over an alias."""

    def __init__(self, entities: Iterable[EntityBase]) -> None:
        self._kinds: dict[str, str] = {}
        self._names: dict[str, list[str]] = {}
        self._aliases: dict[str, list[str]] = {}
        self._pool: dict[str, str] = {}
        """Every folded name and alias → the id of the last entity carrying it."""
        for entity in entities:
            self._kinds[entity.id] = entity.kind
            name = normalize_name(entity.name)
            self._names.setdefault(name, []).append(entity.id)
            self._pool[name] = entity.id
            for alias in entity.aliases:
                folded = normalize_name(alias)
                ids = self._aliases.setdefault(folded, [])
                if entity.id not in ids:
                    ids.append(entity.id)
                self._pool[folded] = entity.id

    def resolve(self, ref: str) -> str:
        """The id of the one entity named (or else aliased) ``ref``.

        Raises
        ------
        AmbiguousNameError
            When several entities share the name; ``candidates`` lists them.
        UnknownEntityError
            When nothing matches; ``suggestions`` holds close ids.
        """
        key = normalize_name(ref)
        for index in (self._names, self._aliases):
            ids = index.get(key)
            if ids and len(ids) == 1:
                return ids[0]
            if ids:
                listed = ", ".join(f"{i} ({self._kinds[i]})" for i in ids)
                raise AmbiguousNameError(
                    f"{ref!r} is ambiguous: it names {listed}; use an id",
                    candidates=ids,
                    value=ref,
                )
        suggestions = self.suggest(key)
        raise UnknownEntityError(
            f"no entity is called {ref!r}{hint(suggestions)}", suggestions=suggestions, value=ref
        )

    def suggest(self, key: str) -> list[str]:
        """Ids whose name or alias is close to the folded ``key``, best first."""
        return list(dict.fromkeys(self._pool[c] for c in close_matches(key, self._pool)))
