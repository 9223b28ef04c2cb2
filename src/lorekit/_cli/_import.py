"""``lorekit import``: a MediaWiki export or a Wikidata file into a YAML universe."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from .._core.progress import progress
from ._app import _emit_json, _err, _handle_errors, _out, _write_output, main

_DIR = click.Path(path_type=Path)  # a directory, or the file of --print-mapping

if TYPE_CHECKING:
    from .._load.import_build import Imported
    from .._load.import_report import ImportReport


@main.group(name="import")
def import_group() -> None:
    """Import lore from where it already lives: a wiki export, or Wikidata."""


def _common(func: Any) -> Any:
    func = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")(func)
    func = click.option(
        "--into",
        "--data",
        "into",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        metavar="UNIVERSE",
        help="Merge into this universe directory: entities are matched by id, name or alias, "
        "new records go into a new folder inside it, its own files stay as they are.",
    )(func)
    return click.option(
        "-o",
        "--output",
        type=_DIR,
        default=None,
        metavar="DIR",
        help="A new (or empty) directory to write the universe into. With --into: the new "
        "folder inside the universe (default: UNIVERSE/import-SOURCE).",
    )(func)


def _finish(imported: Imported, output: Path | None, into: Path | None, as_json: bool) -> None:
    if output is not None and str(output) == "-":
        raise click.BadParameter(
            "a universe is a directory of files; name a directory", param_hint="'-o' / '--output'"
        )
    from .._load.import_build import write_imported

    if into is not None:
        from .._load.import_merge import merge_into

        with progress(f"merging into {into}"):
            imported = merge_into(imported, into)
        source = next((e.id for e in imported.entities.values() if e.kind == "source"), "wiki")
        output = output or into / f"import-{source}"
    elif output is None:
        raise click.UsageError("name the directory to write with -o DIR (or merge with --into)")
    with progress(f"writing the universe to {output}"):
        write_imported(imported, output)
    _show(imported.report, as_json)
    _err.print(Text(f"wrote {len(imported.report.files)} files to {output}"))


def _show(report: ImportReport, as_json: bool) -> None:
    if as_json:
        _emit_json(report.as_json())
        return
    from rich.table import Table

    table = Table(title="import report", title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("detail")
    for head, line in report.lines():
        table.add_row(head, Text(line))
    _out.print(table)


@import_group.command()
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="MAP.yaml",
    help="Override or extend the default infobox mapping (see --print-mapping).",
)
@click.option(
    "--print-mapping",
    is_flag=True,
    help="Write the default mapping (to -o FILE, or standard output) and stop.",
)
@_common
@_handle_errors
def mediawiki(
    export: Path | None,
    mapping: Path | None,
    print_mapping: bool,
    output: Path | None,
    into: Path | None,
    as_json: bool,
) -> None:
    """Import a MediaWiki or Fandom XML export (.xml, .xml.gz, .xml.bz2) as a universe.

    Articles with an infobox or category that gives a kind become entities;
    redirects become aliases; every statement cites the wiki page, revision
    and infobox field. The report lists what the mapping did not know.
    """
    from .._load.mediawiki_mapping import default_mapping_text, load_mapping
    from .._load.mediawiki_records import import_mediawiki

    if print_mapping:
        _write_output(default_mapping_text(), output)
        return
    if export is None:
        raise click.UsageError("name the export to import (or use --print-mapping)")
    chosen = load_mapping(mapping) if mapping is not None else None
    with progress(f"importing {export.name}") as advance:  # a bar only on a terminal
        imported = import_mediawiki(export, mapping=chosen, progress=lambda _: advance(1000))
    _finish(imported, output, into, as_json)


@import_group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default="en", show_default=True, help="Language of labels and aliases.")
@_common
@_handle_errors
def wikidata(file: Path, lang: str, output: Path | None, into: Path | None, as_json: bool) -> None:
    """Import a saved Wikidata file: entity JSON (EntityData, an array, a dump) or SPARQL results.

    Kinds come from P31, relations from the registry's Wikidata alignment;
    every statement cites Wikidata with the item, property and statement id.
    """
    from .._load.wikidata import import_wikidata

    with progress(f"importing {file.name}"):
        imported = import_wikidata(file, lang=lang)
    _finish(imported, output, into, as_json)
