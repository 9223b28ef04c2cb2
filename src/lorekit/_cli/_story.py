"""Commands about story time and provenance: ``timeline`` and ``sources``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import click
from rich.table import Table
from rich.text import Text

from ._app import (
    _at_json,
    _emit_json,
    _entity_json,
    _handle_errors,
    _horizon_json,
    _horizon_line,
    _json_option,
    _lore_options_with,
    _out,
    _statement_json,
    _story_lore_options,
    main,
)

if TYPE_CHECKING:
    from .._core.model import Statement
    from .._graph.graph import LoreGraph
    from .._graph.story_time import StoryChanges
    from .._graph.timeline import Order, TimelineEntry


def _entry_json(entry: TimelineEntry, changes: StoryChanges | None) -> dict[str, Any]:
    from .._graph.story_time import StoryChanges

    changes = changes or StoryChanges()
    return {
        **_entity_json(entry.entity),
        "position": entry.position + 1,
        "tied_with": [e.id for e in entry.tied_with],
        "unordered_with": [e.id for e in entry.unordered_with],
        "during": entry.during.id if entry.during else None,
        "starts": [_statement_json(st) for st in changes.starts],
        "ends": [_statement_json(st) for st in changes.ends],
        "deaths": [_statement_json(st) for st in changes.deaths],
    }


def _change_lines(changes: StoryChanges, lore: LoreGraph) -> list[Text]:
    def name(ident: str) -> str:
        return lore.entity(ident).name if ident in lore else ident

    def text(st: Statement) -> str:
        return f"{name(st.subject)} {st.relation.label} {name(st.object)}"

    lines = [Text(f"       + {text(st)}", style="green") for st in changes.starts]
    lines += [Text(f"       − {text(st)} (ends)", style="yellow") for st in changes.ends]
    lines += [Text(f"       † {name(st.subject)} dies", style="red") for st in changes.deaths]
    return lines


@main.command()
@_json_option
@_handle_errors
@click.option(
    "--at",
    "at_point",
    metavar="POINT",
    default=None,
    help="Mark POINT (a work or event, by name or id) on the timeline.",
)
@_lore_options_with(order_default="story", pass_order=True)
def timeline(order: str, lore: LoreGraph, as_json: bool, at_point: str | None) -> None:
    """Print the works and events in story order (or release order).

    Items that nothing orders against each other are marked as ties (=);
    an item the data leaves unordered against others says so. Events that
    happen during a work follow it (↳). Under each point, what starts (+)
    and ends (−) there, and who dies (†). With --at, the point is marked (◀).
    """
    from .._graph.story_time import story_changes

    found = lore.timeline(cast("Order", order))
    changes = story_changes(lore.statements)
    point = lore.at(at_point).point if at_point is not None else None
    if as_json:
        _emit_json(
            {
                "order": found.order,
                "as_of": _horizon_json(lore),
                **({"at": _entity_json(point)} if point is not None else {}),
                "groups": [
                    [_entry_json(e, changes.get(e.entity.id)) for e in group]
                    for group in found.groups
                ],
                "unplaced": [_entity_json(e) for e in found.unplaced],
            }
        )
        return
    _out.print(Text(f"{lore.name}: {found.order} order", style="bold"))
    _horizon_line(lore)
    if not changes and point is None:
        _out.print(Text(str(found)))
        return
    lines = str(found).split("\n")
    out: list[Text] = []
    for line, entry in zip(lines, found.entries(), strict=False):
        text = Text(line)
        if point is not None and entry.entity.id == point.id:
            text.append("  ◀ at", style="bold")
        out.append(text)
        if entry.entity.id in changes:
            out += _change_lines(changes[entry.entity.id], lore)
    out += [Text(line) for line in lines[sum(1 for _ in found.entries()) :]]  # not placed
    _out.print(Text("\n").join(out))


def _natural(text: str) -> tuple[Any, ...]:
    """Sort ¶2 before ¶10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


@main.command()
@_json_option
@_handle_errors
@_story_lore_options
def sources(lore: LoreGraph, as_json: bool) -> None:
    """List the sources and films cited, with how many facts each supports."""
    usage = lore.source_usage()
    if as_json:
        _emit_json(
            {
                "as_of": _horizon_json(lore),
                **_at_json(lore),
                "sources": [
                    {
                        **_entity_json(u.source),
                        "statements": dict(u.statements),
                        "notes": dict(u.notes),
                        "entities": u.entities,
                        "total": u.total,
                        "locators": u.locators,
                    }
                    for u in usage
                ],
            }
        )
        return
    _horizon_line(lore)
    table = Table(title=f"Sources of {lore.name}", title_justify="left")
    table.add_column("source")
    table.add_column("kind")
    for column in ("lore", "production", "reception", "notes", "entities"):
        table.add_column(column, justify="right")
    table.add_column("cited at")
    for u in usage:
        table.add_row(
            Text(u.source.name),
            u.source.kind,
            str(u.statements["lore"]),
            str(u.statements["production"]),
            str(u.statements["reception"]),
            str(sum(u.notes.values())),
            str(u.entities),
            Text(", ".join(sorted(u.locators, key=_natural))),
        )
    _out.print(table)
