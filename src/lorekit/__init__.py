"""lorekit: typed knowledge graphs of franchise lore.

Load a universe, ask it questions::

    >>> import lorekit
    >>> lore = lorekit.load()          # the bundled John Wick universe
    >>> [p.name for p in lore.portrayed_by("Eve Macarro")]
    ['Ana de Armas']
"""

from ._errors import (
    AmbiguousNameError,
    ChronologyError,
    CrossReferenceError,
    DataFileError,
    DuplicateIdError,
    LoadError,
    LoreError,
    OutputError,
    RelationTypeError,
    SchemaError,
    UnknownEntityError,
    UnknownPredicateError,
)
from ._graph import EntityRef, LoreGraph, LorePath, Relation
from ._load import Origin, bundled_data_path, load, load_universe
from ._model import (
    Character,
    Citation,
    Concept,
    Entity,
    EntityBase,
    Event,
    Faction,
    Note,
    Person,
    Place,
    Rating,
    Source,
    Statement,
    Title,
    Universe,
    UniverseInfo,
    Work,
)
from ._relations import ENTITY_KINDS, LAYERS, RELATIONS, EntityKind, Layer, RelationKind
from ._schema import data_file_schema

__version__ = "0.1.0"

__all__ = [
    "ENTITY_KINDS",
    "LAYERS",
    "RELATIONS",
    "AmbiguousNameError",
    "Character",
    "ChronologyError",
    "Citation",
    "Concept",
    "CrossReferenceError",
    "DataFileError",
    "DuplicateIdError",
    "Entity",
    "EntityBase",
    "EntityKind",
    "EntityRef",
    "Event",
    "Faction",
    "Layer",
    "LoadError",
    "LoreError",
    "LoreGraph",
    "LorePath",
    "Note",
    "Origin",
    "OutputError",
    "Person",
    "Place",
    "Rating",
    "Relation",
    "RelationKind",
    "RelationTypeError",
    "SchemaError",
    "Source",
    "Statement",
    "Title",
    "UnknownEntityError",
    "UnknownPredicateError",
    "Universe",
    "UniverseInfo",
    "Work",
    "__version__",
    "bundled_data_path",
    "data_file_schema",
    "load",
    "load_universe",
]
