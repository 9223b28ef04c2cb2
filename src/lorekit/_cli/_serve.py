"""The ``serve`` command: the live page, rebuilt while the data is edited."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click
from rich.text import Text

from ._app import _data_option, _err, _handle_errors, _out, _page_options, main


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port on 127.0.0.1; 0 picks a free one.",
)
@_page_options
@click.option(
    "--as-of",
    "as_of",
    metavar="WORK",
    default=None,
    help="Serve only what a viewer knows after watching up to WORK (name or id): no spoilers.",
)
@click.option(
    "--order",
    type=click.Choice(["release", "story"]),
    default="release",
    show_default=True,
    help="Release order or story (in-universe) order, for --as-of.",
)
@_data_option
@_handle_errors
def serve(
    port: int,
    title: str | None,
    as_of: str | None,
    order: Literal["release", "story"],
    at: str | None,
    data: Path | None,
) -> None:
    """Serve the graph page on 127.0.0.1 and rebuild it whenever a data file changes.

    Open the address it prints: the tab updates by itself after each save,
    keeping the selected entity and the view. While the data has errors the
    page lists them, and it comes back to the graph once they are fixed. Only
    this machine can read it. Stop it with Ctrl-C. --as-of and --at work as
    for `lorekit html`, on every rebuild.
    """
    from .._views.serve import LiveServer

    server = LiveServer(data, port=port, title=title, as_of=as_of, order=order, at=at)
    try:
        server.start()
        _out.print(Text(f"serving {server.url}"), crop=False)
        _err.print(Text(f"watching {server.data}; Ctrl-C to stop"))
        for error in server.errors:
            _err.print(Text(str(error)))
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    _err.print(Text("stopped"))
