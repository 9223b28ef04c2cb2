"""Commands that read a universe and answer questions about it."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from .._graph import LoreGraph
from .._io import write_atomic
from .._load import bundled_data_path, load
from .._model import Note
from .._relations import LAYERS
from .._schema import data_file_schema
from ._app import (
    _data_option,
    _emit_json,
    _entity_json,
    _err,
    _handle_errors,
    _json_option,
    _layer_option,
    _layers,
    _out,
    _relation_json,
    _relations_table,
    _sources_text,
    main,
)


@main.command()
@_data_option
@_handle_errors
def validate(data: Path | None) -> None:
    """Check a universe: every file, record and cross-reference.

    Prints every problem as FILE:LINE: MESSAGE and exits with 1 if there is
    any; nothing is half-loaded.
    """
    lore = load(data)
    where = data if data is not None else bundled_data_path()
    c = lore.counts()
    _out.print(
        Text(
            f"ok: {lore.name}: {sum(c['entities'].values())} entities, "
            f"{len(lore.statements)} statements, {len(lore.notes)} notes ({where})"
        )
    )


@main.command()
@_data_option
@_json_option
@_handle_errors
def info(data: Path | None, as_json: bool) -> None:
    """Summarise a universe: entities by kind, statements and notes by layer."""
    lore = load(data)
    counts = lore.counts()
    if as_json:
        _emit_json(
            {
                "universe": lore.universe.info.model_dump(mode="json", exclude_none=True),
                "entities": dict(sorted(counts["entities"].items())),
                "statements": dict(counts["statements"]),
                "notes": {layer: counts["notes"][layer] for layer in LAYERS},
            }
        )
        return
    _out.print(Text(lore.name, style="bold"))
    if lore.universe.info.description:
        _out.print(Text(lore.universe.info.description))
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
@click.argument("entity")
@_data_option
@_json_option
@_handle_errors
def show(entity: str, data: Path | None, as_json: bool) -> None:
    """Show one entity (by id, name or alias) with its relations and notes."""
    lore = load(data)
    found = lore.entity(entity)
    relations = lore.relations(found)
    notes = [n for n in lore.notes if found.id in n.about]
    if as_json:
        _emit_json(
            {
                "entity": found.model_dump(mode="json", exclude_none=True),
                "relations": [_relation_json(r) for r in relations],
                "notes": [n.model_dump(mode="json", exclude_none=True) for n in notes],
            }
        )
        return
    head = Text(found.name, style="bold")
    head.append(f"  {found.kind} · {found.id}", style="dim")  # type: ignore[attr-defined]
    _out.print(head)
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


def _print_notes(notes: Sequence[Note], lore: LoreGraph) -> None:
    table = Table(title="Notes", title_justify="left")
    table.add_column("layer")
    table.add_column("note")
    table.add_column("sources")
    for note in notes:
        table.add_row(note.layer, Text(note.text), Text(_sources_text(note.sources, lore)))
    _out.print(table)


@main.command()
@click.argument("entity")
@click.option(
    "--predicate",
    "-p",
    default=None,
    help="Keep one predicate, in either reading (member_of or has_member).",
)
@_layer_option("all")
@_data_option
@_json_option
@_handle_errors
def relations(
    entity: str, predicate: str | None, layer: str, data: Path | None, as_json: bool
) -> None:
    """List the statements touching ENTITY, read from its side."""
    lore = load(data)
    found = lore.entity(entity)
    rels = lore.relations(found, predicate, layer=_layers(layer))
    if as_json:
        _emit_json({"entity": _entity_json(found), "relations": [_relation_json(r) for r in rels]})
        return
    if not rels:
        _out.print(Text(f"{found.name} has no relations that match."))
        return
    _out.print(_relations_table(f"Relations of {found.name}", rels, lore))


@main.command()
@click.argument("start")
@click.argument("end")
@_layer_option("all")
@_data_option
@_json_option
@_handle_errors
def path(start: str, end: str, layer: str, data: Path | None, as_json: bool) -> None:
    """Explain the shortest connection from START to END.

    Lore steps are preferred; --layer lore ignores casting, crew and critics.
    """
    lore = load(data)
    a, b = lore.entity(start), lore.entity(end)
    found = lore.path(a, b, layers=_layers(layer))
    if as_json:
        _emit_json(
            {
                "from": _entity_json(a),
                "to": _entity_json(b),
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
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file instead of standard output.",
)
@_handle_errors
def schema(output: Path | None) -> None:
    """Write the JSON Schema of lorekit's YAML data files.

    Point your editor at it to check and complete data files; see the README.
    """
    text = json.dumps(data_file_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        _err.print(Text(f"wrote {output}"))
