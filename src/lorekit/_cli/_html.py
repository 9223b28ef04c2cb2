"""The ``html`` command: write the graph page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from .._core.progress import progress
from ._app import (
    _echo_stdout,
    _err,
    _handle_errors,
    _lore_options,
    _output_option,
    _page_options,
    _to_stdout,
    main,
)

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph


@main.command()
@_output_option("the page", default=Path("lore.html"))
@_page_options
@_handle_errors
@_lore_options
def html(output: Path, title: str | None, at: str | None, lore: LoreGraph) -> None:
    """Write the graph page: one HTML file to explore the universe offline.

    Open it in any browser, no server or network needed: search by name,
    alias or title, filter by kind, layer and relation, read each entity's
    relations with their sources in the side panel, and pick an "as of" work
    to hide spoilers. With --as-of, the file itself holds nothing beyond that
    work. Pick an "At" point to see the world as it stands then in the story:
    relations that no longer hold disappear, the dead are marked; --at opens
    the page at that point.
    """
    if _to_stdout(output):
        with progress("writing the page"):
            page = lore.to_html(title=title, at=at)
        _echo_stdout(page)
        return
    with progress("writing the page"):
        lore.to_html(output, title=title, at=at)
    _err.print(
        Text(
            f"wrote {output}: {len(lore)} entities, {len(lore.statements)} statements; "
            "open it in a browser"
        )
    )
