"""lorekit: typed knowledge graphs of franchise lore.

Load a universe, ask it questions::

    >>> import lorekit
    >>> lore = lorekit.load()          # the bundled John Wick universe
    >>> [p.name for p in lore.portrayed_by("Eve Macarro")]
    ['Ana de Armas']
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:  # for type checkers; at run time, __getattr__ below imports each on first use
    from ._core.errors import (
        AmbiguousNameError,
        ChronologyError,
        ContinuityWarning,
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
    from ._core.relations import (
        ENTITY_KINDS,
        LAYERS,
        RELATIONS,
        EntityKind,
        Layer,
        RelationKind,
    )
    from ._graph.graph import (
        EntityRef,
        LoreGraph,
        LorePath,
        Relation,
        Relations,
    )
    from ._graph.horizon import Horizon
    from ._graph.provenance import (
        Provenance,
        SourceUsage,
    )
    from ._graph.story_time import Holding, StoryTime
    from ._graph.timeline import (
        StoryOrder,
        Timeline,
        TimelineEntry,
    )
    from ._load.bundled import bundled_data_path
    from ._load.import_build import Imported, write_imported
    from ._load.import_merge import merge_into
    from ._load.import_report import ImportReport
    from ._load.mediawiki_mapping import WikiMapping, load_mapping
    from ._load.mediawiki_records import import_mediawiki
    from ._load.schema import data_file_schema
    from ._load.universe import (
        Origin,
        load,
        load_universe,
    )
    from ._load.wikidata import import_wikidata
    from ._rdf.export import serialize_rdf
    from ._rdf.jsonld import jsonld_context
    from ._rdf.ontology import ontology
    from ._rdf.shacl import (
        ShaclReport,
        ShaclViolation,
        shacl_shapes,
        validate_shacl,
    )
    from ._views.frames import relations_frame
    from ._views.link import (
        Ambiguity,
        Candidate,
        LinkReport,
        Mention,
        link_text,
    )
    from ._views.notebook import InlinePage
    from ._views.serve import LiveServer
    from ._views.sparql.engine import (
        QueryParam,
        QueryResult,
        SparqlQuery,
        run_query,
    )
    from ._views.sparql.remote import (
        Endpoint,
        PushReport,
        push,
        query_endpoint,
    )

__version__ = "0.1.0"

__all__ = [
    "Ambiguity",
    "AmbiguousNameError",
    "Candidate",
    "Character",
    "ChronologyError",
    "ContinuityWarning",
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
    "RelationKind",
    "RelationTypeError",
    "Relations",
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

# Nothing is imported with the package itself: each name imports its module on
# first use (PEP 562), so ``lorekit --help`` and shell completion need no model,
# networkx or rdflib, and ``import lorekit`` stays light.
_LAZY = {
    "Ambiguity": "._views.link",
    "AmbiguousNameError": "._core.errors",
    "Candidate": "._views.link",
    "Character": "._core.model",
    "ChronologyError": "._core.errors",
    "ContinuityWarning": "._core.errors",
    "Citation": "._core.model",
    "Concept": "._core.model",
    "CrossReferenceError": "._core.errors",
    "DataFileError": "._core.errors",
    "DuplicateIdError": "._core.errors",
    "ENTITY_KINDS": "._core.relations",
    "Endpoint": "._views.sparql.remote",
    "EndpointError": "._core.errors",
    "Entity": "._core.model",
    "EntityBase": "._core.model",
    "EntityKind": "._core.relations",
    "EntityRef": "._graph.graph",
    "Event": "._core.model",
    "Faction": "._core.model",
    "Holding": "._graph.story_time",
    "Horizon": "._graph.horizon",
    "InlinePage": "._views.notebook",
    "LAYERS": "._core.relations",
    "Layer": "._core.relations",
    "LinkReport": "._views.link",
    "LiveServer": "._views.serve",
    "LoadError": "._core.errors",
    "LoreError": "._core.errors",
    "LoreGraph": "._graph.graph",
    "LorePath": "._graph.graph",
    "Mention": "._views.link",
    "Note": "._core.model",
    "Origin": "._load.universe",
    "OutputError": "._core.errors",
    "Person": "._core.model",
    "Place": "._core.model",
    "Provenance": "._graph.provenance",
    "PushReport": "._views.sparql.remote",
    "QueryError": "._core.errors",
    "QueryParam": "._views.sparql.engine",
    "QueryResult": "._views.sparql.engine",
    "RDFError": "._core.errors",
    "RELATIONS": "._core.relations",
    "Rating": "._core.model",
    "Relation": "._graph.graph",
    "Relations": "._graph.graph",
    "RelationKind": "._core.relations",
    "RelationTypeError": "._core.errors",
    "SchemaError": "._core.errors",
    "ServeError": "._core.errors",
    "ShaclReport": "._rdf.shacl",
    "ShaclViolation": "._rdf.shacl",
    "Source": "._core.model",
    "SourceUsage": "._graph.provenance",
    "SparqlQuery": "._views.sparql.engine",
    "Statement": "._core.model",
    "StoryOrder": "._graph.timeline",
    "StoryTime": "._graph.story_time",
    "Timeline": "._graph.timeline",
    "TimelineEntry": "._graph.timeline",
    "Title": "._core.model",
    "Universe": "._core.model",
    "UniverseInfo": "._core.model",
    "UnknownEntityError": "._core.errors",
    "UnknownPredicateError": "._core.errors",
    "Work": "._core.model",
    "bundled_data_path": "._load.bundled",
    "data_file_schema": "._load.schema",
    "jsonld_context": "._rdf.jsonld",
    "link_text": "._views.link",
    "load": "._load.universe",
    "load_universe": "._load.universe",
    "ontology": "._rdf.ontology",
    "push": "._views.sparql.remote",
    "relations_frame": "._views.frames",
    "query_endpoint": "._views.sparql.remote",
    "run_query": "._views.sparql.engine",
    "serialize_rdf": "._rdf.export",
    "shacl_shapes": "._rdf.shacl",
    "validate_shacl": "._rdf.shacl",
    "Imported": "._load.import_build",
    "write_imported": "._load.import_build",
    "merge_into": "._load.import_merge",
    "ImportReport": "._load.import_report",
    "WikiMapping": "._load.mediawiki_mapping",
    "load_mapping": "._load.mediawiki_mapping",
    "import_mediawiki": "._load.mediawiki_records",
    "import_wikidata": "._load.wikidata",
}


def __getattr__(name: str) -> _Any:
    """Import a public name's module on first use, and keep the name."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lorekit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
