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
from ._graph.graph import EntityRef, LoreGraph, LorePath, Relation, Relations
from ._graph.horizon import Horizon
from ._graph.provenance import Provenance, SourceUsage
from ._graph.timeline import StoryOrder, Timeline, TimelineEntry
from ._load.schema import data_file_schema
from ._load.universe import Origin, bundled_data_path, load, load_universe
from ._views.link import Ambiguity, Candidate, LinkReport, Mention, link_text
from ._views.sparql.engine import QueryParam, QueryResult, SparqlQuery, run_query

if _TYPE_CHECKING:
    from ._load.import_build import Imported, write_imported
    from ._load.import_merge import merge_into
    from ._load.import_report import ImportReport
    from ._load.mediawiki_mapping import WikiMapping, load_mapping
    from ._load.mediawiki_records import import_mediawiki
    from ._load.wikidata import import_wikidata
    from ._rdf.export import serialize_rdf
    from ._rdf.jsonld import jsonld_context
    from ._rdf.ontology import ontology
    from ._rdf.shacl import ShaclReport, ShaclViolation, shacl_shapes, validate_shacl
    from ._views.frames import relations_frame
    from ._views.notebook import InlinePage
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
    "Horizon",
    "ImportReport",
    "Imported",
    "InlinePage",
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
    "Relations",
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
    "Timeline",
    "TimelineEntry",
    "Title",
    "Universe",
    "UniverseInfo",
    "UnknownEntityError",
    "UnknownPredicateError",
    "WikiMapping",
    "Work",
    "__version__",
    "bundled_data_path",
    "data_file_schema",
    "import_mediawiki",
    "import_wikidata",
    "jsonld_context",
    "link_text",
    "load",
    "load_mapping",
    "load_universe",
    "merge_into",
    "ontology",
    "push",
    "query_endpoint",
    "relations_frame",
    "run_query",
    "serialize_rdf",
    "shacl_shapes",
    "validate_shacl",
    "write_imported",
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
    "Imported": "._load.import_build",
    "write_imported": "._load.import_build",
    "merge_into": "._load.import_merge",
    "ImportReport": "._load.import_report",
    "WikiMapping": "._load.mediawiki_mapping",
    "load_mapping": "._load.mediawiki_mapping",
    "import_mediawiki": "._load.mediawiki_records",
    "import_wikidata": "._load.wikidata",
    "LiveServer": "._views.serve",
    # notebooks: the inline page and the pandas frames, imported when first asked for
    "InlinePage": "._views.notebook",
    "relations_frame": "._views.frames",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lorekit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
