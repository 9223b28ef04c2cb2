"""``lorekit synth``: write a synthetic universe of any size."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from .._core.progress import progress
from ._app import _err, _handle_errors, main


@main.command()
@click.option(
    "--entities",
    "-n",
    type=click.IntRange(min=50),
    default=None,
    help="How many entities (50 or more); about five statements each.",
)
@click.option(
    "--wiki-pages",
    type=click.IntRange(min=20),
    default=None,
    help="Write a synthetic MediaWiki export (FILE.xml) of this many pages instead.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="A new (or empty) directory to write the YAML files into (with --wiki-pages: a file).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@_handle_errors
def synth(entities: int | None, wiki_pages: int | None, output: Path, seed: int) -> None:
    """Write a synthetic universe shaped like the John Wick data, for benchmarks.

    About 60% characters, factions with units, places, works in a story-order
    chain, events, real people and sources, with about five cited statements
    per entity across the three layers.
    """
    if (entities is None) == (wiki_pages is None):
        raise click.UsageError("give one of --entities and --wiki-pages")
    if wiki_pages is not None:
        from .._load.synth import synthesize_wiki

        with progress(f"writing a wiki export of {wiki_pages} pages"):
            synthesize_wiki(output, pages=wiki_pages, seed=seed)
        _err.print(Text(f"wrote a wiki export of {wiki_pages} pages to {output}"))
        return
    assert entities is not None
    if str(output) == "-":
        raise click.BadParameter(
            "a directory of files cannot go to standard output; name a directory",
            param_hint="'-o' / '--output'",
        )
    from .._load.synth import synthesize

    with progress(f"writing {entities} entities"):
        synthesize(output, entities=entities, seed=seed)
    _err.print(Text(f"wrote {entities} entities to {output}"))
