"""What the importers build, and how it is written: entities, statements, files.

Both importers fill an :class:`Imported`: entities by id (slugs made unique
by :meth:`Imported.new_id`), statements merged by their key so a fact stated
on two pages is one statement with two citations, and the report. Every
record is a validated model, so what is written is valid data;
:func:`imported_files` writes it through :mod:`lorekit._load.yaml_write`,
one file per section, stubs apart so a reviewer sees what was only linked.

Examples
--------
>>> from lorekit._core.model import Character, Source
>>> imp = Imported(report=ImportReport(file="x"))
>>> imp.new_id("Mara Quell"), imp.new_id("<script>")
('mara-quell', 'script')
>>> imp.add_entity(Character(id="mara-quell", name="Mara Quell"))
>>> [name for name, _ in imported_files(imp)]
['characters.yaml']
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .._core.kinds import KINDS
from .._core.model import Citation, EntityBase, Statement, UniverseInfo
from .._core.names import normalize_name
from .._core.output import write_directory_atomic
from .._core.relations import RELATIONS, resolve_predicate
from .import_report import ImportReport
from .yaml_write import section

__all__ = ["Fact", "Imported", "imported_files", "kept_out_of_gc", "slug", "write_imported"]

_CHUNK = 100_000
_BATCH = 5_000
_STATEMENTS: TypeAdapter[list[Statement]] = TypeAdapter(list[Statement])


def slug(text: str, fallback: str = "entity") -> str:
    """An id from a name: folded to ASCII, lower case, words joined by hyphens.

    Examples
    --------
    >>> slug("Osaka Continental (hotel)"), slug("Ōtsu — Café"), slug("¿?")
    ('osaka-continental-hotel', 'otsu-cafe', 'entity')
    """
    text = re.sub(r"[^a-z0-9]+", "-", normalize_name(f"x {text}")[2:]).strip("-")
    return text[:120].strip("-") or fallback


def _key(st: Statement) -> tuple[str, str, str]:
    if RELATIONS[st.predicate].symmetric:
        a, b = sorted((st.subject, st.object))
        return (a, st.predicate, b)
    return st.key


@dataclass
class Imported:
    """An import's records and report, before they are written."""

    report: ImportReport
    info: UniverseInfo | None = None
    """The ``universe:`` section, or ``None`` when merging into a universe."""
    entities: dict[str, EntityBase] = field(default_factory=dict)
    stubs: set[str] = field(default_factory=set)
    """Ids of the entities made only from a link."""
    facts: dict[tuple[str, str, str], Fact] = field(default_factory=dict)
    """The statements, kept compact (a dump makes hundreds of thousands), by key."""
    _taken: set[str] = field(default_factory=set)

    @property
    def statements(self) -> dict[tuple[str, str, str], Statement]:
        """The statements as validated models, by key (made anew on each call)."""
        return {key: fact.statement() for key, fact in self.facts.items()}

    def put(self, st: Statement) -> None:
        """Keep a statement as it is (no merging with one of the same key)."""
        sources = [(c.source, c.locator) for c in st.sources]
        self.facts[_key(st)] = Fact(st.subject, st.predicate, st.object, sources, st.note)

    def new_id(self, name: str, *, fallback: str = "entity") -> str:
        """A slug for ``name`` that no entity of this import has yet."""
        base = slug(name, fallback)
        ident, n = base, 1
        while ident in self._taken:
            n += 1
            ident = f"{base}-{n}"
        self._taken.add(ident)
        return ident

    def reserve(self, ident: str) -> None:
        """Keep ``ident`` from :meth:`new_id` (an id the universe merged into has)."""
        self._taken.add(ident)

    def add_entity(self, entity: EntityBase, *, stub: bool = False) -> None:
        """Add an entity, counting it in the report."""
        self._taken.add(entity.id)
        self.entities[entity.id] = entity
        self.report.entities[entity.kind] += 1
        if stub:
            self.stubs.add(entity.id)

    def add_statement(
        self,
        subject: str,
        predicate: str,
        obj: str,
        citation: Citation | tuple[str, str | None],
        note: str | None,
    ) -> None:
        """Add a statement, or a citation (and note) to the same statement already made.

        The citation may be given as ``(source id, locator)``, so the statements of
        one field share one pair."""
        name, flipped = resolve_predicate(predicate)
        if flipped:
            subject, obj = obj, subject
        if RELATIONS[name].symmetric and obj < subject:
            key = (obj, name, subject)
        else:
            key = (subject, name, obj)
        cited = citation if isinstance(citation, tuple) else (citation.source, citation.locator)
        old = self.facts.get(key)
        if old is None:
            self.facts[key] = Fact(subject, name, obj, [cited], note)
            self.report.statements[name] += 1
            return
        if cited not in old.sources:
            old.sources.append(cited)
        if note and note != old.note:
            old.note = f"{old.note}; {note}" if old.note else note


@dataclass(slots=True)
class Fact:
    """A statement as an import keeps it until it is written: plain values, no model."""

    subject: str
    predicate: str
    object: str
    sources: list[tuple[str, str | None]]
    """``(source id, locator)`` of each citation."""
    note: str | None

    def statement(self) -> Statement:
        """The validated statement."""
        return Statement.model_validate(self.fields())

    def fields(self) -> dict[str, Any]:
        """The statement as the plain fields of its data-file record."""
        data: dict[str, Any] = {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
        }
        if self.note is not None:
            data["note"] = self.note
        data["sources"] = [
            {"source": s, "locator": loc} if loc is not None else {"source": s}
            for s, loc in self.sources
        ]
        return data


def _validated(facts: list[Fact]) -> Iterator[dict[str, Any]]:
    """The records of statements, validated as models in batches, as written."""
    for start in range(0, len(facts), _BATCH):
        rows = [fact.fields() for fact in facts[start : start + _BATCH]]
        _STATEMENTS.validate_python(rows)  # raises on anything the model refuses
        yield from rows


def _entity_fields(entity: EntityBase) -> dict[str, object]:
    data = entity.model_dump(mode="json", exclude_defaults=True, exclude={"kind"})
    data = {"id": entity.id, "name": entity.name, **data}
    if "sources" in data:
        data["sources"] = [{k: v for k, v in c.items() if v is not None} for c in data["sources"]]
    return data


def imported_files(imported: Imported) -> Iterator[tuple[str, str]]:
    """The YAML files of an import, as ``(name, text)``."""
    head = "Written by lorekit import; review, edit and keep under version control.\n"
    if imported.info is not None:
        yield (
            "universe.yaml",
            section("universe", ()).replace(" []", "")
            + "".join(
                f"  {k}: {v}\n"
                for k, v in (
                    ("id", imported.info.id),
                    ("name", _quoted(imported.info.name)),
                    ("description", _quoted(imported.info.description or "")),
                )
                if v
            ),
        )
    for stubs in (False, True):
        chunks: list[str] = []
        for kind, info in KINDS.items():
            chosen = [e for e in imported.entities.values()
                      if e.kind == kind and (e.id in imported.stubs) == stubs]  # fmt: skip
            if chosen:
                if stubs:
                    chunks.append(section(info.section, map(_entity_fields, chosen)))
                else:
                    yield (
                        f"{info.section}.yaml",
                        section(info.section, map(_entity_fields, chosen), comment=head),
                    )
        if stubs and chunks:
            note = head + "Stubs: pages linked from the wiki but not in the export.\n"
            yield (
                "stubs.yaml",
                "".join(f"# {line}\n" for line in note.splitlines()) + "".join(chunks),
            )
    facts = list(imported.facts.values())
    for start in range(0, len(facts), _CHUNK):  # files of a size an editor opens
        name = "statements.yaml" if not start else f"statements-{start // _CHUNK + 1}.yaml"
        part = _validated(facts[start : start + _CHUNK])
        yield name, section("statements", part, comment=head)


def _quoted(text: str) -> str:
    from .yaml_write import scalar

    return scalar(text) if text else ""


@contextmanager
def kept_out_of_gc() -> Iterator[Callable[[], None]]:
    """Hand the block a function that moves what is kept so far out of the cyclic GC.

    An import keeps objects by the million, and each full collection would walk
    all of them again: the time of a dump's import would grow faster than its
    size. What is kept is frozen (:func:`gc.freeze`) as the
    reading goes, and given back to the collector at the end. When the
    program froze objects itself, nothing is done: its freeze is not ours to
    undo.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def write_imported(imported: Imported, directory: str | Path) -> Path:
    """Write an import into a new directory, complete or not at all.

    Raises
    ------
    OutputError
        When the directory is not empty or cannot be written.
    """
    imported.report.files = []

    def files() -> Iterator[tuple[str, str]]:  # one file in memory at a time
        for name, text in imported_files(imported):
            imported.report.files.append(str(Path(directory) / name))
            yield name, text

    with kept_out_of_gc() as keep:
        keep()  # what is written is kept until the end: no collection need walk it
        return write_directory_atomic(directory, files())


def entities_of(imported: Imported, kinds: Iterable[str]) -> list[EntityBase]:
    """The entities of the import of some kinds, in the order they were added."""
    wanted = set(kinds)
    return [e for e in imported.entities.values() if e.kind in wanted]
