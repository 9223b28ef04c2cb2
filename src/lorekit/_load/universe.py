"""Loading a universe: data files → validated :class:`Universe` → :class:`LoreGraph`.

A universe is a directory of YAML files, one YAML file, or one RDF file
exported by lorekit. Each file is read by the reader its suffix names
(:mod:`.reader`); the records of all files are then checked together
(:mod:`.checks`), their defaults filled (:mod:`.defaults`), and the story's
chronology checked.

Loading checks everything before it returns: record shapes, duplicate ids,
unknown references (with a did-you-mean), statement ends against the
predicate's domain and range, citations of sources that do not exist. All
problems are gathered into one :class:`LoadError`; nothing is half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .._core.errors import DataFileError, LoadError, LoreError, Origin
from .._core.gc import collector_paused
from .bundled import bundled_data_path

if TYPE_CHECKING:
    from .._core.model import EntityBase, Universe
    from .._graph.graph import LoreGraph
    from .reader import Reader, Record, Records

# What reads and checks the files is imported when a universe is read, not
# when one comes from the load cache.

__all__ = ["Origin", "bundled_data_path", "load", "load_universe"]


def _paths(path: Path) -> list[Path]:
    """The data files of a universe, found by suffix; no reader is imported."""
    from .reader import directory_readers, entry_for

    if path.is_dir():
        readers = directory_readers()
        suffixes = {s for e in readers for s in e.suffixes}
        found = sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
        if not found:
            shown = " or ".join(e.suffixes[0] for e in readers)
            raise LoadError([DataFileError(f"no {shown} data files in this directory", file=path)])
        return found
    entry = entry_for(path)
    if not path.is_file() and (entry is None or entry.directories or path.exists()):
        raise LoadError([DataFileError("no such file or directory", file=path)])
    return [path]  # a one-file format (RDF) reports a missing file itself


def _files(path: Path) -> Iterator[tuple[Path, Reader]]:
    """The files of a universe, each with its reader."""
    from .reader import reader_for

    for file in _paths(path):
        try:
            reader = reader_for(file)
        except DataFileError as exc:
            raise LoadError([exc]) from None
        yield file, reader


def load_universe(path: str | Path) -> tuple[Universe, dict[tuple[str, ...], Origin]]:
    """Read and validate a universe; return it with the origin of every record.

    Origins are keyed ``("entity", id)``, ``("note", id)`` and
    ``("statement", subject, predicate, object)``.

    Raises
    ------
    LoadError
        With every problem found, each with its file and line.
    """
    with collector_paused():
        return _load_universe(Path(path), fast=True)


def _load_universe(root: Path, *, fast: bool) -> tuple[Universe, dict[tuple[str, ...], Origin]]:
    """:func:`load_universe`; ``fast`` lets plain files skip the careful reader.

    A universe read fast that turns out to have problems is read again
    carefully, so every message has its exact line.
    """
    from .._core.model import Universe, UniverseInfo
    from .checks import cross_check
    from .defaults import fill_defaults
    from .reader import Records

    records = Records()
    for file, reader in _files(root):
        reader.read(file, records, fast=fast)
    entities_read = cross_check(records)
    origins = _origins(records)
    records.problems += _story_problems(records, entities_read, origins)
    if records.problems:
        if records.used_fast:
            return _load_universe(root, fast=False)
        raise LoadError(records.problems)
    entities = {k: r.model for k, r in entities_read.items()}
    statements = [r.model for r in records.statements]
    notes = [r.model for r in records.notes]
    # Only these lists hold the records now, so fill_defaults frees each as it copies it.
    del entities_read
    records.statements.clear()
    records.notes.clear()
    records.entities.clear()
    statements, notes = fill_defaults(entities, statements, notes)
    if records.infos:
        info = records.infos[0].model
    else:
        name = root.stem if root.is_file() else root.name
        info = UniverseInfo(id=_slugify(name), name=name)
    universe = Universe(
        info=info,
        entities=tuple(entities.values()),
        statements=tuple(statements),
        notes=tuple(notes),
    )
    return universe, origins


def _story_problems(
    records: Records,
    entities_read: dict[str, Record[EntityBase]],
    origins: dict[tuple[str, ...], Origin],
) -> list[LoreError]:
    """Contradictions in the story order, then continuity errors, of the sound statements.

    What it builds to find them is let go when it returns.
    """
    from .._graph.continuity import continuity_errors
    from .._graph.story_time import StoryTime
    from .._graph.timeline import StoryOrder, check_chronology

    names = {ident: rec.model.name for ident, rec in entities_read.items()}
    sound = [
        r.model for r in records.statements if {r.model.subject, r.model.object} <= names.keys()
    ]
    order = StoryOrder.build(sound, {k: r.model for k, r in entities_read.items()})
    problems: list[LoreError] = list(check_chronology(sound, names, origins, order))
    if not problems:
        time = StoryTime(order, order.entities, sound)
        problems += continuity_errors(sound, time, names, origins)
    return problems


def _origins(records: Records) -> dict[tuple[str, ...], Origin]:
    """Where each record was written, keyed as :meth:`LoreGraph.origin` looks it up."""
    origins: dict[tuple[str, ...], Origin] = {}
    for erec in records.entities:
        origins.setdefault(("entity", erec.model.id), erec.origin)
    for nrec in records.notes:
        origins.setdefault(("note", nrec.model.id), nrec.origin)
    for srec in records.statements:
        origins.setdefault(("statement", *srec.model.key), srec.origin)
    return origins


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "universe"


def load(path: str | Path | None = None, *, cache: bool = False) -> LoreGraph:
    """Load a universe and build its graph.

    Parameters
    ----------
    path
        A directory of YAML files, one YAML file, or an RDF file exported by
        lorekit (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.trig``, ``.nq``,
        ...); the bundled John Wick universe when omitted.
    cache
        Read the graph from the load cache when no data file changed since
        it was written, and write it there otherwise (see
        :mod:`lorekit._load.cache`; the command line does this unless given
        ``--no-cache``). The graph is the same either way.

    Raises
    ------
    LoadError
        With every problem found in the data, each with its file and line.

    Examples
    --------
    >>> lore = load()
    >>> lore.entity("Eve").name
    'Eve Macarro'
    """
    from .._graph.graph import LoreGraph

    root = bundled_data_path() if path is None else Path(path)

    def build() -> LoreGraph:
        universe, origins = load_universe(root)
        return LoreGraph(universe, origins=origins)

    with collector_paused():
        if not cache:
            return build()
        from .cache import cached_load

        return cached_load(root, _paths(root), build)
