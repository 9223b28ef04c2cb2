"""The ``lorekit`` command: a thin layer that parses, calls the library and prints.

Every command takes ``--data PATH`` (default: the bundled John Wick universe);
every query command takes ``--json``. A :class:`LoreError` prints as
``file:line: message`` on standard error with exit code 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._errors import LoadError, LoreError
from ._graph import LoreGraph, Relation
from ._io import write_atomic
from ._load import bundled_data_path, load
from ._model import Citation, EntityBase, Note, Statement
from ._relations import LAYERS, Layer
from ._schema import data_file_schema

_F = TypeVar("_F", bound=Callable[..., Any])

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _data_option(func: _F) -> _F:
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path),
        default=None,
        metavar="PATH",
        help="A universe: a directory of YAML files or one YAML file. "
        "Default: the bundled John Wick universe.",
    )(func)


def _json_option(func: _F) -> _F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")(
        func
    )


def _layer_option(default: str) -> Callable[[_F], _F]:
    return click.option(
        "--layer",
        type=click.Choice([*LAYERS, "all"]),
        default=default,
        show_default=True,
        help="Keep statements of one layer: lore (in-universe), production "
        "(real world), reception (critics), or all.",
    )


def _handle_errors(func: _F) -> _F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LoadError as exc:
            for error in exc.errors:
                _err.print(Text(str(error)))
            n = len(exc.errors)
            _err.print(Text(f"{n} error{'s' if n != 1 else ''}; nothing was loaded."))
            sys.exit(1)
        except LoreError as exc:
            _err.print(Text(f"error: {exc}"))
            sys.exit(1)

    return cast(_F, wrapper)


def _emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _entity_json(entity: EntityBase) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind}  # type: ignore[attr-defined]


def _statement_json(st: Statement) -> dict[str, Any]:
    return st.model_dump(mode="json", exclude_none=True)


def _relation_json(rel: Relation) -> dict[str, Any]:
    return {
        "label": rel.label,
        "other": _entity_json(rel.other),
        **_statement_json(rel.statement),
    }


def _sources_text(sources: Iterable[Citation], lore: LoreGraph) -> str:
    """Citations grouped by source: ``Screen Scribe review of Ballerina ¶1, ¶4``."""
    grouped: dict[str, list[str]] = {}
    for citation in sources:
        locators = grouped.setdefault(citation.source, [])
        if citation.locator:
            locators.append(citation.locator)
    parts = []
    for source, locators in grouped.items():
        name = lore.entity(source).name if source in lore else source
        parts.append(f"{name} {', '.join(locators)}" if locators else name)
    return "; ".join(parts)


def _layers(layer: str) -> list[Layer] | None:
    return None if layer == "all" else [cast(Layer, layer)]


def _relations_table(title: str, relations: Sequence[Relation], lore: LoreGraph) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("relation", style="bold")
    table.add_column("with")
    table.add_column("layer")
    table.add_column("sources")
    for rel in relations:
        who = Text(rel.other.name)
        who.append(f" ({rel.other.kind})", style="dim")  # type: ignore[attr-defined]
        label = Text(rel.label)
        if rel.statement.note:
            label.append(f" — {rel.statement.note}", style="italic")
        table.add_row(label, who, rel.layer, Text(_sources_text(rel.statement.sources, lore)))
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lorekit")
def main() -> None:
    """lorekit: typed knowledge graphs of franchise lore.

    Every command reads the bundled John Wick universe unless --data names
    another one.
    """


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
