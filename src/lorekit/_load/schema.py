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

from pydantic import create_model

from .._core.kinds import KINDS
from .._core.model import ENTITY_MODELS, Note, Statement, UniverseInfo, _Base

__all__ = ["SCHEMA_ID", "data_file_schema"]

SCHEMA_ID = "https://lorekit.dev/schema/data-file.json"
"""The ``$id`` of the schema; lorekit never fetches it."""


class _Universe(_Base):
    """The one section that is not a list."""

    universe: UniverseInfo | None = None
    """What the universe is; one file of the universe holds this section."""


_SECTIONS: dict[str, Any] = {  # the kinds table's sections, between universe and statements
    **{k.section: (list.__class_getitem__(ENTITY_MODELS[k.name]), []) for k in KINDS.values()},
    "statements": (list[Statement], []),
    "notes": (list[Note], []),
}

_DataFile = create_model(
    "_DataFile",
    __base__=_Universe,
    __doc__="One lorekit data file: any of these sections, each optional.",
    **_SECTIONS,
)


def data_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every YAML data file satisfies."""
    schema = _DataFile.model_json_schema(by_alias=True)
    schema["title"] = "lorekit data file"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
