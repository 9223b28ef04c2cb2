"""Commands about story time and provenance: ``timeline`` and ``sources``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from rich.table import Table
from rich.text import Text

from ._app import (
    _emit_json,
    _entity_json,
    _handle_errors,
    _horizon_json,
    _horizon_line,
    _json_option,
    _lore_options,
    _lore_options_with,
    _out,
    main,
)

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph
    from .._graph.timeline import Order, TimelineEntry


def _entry_json(entry: TimelineEntry) -> dict[str, Any]:
    return {
        **_entity_json(entry.entity),
        "position": entry.position + 1,
        "tied_with": [e.id for e in entry.tied_with],
        "unordered_with": [e.id for e in entry.unordered_with],
        "during": entry.during.id if entry.during else None,
    }


@main.command()
@_json_option
@_handle_errors
@_lore_options_with(order_default="story", pass_order=True)
def timeline(order: str, lore: LoreGraph, as_json: bool) -> None:
    """Print the works and events in story order (or release order).

    Items that nothing orders against each other are marked as ties (=);
    an item the data leaves unordered against others says so. Events that
    happen during a work follow it (↳).
    """
    found = lore.timeline(cast("Order", order))
    if as_json:
        _emit_json(
            {
                "order": found.order,
                "as_of": _horizon_json(lore),
                "groups": [[_entry_json(e) for e in group] for group in found.groups],
                "unplaced": [_entity_json(e) for e in found.unplaced],
            }
        )
        return
    _out.print(Text(f"{lore.name}: {found.order} order", style="bold"))
    _horizon_line(lore)
    _out.print(Text(str(found)))


def _natural(text: str) -> tuple[Any, ...]:
    """Sort ¶2 before ¶10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


@main.command()
@_json_option
@_handle_errors
@_lore_options
def sources(lore: LoreGraph, as_json: bool) -> None:
    """List the sources and films cited, with how many facts each supports."""
    usage = lore.source_usage()
    if as_json:
        _emit_json(
            {
                "as_of": _horizon_json(lore),
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
