"""The ``lorekit`` group and what its commands share: options, error handling, output.

Every command takes ``--data PATH`` (default: the bundled John Wick universe);
every query command takes ``--json``. A :class:`LoreError` prints as
``file:line: message`` on standard error with exit code 1, never a traceback.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from rich.console import Console
from rich.text import Text

from .._core.errors import LoadError, LoreError, OutputError
from .._core.relations import LAYERS, Layer

if TYPE_CHECKING:  # the model and the graph load when a command needs them, not for --help
    from rich.table import Table

    from .._core.model import Citation, EntityBase, Statement
    from .._graph.graph import LoreGraph, Relation
    from .._graph.timeline import Order

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
        help="A universe: a directory of YAML files, one YAML file, or an RDF file "
        "(.ttl .nt .jsonld .rdf .trig .nq). Default: the bundled John Wick universe.",
    )(func)


def _output_option(what: str, *, default: Path | None = None) -> Callable[[_F], _F]:
    """``-o/--output FILE`` of every command that writes a file; ``-`` is standard output."""
    where = f"Default: {default}." if default is not None else "Default: standard output."
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        default=default,
        metavar="FILE",
        help=f"Write {what} to FILE ('-' for standard output). {where}",
    )


def _to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _write_output(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (``None`` or ``-``: standard output); say so on stderr.

    A file is written by :func:`~lorekit._core.output.write_atomic`: atomically
    when it is a regular file, in place when it is a device or a FIFO.
    """
    from .._core.output import write_atomic

    if output is None or str(output) == "-":
        _echo_stdout(text)
        return
    write_atomic(output, text)
    _err.print(Text(f"wrote {output}"))


def _echo_stdout(text: str) -> None:
    """Print ``text`` as is; a write error (a full disk, a closed pipe) is an OutputError."""
    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as exc:
        _drop_stdout()
        raise OutputError(f"cannot write: {exc.strerror or exc}", file="standard output") from exc


def _drop_stdout() -> None:
    """Point standard output at the null device, so the exit does not fail again on
    what is still buffered (the Python docs' advice for a closed pipe)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


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


def _lore_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --data, --as-of and --order; hand the command the loaded ``lore``."""
    return _lore_options_with()(func)


def _lore_options_with(
    *, order_default: Order = "release", pass_order: bool = False, at: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """:func:`_lore_options` with another default order, optionally passed on as
    ``order``; with ``at``, also --at POINT (the graph as it stands then in the story)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(*args: Any, data: Path | None, as_of: str | None, order: str, **kw: Any) -> Any:
            point = kw.pop("at_point", None) if at else None
            lore = _load(data)
            if as_of is not None:
                lore = lore.as_of(as_of, order=cast("Order", order))
            if point is not None:
                lore = lore.at(point)
            if pass_order:
                kw["order"] = order
            return func(*args, lore=lore, **kw)

        if at:
            wrapper = click.option(
                "--at",
                "at_point",
                metavar="POINT",
                default=None,
                help="Show the story as it stands at POINT (a work or event, by name or "
                "id): what no longer or not yet holds then is left out.",
            )(wrapper)

        wrapper = click.option(
            "--order",
            type=click.Choice(["release", "story"]),
            default=order_default,
            show_default=True,
            help="Release order or story (in-universe) order"
            + (": of the timeline, and for --as-of." if pass_order else ", for --as-of."),
        )(wrapper)
        wrapper = click.option(
            "--as-of",
            "as_of",
            metavar="WORK",
            default=None,
            help="Keep only what a viewer knows after watching up to WORK (name or id): "
            "no spoilers.",
        )(wrapper)
        return _data_option(wrapper)

    return decorate


_CACHE = "lorekit.cache"
"""Where the group's ``--no-cache`` is kept, in the click context's ``meta``."""


def _load(data: Path | None) -> LoreGraph:
    """Load ``data`` (``None``: the bundled universe) through the load cache unless
    ``--no-cache`` was given; a long load shows its progress on a terminal."""
    from .._core.progress import progress
    from .._load.universe import load

    ctx = click.get_current_context(silent=True)
    cache = ctx is None or bool(ctx.meta.get(_CACHE, True))
    enabled = gc.isenabled()
    gc.disable()  # the load pauses the collector too; here it stays off until the freeze
    try:
        with progress("loading the universe"):
            lore = load(data, cache=cache)
        global _big
        if len(lore) >= _BIG:
            # a command's graph lives until the exit: no collection need walk it again
            # (after a load, the collector walked every record three times, 0.4 s at 10k;
            # frozen before the collector is back on, as the first collection after it
            # would walk every record once more: 2.5 s of a warm show at 100k)
            gc.freeze()
            _big = True
            _kept.append(lore)  # freed by the exit, not one by one when the command returns
    finally:
        if enabled:
            gc.enable()
    return lore


_BIG = 10_000
"""From this many entities, a command's graph is frozen out of the cyclic collector's
sight, and :func:`run` skips freeing it at the exit."""
_big = False
_kept: list[LoreGraph] = []


def run() -> None:
    """The ``lorekit`` console script: :func:`main`, then, after a big universe, a quick exit.

    Freeing millions of objects one by one at the interpreter's exit took
    seconds at 100,000 entities, after the answer was printed; the operating
    system takes the memory back at once. So once the output is flushed, the
    process ends with :func:`os._exit` (as mypy does). Small universes exit
    normally. A load cache entry to write is written by a child process
    after the answer is out, so the first command on a universe costs no
    more than a load.
    """
    from .._load.cache import defer_writes, finish_writes

    defer_writes()
    try:
        main()
    except SystemExit as exc:
        finish_writes(detach=True)  # the answer is out: the cache is written behind it
        if not _big:
            raise
        code = exc.code
        if isinstance(code, str):
            _err.print(Text(code))
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            raise exc from None  # let the normal exit report it
        os._exit(code or 0)


def _horizon_json(lore: LoreGraph) -> dict[str, Any] | None:
    if lore.horizon is None:
        return None
    return {"work": _entity_json(lore.horizon.work), "order": lore.horizon.order}


def _horizon_line(lore: LoreGraph) -> None:
    if lore.horizon is not None:
        _out.print(Text(f"({lore.horizon}: later works are left out)", style="dim"))
    if lore.point is not None:
        _out.print(
            Text(
                f"(at {lore.point.name} in story time: what does not hold then is left out)",
                style="dim",
            )
        )


_story_lore_options = _lore_options_with(at=True)
""":func:`_lore_options` with --at POINT."""


def _page_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The page's --title, and --at POINT to open it at (``html`` and ``serve``)."""
    func = click.option(
        "--at",
        "at",
        default=None,
        metavar="POINT",
        help="Open the page at this point of the story (a work or event, by id, name or alias).",
    )(func)
    return click.option(
        "--title", default=None, help="The page's heading. Default: the universe's name."
    )(func)


def _at_json(lore: LoreGraph) -> dict[str, Any]:
    """``{"at": point}`` at a story point, else nothing (outputs stay as they were)."""
    return {} if lore.point is None else {"at": _entity_json(lore.point)}


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
    return {"id": entity.id, "name": entity.name, "kind": entity.kind}


def _statement_json(st: Statement) -> dict[str, Any]:
    return st.model_dump(mode="json", exclude_none=True)


def _relation_json(rel: Relation) -> dict[str, Any]:
    found = {
        "label": rel.label,
        "other": _entity_json(rel.other),
        **_statement_json(rel.statement),
    }
    if rel.holding is not None:
        found["holding"] = rel.holding
    return found


def _span_text(rel: Relation) -> str:
    """``since Chapter 2, until the demolition``, as far as the statement has a span."""
    parts = []
    if rel.statement.since is not None:
        parts.append(f"since {rel.since.name if rel.since else rel.statement.since}")
    if rel.statement.until is not None:
        parts.append(f"until {rel.until.name if rel.until else rel.statement.until}")
    return ", ".join(parts)


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
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("relation", style="bold")
    table.add_column("with")
    table.add_column("layer")
    table.add_column("sources")
    for rel in relations:
        who = Text(rel.other.name)
        who.append(f" ({rel.other.kind})", style="dim")
        label = Text(rel.label)
        if rel.statement.note:
            label.append(f" — {rel.statement.note}", style="italic")
        span = _span_text(rel)
        if span:
            label.append(f" ({span})", style="dim")
        if rel.holding == "not-determined":
            label.append(" [may not hold then]", style="yellow")
        table.add_row(label, who, rel.layer, Text(_sources_text(rel.statement.sources, lore)))
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lorekit")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Load the universe afresh: neither read nor write the load cache "
    "(see 'lorekit cache info').",
)
@click.pass_context
def main(ctx: click.Context, no_cache: bool) -> None:
    """lorekit: typed knowledge graphs of franchise lore.

    Every command reads the bundled John Wick universe unless --data names
    another one.
    """
    ctx.meta[_CACHE] = not no_cache
