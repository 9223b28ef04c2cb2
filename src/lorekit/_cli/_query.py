"""Commands that read a universe and answer questions about it."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from .._core.formats import RDF_FORMATS
from .._core.relations import LAYERS
from ._app import (
    _at_json,
    _data_option,
    _emit_json,
    _entity_json,
    _err,
    _handle_errors,
    _horizon_json,
    _horizon_line,
    _json_option,
    _layer_option,
    _layers,
    _load,
    _out,
    _output_option,
    _relation_json,
    _relations_table,
    _sources_text,
    _story_lore_options,
    _write_output,
    main,
)
from ._complete import complete_entity

if TYPE_CHECKING:
    from .._core.model import EntityBase, Note
    from .._graph.graph import LoreGraph
    from .._graph.provenance import Provenance


@main.command()
@click.option(
    "--shacl",
    is_flag=True,
    help="Check the RDF against lorekit's SHACL shapes with pySHACL. An RDF file "
    "given to --data (even one another tool wrote) is checked as it is.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (continuity slips such as a character at an event after "
    "their death) as errors.",
)
@_data_option
@_handle_errors
def validate(data: Path | None, shacl: bool, strict: bool) -> None:
    """Check a universe: every file, record and cross-reference, and its continuity.

    Prints every problem as FILE:LINE: MESSAGE and exits with 1 if there is
    any; nothing is half-loaded. Warnings (FILE:LINE: warning: MESSAGE) do
    not fail the check unless --strict. With --shacl, also checks its RDF
    export against the SHACL shapes (or, for an RDF file, only that).
    """
    from .._core.progress import progress
    from .._load.reader import entry_for
    from .._load.universe import bundled_data_path

    if shacl:
        from ._rdf import shacl_check

        entry = None if data is None else entry_for(data)
        if data is not None and entry is not None and entry.name in RDF_FORMATS:
            shacl_check(data)  # an RDF file is checked as it is
            return
    lore = _load(data)
    where = data if data is not None else bundled_data_path()
    warnings = lore.warnings()
    for warning in warnings:
        loc = f"{warning.location}: " if warning.location else ""
        _err.print(Text(f"{loc}{'error' if strict else 'warning'}: {warning.message}"))
    if strict and warnings:
        n = len(warnings)
        _err.print(Text(f"{n} warning{'s' if n != 1 else ''}, errors with --strict."))
        sys.exit(1)
    c = lore.counts()
    _out.print(
        Text(
            f"ok: {lore.name}: {sum(c['entities'].values())} entities, "
            f"{len(lore.statements)} statements, {len(lore.notes)} notes ({where})"
        )
    )
    if shacl:
        with progress("checking the SHACL shapes"):
            shacl_check(lore)


@main.command()
@_json_option
@_handle_errors
@_story_lore_options
def info(lore: LoreGraph, as_json: bool) -> None:
    """Summarise a universe: entities by kind, statements and notes by layer."""
    counts = lore.counts()
    if as_json:
        _emit_json(
            {
                "universe": lore.info.model_dump(mode="json", exclude_none=True),
                "as_of": _horizon_json(lore),
                **_at_json(lore),
                "entities": dict(sorted(counts["entities"].items())),
                "statements": dict(counts["statements"]),
                "notes": {layer: counts["notes"][layer] for layer in LAYERS},
            }
        )
        return
    _out.print(Text(lore.name, style="bold"))
    _horizon_line(lore)
    if lore.info.description:
        _out.print(Text(lore.info.description))
    from rich.table import Table

    kinds = Table(title="Entities", title_justify="left")
    kinds.add_column("kind")
    kinds.add_column("count", justify="right")
    for kind, n in sorted(counts["entities"].items()):
        kinds.add_row(kind, str(n))
    kinds.add_row("total", str(sum(counts["entities"].values())), style="bold")
    _out.print(kinds)
    layers = Table(title="Statements and notes by layer", title_justify="left")
    layers.add_column("layer")
    layers.add_column("statements", justify="right")
    layers.add_column("notes", justify="right")
    for layer in LAYERS:
        layers.add_row(layer, str(counts["statements"][layer]), str(counts["notes"][layer]))
    _out.print(layers)


@main.command()
@click.argument("entity", shell_complete=complete_entity)
@click.option(
    "--sources", "with_sources", is_flag=True, help="List where each fact about it comes from."
)
@_layer_option("all")
@_json_option
@_handle_errors
@_story_lore_options
def show(entity: str, with_sources: bool, layer: str, lore: LoreGraph, as_json: bool) -> None:
    """Show one entity (by id, name or alias) with its relations and notes.

    With --sources, list every fact about it with the source and place it
    comes from.
    """
    found = lore.entity(entity)
    relations = lore.relations(found, layer=_layers(layer))
    notes = [n for n in lore.notes if found.id in n.about and layer in ("all", n.layer)]
    provenance = [p for p in lore.sources_of(found) if layer in ("all", p.layer)]
    if as_json:
        result: dict[str, Any] = {
            "entity": found.model_dump(mode="json", exclude_none=True),
            "as_of": _horizon_json(lore),
            **_at_json(lore),
            "relations": [_relation_json(r) for r in relations],
            "notes": [n.model_dump(mode="json", exclude_none=True) for n in notes],
        }
        if lore.point is not None and found.kind == "character":
            result["dead"] = lore.dead(found)
        if with_sources:
            result["sources"] = [_provenance_json(p) for p in provenance]
        _emit_json(result)
        return
    head = Text(found.name, style="bold")
    head.append(f"  {found.kind} · {found.id}", style="dim")
    _out.print(head)
    _horizon_line(lore)
    _dead_line(lore, found)
    fields = found.model_dump(exclude={"id", "name", "kind", "sources"}, exclude_none=True)
    for key, value in fields.items():
        if value in ((), [], None):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        if key == "first_appearance":
            shown = lore.entity(shown).name
        _out.print(Text(f"{key.replace('_', ' ')}: ", style="bold") + Text(shown))
    if found.sources:
        _out.print(Text("sources: ", style="bold") + Text(_sources_text(found.sources, lore)))
    if relations:
        _out.print(_relations_table("Relations", relations, lore))
    if notes:
        _print_notes(notes, lore)
    if with_sources:
        _print_provenance(provenance)


def _dead_line(lore: LoreGraph, found: EntityBase) -> None:
    """At a story point, whether a character is dead by then."""
    if lore.point is None or found.kind != "character":
        return
    dead = lore.dead(found)
    if dead == "does-not-hold":
        return
    where = ", ".join(r.other.name for r in lore.relations(found, "dies_in") if not r.inverse)
    if dead == "holds":
        _out.print(Text(f"† dead by {lore.point.name} (dies in {where})", style="bold red"))
    else:
        _out.print(
            Text(f"† may be dead by {lore.point.name}: dies in {where}, not ordered against it")
        )


def _provenance_json(p: Provenance) -> dict[str, Any]:
    return {
        "fact": p.text,
        "layer": p.layer,
        "source": _entity_json(p.source) if p.source else {"id": p.citation.source},
        "locator": p.citation.locator,
    }


def _print_provenance(provenance: Sequence[Provenance]) -> None:
    from rich.table import Table

    table = Table(title="Sources", title_justify="left")
    table.add_column("fact")
    table.add_column("layer")
    table.add_column("source")
    table.add_column("where")
    for p in provenance:
        name = p.source.name if p.source else p.citation.source
        table.add_row(Text(p.text), p.layer, Text(name), Text(p.citation.locator or ""))
    _out.print(table)


def _print_notes(notes: Sequence[Note], lore: LoreGraph) -> None:
    from rich.table import Table

    table = Table(title="Notes", title_justify="left")
    table.add_column("layer")
    table.add_column("note")
    table.add_column("sources")
    for note in notes:
        table.add_row(note.layer, Text(note.text), Text(_sources_text(note.sources, lore)))
    _out.print(table)


@main.command()
@click.argument("entity", shell_complete=complete_entity)
@click.option(
    "--predicate",
    "-p",
    default=None,
    help="Keep one predicate, in either reading (member_of or has_member).",
)
@_layer_option("lore")
@_json_option
@_handle_errors
@_story_lore_options
def relations(
    entity: str, predicate: str | None, layer: str, lore: LoreGraph, as_json: bool
) -> None:
    """List the statements touching ENTITY, read from its side.

    In-universe statements only, unless --layer widens them; how many
    statements of the other layers match is said under the table (and as
    "hidden" in the JSON).
    """
    found = lore.entity(entity)
    rels = lore.relations(found, predicate, layer=_layers(layer))
    hidden = _hidden_layers(lore, found, predicate, layer)
    if as_json:
        _emit_json(
            {
                "entity": _entity_json(found),
                "as_of": _horizon_json(lore),
                **_at_json(lore),
                "relations": [_relation_json(r) for r in rels],
                "hidden": hidden,
            }
        )
        return
    if not rels:
        what = "relations that match" if predicate else "relations"
        if hidden:
            _out.print(Text(f"{found.name} has no {layer} {what}; {_hidden_text(hidden)}."))
        elif layer != "all":
            _out.print(Text(f"{found.name} has no {what}, in any layer."))
        else:
            _out.print(Text(f"{found.name} has no {what}."))
        return
    _out.print(_relations_table(f"Relations of {found.name}", rels, lore))
    if hidden:
        _out.print(Text(f"({_hidden_text(hidden)})", style="dim"))


def _hidden_layers(
    lore: LoreGraph, found: EntityBase, predicate: str | None, layer: str
) -> dict[str, int]:
    """How many statements that match, layer by layer, ``--layer`` leaves out."""
    if layer == "all":
        return {}
    counts = Counter(r.layer for r in lore.relations(found, predicate) if r.layer != layer)
    return {name: counts[name] for name in LAYERS if counts[name]}


def _hidden_text(hidden: dict[str, int]) -> str:
    """``2 production statements are hidden: add --layer all to show them``."""
    total = sum(hidden.values())
    parts = ", ".join(f"{n} {name}" for name, n in hidden.items())
    noun = "statement is" if total == 1 else "statements are"
    them = "it" if total == 1 else "them"
    return f"{parts} {noun} hidden: add --layer all to show {them}"


@main.command()
@click.argument("start", shell_complete=complete_entity)
@click.argument("end", shell_complete=complete_entity)
@_layer_option("all")
@_json_option
@_handle_errors
@_story_lore_options
def path(start: str, end: str, layer: str, lore: LoreGraph, as_json: bool) -> None:
    """Explain the shortest connection from START to END.

    Lore steps are preferred; --layer lore ignores casting, crew and critics.
    """
    a, b = lore.entity(start), lore.entity(end)
    found = lore.path(a, b, layers=_layers(layer))
    if as_json:
        _emit_json(
            {
                "from": _entity_json(a),
                "to": _entity_json(b),
                **_at_json(lore),
                "found": found is not None,
                "text": str(found) if found is not None else None,
                "steps": [_relation_json(r) for r in found.steps] if found else [],
            }
        )
        if found is None:
            sys.exit(1)
        return
    if found is None:
        _err.print(Text(f"no connection between {a.name} and {b.name} in layer {layer}"))
        sys.exit(1)
    _out.print(Text(str(found) or a.name, style="bold"))
    _out.print(_relations_table("Steps", found.steps, lore))


@main.command()
@_output_option("the schema")
@_handle_errors
def schema(output: Path | None) -> None:
    """Write the JSON Schema of lorekit's YAML data files.

    Point your editor at it to check and complete data files; see the README.
    """
    from .._load.schema import data_file_schema

    text = json.dumps(data_file_schema(), indent=2, ensure_ascii=False) + "\n"
    _write_output(text, output)
