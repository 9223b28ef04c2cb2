"""The JSON Schema of a data file, for editors that check and complete YAML.

Examples
--------
>>> schema = data_file_schema()
>>> sorted(schema["properties"])[:3]
['characters', 'concepts', 'events']
>>> schema["additionalProperties"]
False
"""

from __future__ import annotations

from typing import Any

from .._core.model import (
    Character,
    Concept,
    Event,
    Faction,
    Note,
    Person,
    Place,
    Source,
    Statement,
    Title,
    UniverseInfo,
    Work,
    _Base,
)

__all__ = ["SCHEMA_ID", "data_file_schema"]

SCHEMA_ID = "https://lorekit.dev/schema/data-file.json"
"""The ``$id`` of the schema; lorekit never fetches it."""


class _DataFile(_Base):
    """One lorekit data file: any of these sections, each optional."""

    universe: UniverseInfo | None = None
    """What the universe is; one file of the universe holds this section."""
    characters: list[Character] = []
    factions: list[Faction] = []
    titles: list[Title] = []
    places: list[Place] = []
    works: list[Work] = []
    events: list[Event] = []
    people: list[Person] = []
    concepts: list[Concept] = []
    sources: list[Source] = []
    statements: list[Statement] = []
    notes: list[Note] = []


def data_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every YAML data file satisfies."""
    schema = _DataFile.model_json_schema(by_alias=True)
    schema["title"] = "lorekit data file"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
