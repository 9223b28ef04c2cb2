"""lorekit: typed knowledge graphs of franchise lore.

Load a universe, ask it questions::

    >>> import lorekit
    >>> lore = lorekit.load()          # the bundled John Wick universe
    >>> [p.name for p in lore.portrayed_by("Eve Macarro")]
    ['Ana de Armas']
"""

from typing import TYPE_CHECKING, Any

from ._errors import (
    AmbiguousNameError,
    ChronologyError,
    CrossReferenceError,
    DataFileError,
    DuplicateIdError,
    EndpointError,
    LoadError,
    LoreError,
    OutputError,
    RelationTypeError,
    SchemaError,
    UnknownEntityError,
    UnknownPredicateError,
)
from ._graph import EntityRef, LoreGraph, LorePath, Relation
from ._link import Ambiguity, Candidate, LinkReport, Mention, link_text
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
from ._sparql import QueryError, QueryParam, QueryResult, SparqlQuery, run_query

if TYPE_CHECKING:
    from ._jsonld import jsonld_context
    from ._ontology import ontology
    from ._rdf import RDFError, serialize_rdf
    from ._remote import Endpoint, PushReport, push, query_endpoint
    from ._shacl import ShaclReport, ShaclViolation, shacl_shapes, validate_shacl

__version__ = "0.1.0"

__all__ = [
    "ENTITY_KINDS",
    "LAYERS",
    "RELATIONS",
    "Ambiguity",
    "AmbiguousNameError",
    "Candidate",
    "Character",
    "ChronologyError",
    "Citation",
    "Concept",
    "CrossReferenceError",
    "DataFileError",
    "DuplicateIdError",
    "Endpoint",
    "EndpointError",
    "Entity",
    "EntityBase",
    "EntityKind",
    "EntityRef",
    "Event",
    "Faction",
    "Layer",
    "LinkReport",
    "LoadError",
    "LoreError",
    "LoreGraph",
    "LorePath",
    "Mention",
    "Note",
    "Origin",
    "OutputError",
    "Person",
    "Place",
    "PushReport",
    "QueryError",
    "QueryParam",
    "QueryResult",
    "RDFError",
    "Rating",
    "Relation",
    "RelationKind",
    "RelationTypeError",
    "SchemaError",
    "ShaclReport",
    "ShaclViolation",
    "Source",
    "SparqlQuery",
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
    "jsonld_context",
    "link_text",
    "load",
    "load_universe",
    "ontology",
    "push",
    "query_endpoint",
    "run_query",
    "serialize_rdf",
    "shacl_shapes",
    "validate_shacl",
]

# RDF, SHACL and the JSON-LD context need rdflib, which ``import lorekit`` does
# not load: these names import their module on first use.
_LAZY = {
    "RDFError": "._rdf",
    "serialize_rdf": "._rdf",
    "jsonld_context": "._jsonld",
    "ontology": "._ontology",
    "ShaclReport": "._shacl",
    "ShaclViolation": "._shacl",
    "shacl_shapes": "._shacl",
    "validate_shacl": "._shacl",
    "Endpoint": "._remote",
    "PushReport": "._remote",
    "push": "._remote",
    "query_endpoint": "._remote",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lorekit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
