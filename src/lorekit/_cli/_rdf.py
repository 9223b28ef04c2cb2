"""Commands for RDF: export (and its graph formats), the ontology, the JSON-LD context,
the shapes, SPARQL queries.

rdflib loads only when one of these commands runs.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import cast

import click
from rich.table import Table
from rich.text import Text

from .._core.formats import (
    GRAPH_FORMATS,
    RDF_FORMATS,
    GraphFormat,
    RdfFormat,
    graph_format_for_suffix,
    rdf_format_for_suffix,
)
from .._graph.graph import LoreGraph
from .._views.sparql.engine import ENGINES, Engine, engine_named
from .._views.sparql.query import SparqlQuery, query_bindings
from .._views.sparql.remote import Endpoint, EndpointEngine
from ._app import (
    _emit_json,
    _err,
    _handle_errors,
    _json_option,
    _lore_options,
    _out,
    _output_option,
    _to_stdout,
    _write_output,
    main,
)
from ._remote import endpoint_options


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*RDF_FORMATS, *GRAPH_FORMATS]),
    default=None,
    help="ttl (Turtle), nt (N-Triples), jsonld (JSON-LD), xml (RDF/XML), trig or nq "
    "(N-Quads); or, for Gephi, Cytoscape, Neo4j and spreadsheets, graphml, gexf "
    "(GEXF 1.3) or csv (a directory of nodes.csv and edges.csv). "
    "Default: from the suffix of -o, else ttl.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, path_type=Path),
    default=None,
    metavar="FILE|DIR",
    help="Write the export to FILE ('-' for standard output; default), or for "
    "--format csv to DIR, a new (or empty) directory.",
)
@click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="The universe's IRI, which every record IRI starts with. "
    "Default: https://w3id.org/lorekit/universe/ID/.",
)
@_handle_errors
@_lore_options
def export(fmt: str | None, output: Path | None, base: str | None, lore: LoreGraph) -> None:
    """Export the universe as RDF, with every statement's sources and layer, or as a graph.

    The RDF output is deterministic (the same data gives the same bytes), and
    every command reads it back with --data FILE, into the same universe.
    GraphML, GEXF and CSV carry each entity (id, name, kind, description) and
    each statement (predicate, reading, layer, sources, note) for graph tools;
    --as-of cuts them like the RDF.
    """
    if fmt is None and not _to_stdout(output):
        suffix = cast(Path, output).suffix
        found = graph_format_for_suffix(suffix) or rdf_format_for_suffix(suffix)
        fmt = found.key if found is not None else None
    if fmt in GRAPH_FORMATS:
        _export_graph(lore, cast(GraphFormat, fmt), output, base=base)
        return
    from .._rdf.export import serialize_rdf

    try:
        text = serialize_rdf(lore, cast(RdfFormat, fmt or "ttl"), base=base)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from exc
    _write_output(text, output)


def _export_graph(
    lore: LoreGraph, fmt: GraphFormat, output: Path | None, *, base: str | None
) -> None:
    """``export --format graphml|gexf|csv``: written by the graph-format writers."""
    from .._views.graph_formats import to_gexf, to_graphml, write_graph

    if base is not None:
        raise click.UsageError(f"--base sets RDF IRIs; {fmt} has none")
    if GRAPH_FORMATS[fmt].directory:
        if _to_stdout(output):
            raise click.UsageError(f"--format {fmt} writes a directory: give it with -o DIR")
        write_graph(lore, fmt, cast(Path, output))
        _err.print(Text(f"wrote {output}/nodes.csv and {output}/edges.csv"))
        return
    _write_output(to_graphml(lore) if fmt == "graphml" else to_gexf(lore), output)


@main.command()
@_output_option("the ontology")
@_handle_errors
def ontology(output: Path | None) -> None:
    """Write the lorekit ontology (OWL/RDFS, Turtle), generated from the registry."""
    from .._rdf.ontology import ontology_turtle

    _write_output(ontology_turtle(), output)


@main.command()
@_output_option("the context")
@_handle_errors
def context(output: Path | None) -> None:
    """Write the JSON-LD context that lorekit's JSON-LD export uses."""
    import json

    from .._rdf.jsonld import jsonld_context

    _write_output(json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n", output)


@main.command()
@_output_option("the shapes")
@_handle_errors
def shapes(output: Path | None) -> None:
    """Write the SHACL shapes (Turtle) that `lorekit validate --shacl` checks against."""
    from .._rdf.shacl import shapes_turtle

    _write_output(shapes_turtle(), output)


def _parse_bind(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--bind")
        out[name.strip().lstrip("?")] = value
    return out


def _bind_option(name: str) -> str:
    """How to give parameter ``name`` a value on the command line."""
    return f"--bind {name}=VALUE"


@main.command()
@click.argument("query_file", metavar="FILE.rq", type=click.Path(path_type=Path))
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value for one of the query's parameters; repeat for several. An entity "
    "may be given by id, name or alias. Values are bound as RDF terms, never "
    "pasted into the query.",
)
@_json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default="rdflib",
    show_default=True,
    help="The local SPARQL engine: oxigraph is faster on large universes and needs "
    "pip install 'lorekit[fast]'.",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: a named graph to query as the default graph; repeat for "
    "several. Default: the universe's graph and the ontology's, as push names them.",
)
@endpoint_options(required=False)
@_handle_errors
@_lore_options
def query(
    query_file: Path,
    binds: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
    engine: str,
    graphs: tuple[str, ...],
    endpoint: Endpoint | None,
    lore: LoreGraph,
) -> None:
    """Run a SPARQL query (a .rq file) against the universe, or at a SPARQL server.

    FILE.rq may also name a query shipped with lorekit, such as
    faction-members (the repository's queries/). The query's header comment
    lists its parameters and their defaults. With --endpoint the query runs
    at the server that `lorekit push` filled; entity parameters are still
    resolved in the local universe (--data).
    """
    if as_json and as_csv:
        raise click.UsageError("use --json or --csv, not both")
    bindings = _parse_bind(binds)
    sparql = SparqlQuery.from_file(query_file)
    runner: Engine
    if endpoint is not None:
        if engine != "rdflib":
            raise click.UsageError("--engine runs a query locally; --endpoint at a server")
        runner = EndpointEngine(endpoint, graphs=list(graphs) or None)
    elif graphs:
        raise click.UsageError("--graph needs --endpoint")
    else:
        runner = engine_named(engine)
    # run_query and query_endpoint, with the parameters' messages naming --bind
    init = query_bindings(lore, sparql, bindings, how_to_bind=_bind_option)
    result = runner.run(lore, sparql, init)
    records = result.records()
    if as_json:
        _emit_json({"query": sparql.title, "variables": list(result.variables), "results": records})
        return
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.variables)
        for record in records:
            writer.writerow(["" if v is None else v for v in record.values()])
        return
    if not records:
        _out.print(Text(f"{sparql.title or query_file}: no results."))
        return
    table = Table(title=sparql.title or str(query_file), title_justify="left")
    for variable in result.variables:
        table.add_column(variable)
    for record in records:
        table.add_row(*(Text("" if v is None else str(v)) for v in record.values()))
    _out.print(table)


def shacl_check(data: LoreGraph | Path) -> None:
    """Print the SHACL report of ``data`` (for ``validate --shacl``); exit 1 on violations."""
    from .._rdf.shacl import validate_shacl

    report = validate_shacl(data)
    if report.conforms:
        _out.print(Text("ok: conforms to the lorekit SHACL shapes"))
        return
    for violation in report.violations:
        _err.print(Text(str(violation)))
    n = len(report.violations)
    _err.print(Text(f"{n} violation{'s' if n != 1 else ''} of the lorekit SHACL shapes."))
    sys.exit(1)
