"""The public face: exactly the names we mean to export, and nothing run at import."""

from __future__ import annotations

import subprocess
import sys

import lorekit

EXPECTED = {
    # loading and the graph
    "load", "load_universe", "bundled_data_path", "LoreGraph", "LorePath", "Relation",
    "EntityRef", "Origin",
    # the model
    "Universe", "UniverseInfo", "Entity", "EntityBase", "Character", "Faction", "Title",
    "Place", "Work", "Event", "Person", "Concept", "Source", "Rating", "Citation",
    "Statement", "Note",
    # the registry
    "RELATIONS", "RelationKind", "ENTITY_KINDS", "EntityKind", "LAYERS", "Layer",
    # the data format
    "data_file_schema",
    # RDF, SHACL and SPARQL
    "serialize_rdf", "ontology", "jsonld_context", "shacl_shapes", "validate_shacl",
    "ShaclReport", "ShaclViolation", "run_query", "SparqlQuery", "QueryParam", "QueryResult",
    # a SPARQL server
    "push", "query_endpoint", "Endpoint", "PushReport", "EndpointError",
    # linking texts to the graph
    "link_text", "LinkReport", "Mention", "Ambiguity", "Candidate",
    # errors
    "LoreError", "DataFileError", "SchemaError", "CrossReferenceError",
    "UnknownEntityError", "UnknownPredicateError", "AmbiguousNameError", "DuplicateIdError",
    "RelationTypeError", "ChronologyError", "OutputError", "LoadError", "RDFError", "QueryError",
    "__version__",
}  # fmt: skip


def test_all_is_exactly_the_public_api() -> None:
    assert set(lorekit.__all__) == EXPECTED
    assert len(lorekit.__all__) == len(EXPECTED)
    for name in lorekit.__all__:
        assert hasattr(lorekit, name), name


def test_public_objects_come_from_private_modules() -> None:
    import inspect

    for name in lorekit.__all__:
        obj = getattr(lorekit, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__.startswith("lorekit._"), (name, obj.__module__)


def test_every_error_is_a_lore_error() -> None:
    errors = [getattr(lorekit, n) for n in lorekit.__all__ if n.endswith("Error")]
    assert errors and all(issubclass(e, lorekit.LoreError) for e in errors)


def test_import_is_light_and_does_no_io() -> None:
    code = (
        "import sys, lorekit\n"
        "heavy = [m for m in ('rdflib', 'pyvis', 'rich', 'click') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_version_matches_metadata() -> None:
    from importlib.metadata import version

    assert lorekit.__version__ == version("lorekit")
