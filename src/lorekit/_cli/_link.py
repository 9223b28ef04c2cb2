"""The ``link`` command: which entities of the graph a text mentions, and where."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from .._core.errors import LoreError
from .._core.output import write_atomic
from ._app import (
    _emit_json,
    _err,
    _handle_errors,
    _json_option,
    _out,
    _story_lore_options,
    main,
)

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph
    from .._views.link import LinkReport


def _read(path: Path) -> str:
    """The text of FILE, or of standard input for ``-``."""
    try:
        if str(path) == "-":
            return sys.stdin.read()
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoreError("cannot read: not UTF-8 text", file=path) from exc
    except OSError as exc:
        raise LoreError(f"cannot read: {exc.strerror}", file=path) from exc


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="OUT",
    help="Also write the text as a standalone HTML page, mentions linked to the graph page.",
)
@click.option(
    "--page",
    default="lore.html",
    show_default=True,
    help="The graph page --html links to, as PAGE#entity-id.",
)
@click.option(
    "--as-source",
    "source",
    default=None,
    metavar="ID",
    help="Print YAML statement skeletons citing source ID with ¶ locators, for you to "
    "review and add; nothing is written.",
)
@click.option(
    "--mentions", "each", is_flag=True, help="List every mention with its offsets and sentence."
)
@_json_option
@_handle_errors
@_story_lore_options
def link(
    file: Path,
    html_out: Path | None,
    page: str,
    source: str | None,
    each: bool,
    lore: LoreGraph,
    as_json: bool,
) -> None:
    """Find the entities FILE mentions, where, and the names the graph lacks.

    FILE is plain text or Markdown ('-' reads standard input). Paragraphs are
    blocks between blank lines, numbered from 1 as in ¶ locators; a Markdown
    heading is a paragraph of its own.
    """
    if source is not None and as_json:
        raise click.UsageError("--as-source prints YAML; it cannot be combined with --json")
    text = _read(file)
    from .._views.link import link_text

    report = link_text(lore, text)
    if html_out is not None:
        write_atomic(html_out, report.to_html(page=page, title=f"Lore mentions in {file.name}"))
        _err.print(Text(f"wrote {html_out}"))
    if source is not None:
        click.echo(report.to_yaml(source), nl=False)
    elif as_json:
        _emit_json(report.to_dict())
    else:
        _print_report(report, each=each)


def _print_report(report: LinkReport, *, each: bool) -> None:
    entities = report.by_entity()
    _out.print(
        Text(
            f"{len(report.mentions)} mentions of {len(entities)} entities "
            f"in {len(report.paragraphs)} paragraphs",
            style="bold",
        )
    )
    if entities:
        table = Table(title="Entities mentioned", title_justify="left")
        for column in ("entity", "id", "mentions", "paragraphs", "as"):
            table.add_column(column, justify="right" if column == "mentions" else "left")
        for entity, mentions in entities:
            name = Text(entity.name)
            name.append(f" ({entity.kind})", style="dim")
            paragraphs = ", ".join(f"¶{n}" for n in sorted({m.paragraph for m in mentions}))
            forms = ", ".join(dict.fromkeys(" ".join(m.text.split()) for m in mentions))
            table.add_row(name, entity.id, str(len(mentions)), paragraphs, Text(forms))
        _out.print(table)
    if each and report.mentions:
        table = Table(title="Mentions", title_justify="left")
        for column in ("¶", "offsets", "text", "entity", "sentence"):
            table.add_column(column)
        for m in report.mentions:
            table.add_row(
                str(m.paragraph),
                f"{m.start}-{m.end}",
                Text(" ".join(m.text.split())),
                m.entity.id,
                Text(m.sentence),
            )
        _out.print(table)
    if report.ambiguous:
        table = Table(title="Ambiguous: reported, not guessed", title_justify="left")
        for column in ("¶", "text", "could be", "sentence"):
            table.add_column(column)
        for a in report.ambiguous:
            could = [f"{e.name} ({e.id})" for e in a.candidates]
            could += [f"{o} (not in the graph)" for o in a.others]
            table.add_row(str(a.paragraph), Text(a.text), Text("; ".join(could)), Text(a.sentence))
        _out.print(table)
    if report.candidates:
        table = Table(title="Names the graph does not know", title_justify="left")
        table.add_column("name")
        table.add_column("count", justify="right")
        table.add_column("first ¶", justify="right")
        table.add_column("also written")
        for c in report.candidates:
            also = "; ".join(c.variants[1:])
            table.add_row(Text(c.name), str(c.count), str(c.first_paragraph), Text(also))
        _out.print(table)
