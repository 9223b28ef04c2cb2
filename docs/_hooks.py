"""MkDocs hook: render the reference pages from the code, so nothing is written twice.

``mkdocs.yml`` loads this file (``hooks:``). At build time it adds four pages
under ``reference/``: entity kinds and their fields (from the pydantic models
and their field docstrings), relation kinds (from :data:`lorekit.RELATIONS`),
the ontology terms with their Wikidata and schema.org mappings (from
:func:`lorekit.ontology`), the command line (from ``--help`` of every
command) and the Python API (one mkdocstrings directive per name of
``lorekit.__all__``, grouped by the module that defines it).
``tests/test_site.py`` builds the site with them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

GENERATED = {
    "reference/entities.md": "entities_page",
    "reference/relations.md": "relations_page",
    "reference/ontology.md": "ontology_page",
    "reference/cli.md": "cli_page",
    "reference/api.md": "api_page",
}


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for uri, builder in GENERATED.items():
        files.append(File.generated(config, uri, content=globals()[builder]()))
    return files


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _type(annotation: Any) -> str:
    """A readable type: ``str``, ``tuple[Citation, ...]``, ``'film' | 'series'``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type(a) for a in args)
    if origin is tuple:
        inner = ", ".join("..." if a is Ellipsis else _type(a) for a in args)
        return f"tuple[{inner}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def entities_page() -> str:
    from lorekit._core.model import (
        ENTITY_MODELS,
        Citation,
        EntityBase,
        Note,
        Rating,
        Statement,
        UniverseInfo,
    )

    lines = [
        "# Entity kinds and fields",
        "",
        "Generated from lorekit's pydantic models and their field docstrings. "
        "A data file lists entities under the plural section of their kind "
        "(`characters`, `people`, …); see [your own universe](../your-universe.md).",
        "",
    ]
    common = set(EntityBase.model_fields)
    lines += ["## Every entity", "", *_fields_table(EntityBase, set()), ""]
    for kind, model in ENTITY_MODELS.items():
        lines += [f"## `{kind}`", "", _cell(model.__doc__ or ""), ""]
        own = _fields_table(model, common | {"kind"})
        lines += own if len(own) > 2 else ["No fields beyond those of every entity."]
        lines.append("")
    records = [
        ("`universe`", UniverseInfo, "The `universe` section: one mapping, in one file."),
        ("`statements`", Statement, "Each item of a `statements` section."),
        ("`notes`", Note, "Each item of a `notes` section."),
        (
            "Citations",
            Citation,
            'An item of `sources`: a mapping, or the short form `"source-id locator"`.',
        ),
        ("Ratings", Rating, "The `rating` of a source: `{value: 2.5, best: 5}`."),
    ]
    lines += ["## Other records", ""]
    for title, model, doc in records:
        lines += [f"### {title}", "", doc, "", *_fields_table(model, set()), ""]
    return "\n".join(lines)


def _fields_table(model: type[Any], skip: set[str]) -> list[str]:
    rows = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        required = "yes" if info.is_required() else ""
        meaning = _cell(info.description or "")
        rows.append(f"| `{name}` | {_type(info.annotation)} | {required} | {meaning} |")
    return rows


def _wikidata(prop: str | None) -> str:
    return f"[{prop}](https://www.wikidata.org/wiki/Property:{prop})" if prop else ""


def _schema(term: str | None) -> str:
    return f"[{term}](https://schema.org/{term})" if term else ""


def relations_page() -> str:
    import lorekit

    lines = [
        "# Relation kinds",
        "",
        "Generated from the relation registry, `lorekit.RELATIONS`. A statement's "
        "`predicate` is one of these names or its inverse reading; the subject must be "
        "of a domain kind and the object of a range kind.",
        "",
        "| predicate | inverse | domain | range | layer | Wikidata | schema.org |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in lorekit.RELATIONS.values():
        inverse = f"`{kind.inverse}`" if kind.inverse else "(symmetric)"
        lines.append(
            f"| [`{kind.name}`](#{kind.name}) | {inverse} | {', '.join(sorted(kind.domain))} "
            f"| {', '.join(sorted(kind.range))} | {kind.layer} | {_wikidata(kind.wikidata)} "
            f"| {_schema(kind.schema_org)} |"
        )
    for kind in lorekit.RELATIONS.values():
        lines += ["", f"## `{kind.name}`", "", _cell(kind.description), ""]
        reads = f"*subject* {kind.label} *object*"
        if kind.inverse:
            reads += f"; inverse `{kind.inverse}`: *object* {kind.inverse_label} *subject*"
        else:
            reads += "; symmetric"
        traits = [t for t, on in (("transitive", kind.transitive),) if on]
        if kind.chronology:
            traits.append(f"orders story time ({kind.chronology})")
        lines.append(f"- reads: {reads}")
        lines.append(f"- layer: {kind.layer}" + (f"; {', '.join(traits)}" if traits else ""))
    lines.append("")
    return "\n".join(lines)


def ontology_page() -> str:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    import lorekit

    graph = lorekit.ontology()
    sections = [
        ("Classes", OWL.Class),
        ("Object properties", OWL.ObjectProperty),
        ("Data properties", OWL.DatatypeProperty),
    ]
    lines = [
        "# Ontology",
        "",
        "Generated from `lorekit.ontology()`, the OWL/RDFS vocabulary that "
        "`lorekit export` uses (`lorekit ontology` prints it as Turtle). Outside "
        "terms are aligned with `skos:exactMatch` (=) or `skos:closeMatch` (≈) only. "
        "See [RDF](../rdf.md).",
    ]
    for title, rdf_type in sections:
        lines += [
            "",
            f"## {title}",
            "",
            "| term | label | matches | comment |",
            "|---|---|---|---|",
        ]
        for subject in sorted(set(graph.subjects(RDF.type, rdf_type)), key=str):
            if not isinstance(subject, URIRef):
                continue
            qname = graph.namespace_manager.normalizeUri(subject)
            if qname.startswith("<"):
                continue
            matches = [f"= {_qname(graph, m)}" for m in graph.objects(subject, SKOS.exactMatch)]
            matches += [f"≈ {_qname(graph, m)}" for m in graph.objects(subject, SKOS.closeMatch)]
            label = graph.value(subject, RDFS.label) or ""
            comment = graph.value(subject, RDFS.comment) or ""
            lines.append(
                f"| `{qname}` | {_cell(label)} | {', '.join(sorted(matches))} | {_cell(comment)} |"
            )
    lines.append("")
    return "\n".join(lines)


def _qname(graph: Any, term: Any) -> str:
    """An outside term as a link to its page: Wikidata items and properties, schema.org."""
    qname = graph.namespace_manager.normalizeUri(term)
    local = str(term).rsplit("/", 1)[-1]
    if str(term).startswith("http://www.wikidata.org/entity/Q"):
        return f"[`{qname}`](https://www.wikidata.org/wiki/{local})"
    if str(term).startswith("http://www.wikidata.org/prop/direct/"):
        return f"[`{qname}`](https://www.wikidata.org/wiki/Property:{local})"
    if str(term).startswith(("https://schema.org/", "http://schema.org/")):
        return f"[`{qname}`](https://schema.org/{local})"
    return f"`{qname}`"


def _commands(
    group: click.Group, ctx: click.Context
) -> Iterator[tuple[str, click.Command, click.Context]]:
    for name in sorted(group.commands):
        command = group.commands[name]
        sub = click.Context(command, info_name=name, parent=ctx)
        yield name, command, sub


def cli_page() -> str:
    from lorekit._cli import main

    settings = {**main.context_settings, "terminal_width": 100, "max_content_width": 100}
    root = click.Context(main, info_name="lorekit", **settings)
    lines = [
        "# Command reference",
        "",
        "Generated from `lorekit --help` and the `--help` of every command. "
        "The [command guide](../cli.md) explains them with examples.",
        "",
        "```text",
        main.get_help(root),
        "```",
    ]
    for name, command, ctx in _commands(main, root):
        lines += ["", f"## `lorekit {name}`", "", "```text", command.get_help(ctx), "```"]
    lines.append("")
    return "\n".join(lines)


# Sections of the API page, by defining module; a module not listed here gets
# the first line of its docstring as its title, after these.
API_SECTIONS = {
    "lorekit._load.universe": "Loading a universe",
    "lorekit._graph.graph": "The graph and its queries",
    "lorekit._core.model": "The data model",
    "lorekit._core.relations": "The relation registry",
    "lorekit._rdf.export": "RDF export",
    "lorekit._rdf.ontology": "The ontology",
    "lorekit._rdf.jsonld": "JSON-LD",
    "lorekit._rdf.shacl": "SHACL",
    "lorekit._views.sparql.engine": "SPARQL queries",
    "lorekit._views.sparql.query": "SPARQL query files and results",
    "lorekit._views.link": "Linking texts",
    "lorekit._views.link_report": "Link reports",
    "lorekit._load.schema": "The JSON Schema of the data files",
    "lorekit._core.errors": "Errors",
}


def api_page() -> str:
    import importlib

    import lorekit

    groups: dict[str, list[str]] = {}
    for name in lorekit.__all__:
        if name.startswith("__"):
            continue
        value = getattr(lorekit, name)
        module = getattr(value, "__module__", None)
        if not (isinstance(module, str) and module.startswith("lorekit.")):
            module = "constants"
        groups.setdefault(module, []).append(name)
    order = [m for m in API_SECTIONS if m in groups]
    order += sorted(m for m in groups if m not in API_SECTIONS and m != "constants")
    lines = [
        "# Python API",
        "",
        "Generated by mkdocstrings from the docstrings of every public name "
        "(`lorekit.__all__`), grouped by the module that defines it. Start with "
        "[`lorekit.load`](#lorekit.load), which returns a "
        "[`LoreGraph`](#lorekit.LoreGraph).",
    ]
    for module in order:
        title = API_SECTIONS.get(module)
        if title is None:
            doc = importlib.import_module(module).__doc__ or module
            title = doc.strip().splitlines()[0].rstrip(".")
        lines += ["", f"## {title}"]
        if module == "lorekit._core.errors":  # its docstring draws the tree of errors
            lines += ["", f"::: {module}", "    options:", "      show_root_heading: false"]
            lines += ["      members: false"]
        lines += [f"\n::: lorekit.{name}" for name in groups[module]]
    if "constants" in groups:
        lines += ["", "## Constants and types"]
        lines += [f"\n::: lorekit.{name}" for name in groups["constants"]]
    lines.append("")
    return "\n".join(lines)
