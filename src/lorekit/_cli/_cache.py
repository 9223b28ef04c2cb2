"""``lorekit cache``: what the load cache holds, and emptying it."""

from __future__ import annotations

from rich.text import Text

from ._app import _emit_json, _handle_errors, _json_option, _out, main


@main.group()
def cache() -> None:
    """The load cache: each universe's validated graph, kept between commands.

    A command reads a universe from the cache when none of its files changed
    since the cache was written; --no-cache skips it for one command.
    """


@cache.command(name="info")
@_json_option
@_handle_errors
def cache_info_command(as_json: bool) -> None:
    """Show where the cache lives and the universes it holds."""
    from .._load.cache import cache_info

    found = cache_info()
    if as_json:
        _emit_json(
            {
                "directory": str(found.directory),
                "bytes": found.size,
                "entries": [
                    {"universe": name, "bytes": size, "file": str(path)}
                    for name, size, path in found.entries
                ],
            }
        )
        return
    n = len(found.entries)
    _out.print(
        Text(f"{found.directory}: {n} universe{'s' if n != 1 else ''}, {found.size / 1e6:.1f} MB")
    )
    for name, size, _ in found.entries:
        _out.print(Text(f"  {name}: {size / 1e6:.1f} MB"))


@cache.command(name="clear")
@_handle_errors
def cache_clear_command() -> None:
    """Empty the cache; every universe is loaded afresh next time."""
    from .._load.cache import cache_dir, clear_cache

    n = clear_cache()
    _out.print(Text(f"removed {n} cached universe{'s' if n != 1 else ''} from {cache_dir()}"))
