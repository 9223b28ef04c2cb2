"""Readers: one per file format, found by name or by file suffix.

A :class:`Reader` reads one file into :class:`Records`: the records it holds,
each a :class:`Record` that knows its :class:`Origin` (file and line), and
the problems found on the way. The loader then checks the records of all
files together, whatever format they came in, so a mistake reads the same
in YAML as in RDF.

Readers register under a name and their suffixes, with the module and the
attribute that hold them, as text: nothing is imported until a file of that
format is read, the way rdflib finds its plugins. That is how the loading
layer reads RDF without importing the RDF layer: lorekit's RDF reader is a
line of :data:`_BUILT_IN`. Another package adds a reader with an entry point
in the ``lorekit.readers`` group, named for the reader and pointing at a
:class:`Reader` subclass whose ``suffixes`` say which files it reads::

    [project.entry-points."lorekit.readers"]
    csv = "mypackage.lore:CsvReader"

Examples
--------
>>> reader_for(Path("lore/characters.yaml")).name
'yaml'
>>> reader_named("ttl").suffixes
('.ttl',)
>>> reader_for(Path("notes.docx"))
Traceback (most recent call last):
...
lorekit._core.errors.DataFileError: notes.docx: no reader for '.docx' files; lorekit reads \
yaml (.yaml, .yml), ttl (.ttl), nt (.nt), jsonld (.jsonld, .json-ld), xml (.rdf, .xml), \
trig (.trig), nq (.nq)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .._core.errors import DataFileError, LoreError, Origin
from .._core.formats import RDF_FORMATS
from .._core.model import EntityBase, Interner, Note, Statement, UniverseInfo

__all__ = [
    "Origin",
    "Reader",
    "ReaderEntry",
    "Record",
    "Records",
    "directory_readers",
    "entry_for",
    "known_readers",
    "reader_for",
    "reader_named",
    "register",
]


M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)  # one per record read: no __dict__ each
class Record(Generic[M]):
    """A record as read, before cross-checking.

    ``raw`` is what was read, for the line of each field in error messages:
    the careful YAML reader keeps a :class:`~lorekit._load.yaml.LineDict`
    there; a reader with no lines to give keeps plain data, and the fast
    YAML path keeps ``None``, since a universe with any problem is read again
    by the careful reader.
    """

    model: M
    raw: Any
    origin: Origin


@dataclass
class Records:
    """What the readers of one universe found: records and problems, across files."""

    entities: list[Record[EntityBase]] = field(default_factory=list)
    statements: list[Record[Statement]] = field(default_factory=list)
    notes: list[Record[Note]] = field(default_factory=list)
    infos: list[Record[UniverseInfo]] = field(default_factory=list)
    problems: list[LoreError] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)
    """Ids of entities whose records were reported as broken: references to
    them raise no second alarm."""
    used_fast: bool = False
    """Whether a reader took a fast path that gives no line for each field."""
    interner: Interner = field(default_factory=Interner)
    """Keeps the equal ids, citations and field sets of all files once; a reader
    passes it to validation (``context={"interner": ...}``) and shares each
    record's fields with :meth:`Interner.share`. A reader that does not only
    uses more memory."""


class Reader(ABC):
    """Reads files of one format into :class:`Records`.

    The registry makes one of each registered reader, passing the name and
    suffixes it was registered under; a subclass need only write :meth:`read`
    (and say its ``suffixes`` if an entry point registers it).
    """

    name: str = ""
    suffixes: tuple[str, ...] = ()

    def __init__(self, name: str | None = None, suffixes: Iterable[str] | None = None) -> None:
        if name is not None:
            self.name = name
        if suffixes is not None:
            self.suffixes = tuple(suffixes)

    @abstractmethod
    def read(self, path: Path, into: Records, *, fast: bool = False) -> None:
        """Read the file at ``path`` into ``into``: its records, or its problems.

        Each record's origin names the file as ``str(path)``, and a problem
        names the file and, where the format lets it be known, the line.
        ``fast`` allows a fast path; a reader that takes one sets
        ``into.used_fast``, and the loader reads again with ``fast=False`` if
        the universe has any problem.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {' '.join(self.suffixes)}>"


@dataclass(frozen=True)
class ReaderEntry:
    """One registered reader: where it lives, not yet imported."""

    name: str
    suffixes: tuple[str, ...]
    module: str
    attr: str
    directories: bool = False
    """Whether the files of a directory with these suffixes are read as one universe;
    a format that is not (RDF: one file, one universe) reports a missing file itself."""

    def reader(self) -> Reader:
        """The reader, imported and made on first use."""
        found = _MADE.get(self.name)
        if found is not None:
            return found
        obj = getattr(import_module(self.module), self.attr)
        if isinstance(obj, type) and issubclass(obj, Reader):
            made = obj(self.name, self.suffixes)
        elif isinstance(obj, Reader):
            made = obj
        else:
            raise TypeError(f"{self.module}:{self.attr} is not a lorekit Reader")
        _MADE[self.name] = made
        return made


_ENTRIES: dict[str, ReaderEntry] = {}
_BY_SUFFIX: dict[str, str] = {}
_MADE: dict[str, Reader] = {}
_entry_points_read = False


def register(
    name: str, suffixes: Iterable[str], module: str, attr: str, *, directories: bool = False
) -> None:
    """Register the reader ``attr`` of ``module`` for files with ``suffixes``.

    The module is imported when a file of the format is first read; ``attr``
    names a :class:`Reader` subclass (made with the name and suffixes given
    here) or a reader. A name or a suffix registered again is taken by the
    newer reader. With ``directories``, a directory universe is read from the
    files with these suffixes too (an entry point registers a one-file format).
    """
    entry = ReaderEntry(name, tuple(s.lower() for s in suffixes), module, attr, directories)
    old = _ENTRIES.pop(name, None)
    if old is not None:
        for suffix in old.suffixes:
            if _BY_SUFFIX.get(suffix) == name:
                del _BY_SUFFIX[suffix]
    _MADE.pop(name, None)
    _ENTRIES[name] = entry
    for suffix in entry.suffixes:
        _BY_SUFFIX[suffix] = name


_BUILT_IN: tuple[ReaderEntry, ...] = (
    ReaderEntry("yaml", (".yaml", ".yml"), "lorekit._load.yaml_reader", "YamlReader", True),
    *(
        ReaderEntry(f.key, f.suffixes, "lorekit._rdf.read", "RdfReader")
        for f in RDF_FORMATS.values()
    ),
)
"""lorekit's own readers: YAML here, each RDF format in the RDF layer (by name only)."""

for _entry in _BUILT_IN:
    register(
        _entry.name, _entry.suffixes, _entry.module, _entry.attr, directories=_entry.directories
    )
del _entry


def _read_entry_points() -> None:
    """Register the readers other packages declare, once, when first needed."""
    global _entry_points_read
    if _entry_points_read:
        return
    _entry_points_read = True
    from importlib.metadata import entry_points

    for point in entry_points(group="lorekit.readers"):
        if point.name in _ENTRIES:
            continue  # a reader registered in this process wins
        module, _, attr = point.value.partition(":")
        cls = point.load()
        register(point.name, getattr(cls, "suffixes", ()), module.strip(), attr.strip())


def known_readers() -> list[ReaderEntry]:
    """Every registered reader, lorekit's own first, then those of entry points.

    Examples
    --------
    >>> [(e.name, e.module) for e in known_readers()][:2]
    [('yaml', 'lorekit._load.yaml_reader'), ('ttl', 'lorekit._rdf.read')]
    """
    _read_entry_points()
    return list(_ENTRIES.values())


def reader_named(name: str) -> Reader:
    """The reader registered as ``name``; ``KeyError`` if there is none."""
    if name not in _ENTRIES:
        _read_entry_points()
    return _ENTRIES[name].reader()


def entry_for(path: Path) -> ReaderEntry | None:
    """The registered reader of files like ``path``, by suffix (in any case), or ``None``."""
    suffix = path.suffix.lower()
    name = _BY_SUFFIX.get(suffix)
    if name is None:
        _read_entry_points()
        name = _BY_SUFFIX.get(suffix)
    return None if name is None else _ENTRIES[name]


def reader_for(path: Path) -> Reader:
    """The reader of the file ``path``, by its suffix (in any case).

    Raises
    ------
    DataFileError
        When no reader takes the suffix; the message lists those that exist.
    """
    entry = entry_for(path)
    if entry is None:
        suffix = path.suffix.lower()
        shown = ", ".join(f"{e.name} ({', '.join(e.suffixes)})" for e in known_readers())
        what = f"{suffix!r} files" if suffix else "files without a suffix"
        raise DataFileError(f"no reader for {what}; lorekit reads {shown}", file=path)
    return entry.reader()


def directory_readers() -> list[ReaderEntry]:
    """The readers whose files make up a directory universe (YAML)."""
    return [e for e in _ENTRIES.values() if e.directories]
