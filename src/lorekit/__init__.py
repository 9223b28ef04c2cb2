"""lorekit: typed knowledge graphs of franchise lore.

Load a universe, ask it questions::

    >>> import lorekit
    >>> lore = lorekit.load()          # the bundled John Wick universe
    >>> [p.name for p in lore.portrayed_by("Eve Macarro")]
    ['Ana de Armas']
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._core.errors import (
    AmbiguousNameError,
    ChronologyError,
    CrossReferenceError,
    DataFileError,
    DuplicateIdError,
    EndpointError,
    LoadError,
    LoreError,
    OutputError,
    QueryError,
    RDFError,
    RelationTypeError,
    SchemaError,
    ServeError,
    UnknownEntityError,
    UnknownPredicateError,
)
from ._core.model import (
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
from ._core.relations import ENTITY_KINDS, LAYERS, RELATIONS, EntityKind, Layer, RelationKind
from ._graph.graph import EntityRef, LoreGraph, LorePath, Relation
from ._graph.horizon import Horizon
from ._graph.provenance import Provenance, SourceUsage
from ._graph.story_time import Holding, StoryTime
from ._graph.timeline import StoryOrder, Timeline, TimelineEntry
from ._load.schema import data_file_schema
from ._load.universe import Origin, bundled_data_path, load, load_universe
from ._views.link import Ambiguity, Candidate, LinkReport, Mention, link_text
from ._views.sparql.engine import QueryParam, QueryResult, SparqlQuery, run_query

if _TYPE_CHECKING:
    from ._rdf.export import serialize_rdf
    from ._rdf.jsonld import jsonld_context
    from ._rdf.ontology import ontology
    from ._rdf.shacl import ShaclReport, ShaclViolation, shacl_shapes, validate_shacl
    from ._views.serve import LiveServer
    from ._views.sparql.remote import Endpoint, PushReport, push, query_endpoint

__version__ = "0.1.0"

__all__ = [
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
    "ENTITY_KINDS",
    "Endpoint",
    "EndpointError",
    "Entity",
    "EntityBase",
    "EntityKind",
    "EntityRef",
    "Event",
    "Faction",
    "Holding",
    "Horizon",
    "LAYERS",
    "Layer",
    "LinkReport",
    "LiveServer",
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
    "Provenance",
    "PushReport",
    "QueryError",
    "QueryParam",
    "QueryResult",
    "RDFError",
    "RELATIONS",
    "Rating",
    "Relation",
    "RelationKind",
    "RelationTypeError",
    "SchemaError",
    "ServeError",
    "ShaclReport",
    "ShaclViolation",
    "Source",
    "SourceUsage",
    "SparqlQuery",
    "Statement",
    "StoryOrder",
    "StoryTime",
    "Timeline",
    "TimelineEntry",
    "Title",
    "Universe",
    "UniverseInfo",
    "UnknownEntityError",
    "UnknownPredicateError",
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
    "serialize_rdf": "._rdf.export",
    "jsonld_context": "._rdf.jsonld",
    "ontology": "._rdf.ontology",
    "ShaclReport": "._rdf.shacl",
    "ShaclViolation": "._rdf.shacl",
    "shacl_shapes": "._rdf.shacl",
    "validate_shacl": "._rdf.shacl",
    "Endpoint": "._views.sparql.remote",
    "PushReport": "._views.sparql.remote",
    "push": "._views.sparql.remote",
    "query_endpoint": "._views.sparql.remote",
    "LiveServer": "._views.serve",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lorekit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
