"""Loading a universe: YAML files → validated :class:`Universe` → :class:`LoreGraph`.

A universe is a directory of YAML files (or one file). Each file is a mapping
whose keys are sections: ``universe``, one per entity kind (``characters``,
``factions``, ``titles``, ``places``, ``works``, ``events``, ``people``,
``concepts``, ``sources``), ``statements`` and ``notes``. Split them across
files as suits the universe.

Loading checks everything before it returns: record shapes, duplicate ids,
unknown references (with a did-you-mean), statement ends against the
predicate's domain and range, citations of sources that do not exist. All
problems are gathered into one :class:`LoadError`; nothing is half-loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from .._core.errors import (
    CrossReferenceError,
    DataFileError,
    DuplicateIdError,
    LoadError,
    LoreError,
    RelationTypeError,
    SchemaError,
    UnknownEntityError,
    UnknownPredicateError,
)
from .._core.formats import RDF_SUFFIXES
from .._core.gc import collector_paused
from .._core.model import (
    ENTITY_MODELS,
    SLUG_PATTERN,
    Citation,
    EntityBase,
    Note,
    Statement,
    Universe,
    UniverseInfo,
    Work,
)
from .._core.relations import RELATIONS, EntityKind
from .._graph.timeline import check_chronology
from .fastyaml import read_plain
from .yaml import LineDict, LineList, line_of, parse_yaml, read_text

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph

__all__ = ["SECTIONS", "Origin", "bundled_data_path", "load", "load_universe"]

SECTIONS: Mapping[str, EntityKind] = {
    "characters": "character",
    "factions": "faction",
    "titles": "title",
    "places": "place",
    "works": "work",
    "events": "event",
    "people": "person",
    "concepts": "concept",
    "sources": "source",
}
"""Entity sections of a data file and the kind each one holds."""

_OTHER_SECTIONS = ("universe", "statements", "notes")
_YAML_SUFFIXES = (".yaml", ".yml")
"""Suffixes of the RDF files :func:`load` imports (see ``docs/rdf.md``)."""


@dataclass(frozen=True)
class Origin:
    """Where a record was written: file and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_M = TypeVar("_M", bound=BaseModel)


@dataclass
class _Record(Generic[_M]):
    """A record as read, before cross-checking.

    ``raw`` is what was read, with the line of each field when the careful
    reader read it; records read by the fast path keep ``None`` there, since
    a universe with any problem is read again by the careful reader.
    """

    model: _M
    raw: Any
    origin: Origin


@dataclass
class _Reader:
    """Gathers records and problems across files.

    With ``fast``, plainly written files are read by :func:`read_plain`;
    ``used_fast`` then says whether any was.
    """

    fast: bool = False
    used_fast: bool = False
    entities: list[_Record[EntityBase]] = field(default_factory=list)
    statements: list[_Record[Statement]] = field(default_factory=list)
    notes: list[_Record[Note]] = field(default_factory=list)
    infos: list[_Record[UniverseInfo]] = field(default_factory=list)
    problems: list[LoreError] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)

    def read_file(self, path: Path, display: str) -> None:
        try:
            text = read_text(path, display=display)
            plain = read_plain(text) if self.fast else None
            if plain is not None:
                self.used_fast = True
                self._read_sections(plain.data, display, plain.key_lines, plain.item_lines)
                return
            data, problems = parse_yaml(text, display=display)
        except DataFileError as exc:
            self.problems.append(exc)
            return
        self.problems.extend(problems)
        if data is None:
            return  # an empty file holds nothing, which is fine
        if not isinstance(data, LineDict):
            self.problems.append(
                DataFileError(
                    "a data file must be a mapping of sections "
                    f"({', '.join([*_OTHER_SECTIONS[:1], *SECTIONS, *_OTHER_SECTIONS[1:]])})",
                    file=display,
                    line=getattr(data, "line", 1),
                )
            )
            return
        self._read_sections(data, display, data.key_lines, None)

    def _read_sections(
        self,
        data: dict[Any, Any],
        display: str,
        key_lines: Mapping[Any, int],
        item_lines: Mapping[str, list[int]] | None,
    ) -> None:
        for section, value in data.items():
            line = key_lines.get(section, 1)
            if section == "universe":
                self._read_one(UniverseInfo, value, display, line, self.infos, "universe")
            elif section in SECTIONS or section in ("statements", "notes"):
                lines = item_lines.get(section) if item_lines is not None else None
                self._read_section(section, value, display, line, lines)
            else:
                known = [*_OTHER_SECTIONS, *SECTIONS]
                self.problems.append(
                    DataFileError(
                        f"unknown section {section!r}{_suggest(str(section), known)}",
                        file=display,
                        line=line,
                        value=section,
                    )
                )

    def _read_section(
        self, section: str, value: Any, file: str, line: int, lines: list[int] | None
    ) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.problems.append(
                DataFileError(
                    f"section {section!r} must be a list of records", file=file, line=line
                )
            )
            return
        if lines is None:
            lines = value.item_lines if isinstance(value, LineList) else [line] * len(value)
        for index, item in enumerate(value):
            item_line = lines[index]
            if section == "statements":
                self._read_one(Statement, item, file, item_line, self.statements, "statement")
            elif section == "notes":
                self._read_one(Note, item, file, item_line, self.notes, "note")
            else:
                kind = SECTIONS[section]
                if isinstance(item, LineDict) and "kind" not in item:
                    tagged = LineDict(item, kind=kind)
                    tagged.line, tagged.key_lines = item.line, item.key_lines
                    item = tagged
                elif isinstance(item, dict) and "kind" not in item:
                    item["kind"] = kind  # a plain dict of the fast path, read for this alone
                self._read_one(ENTITY_MODELS[kind], item, file, item_line, self.entities, kind)

    def _read_one(
        self,
        model: type[_M],
        raw: Any,
        file: str,
        line: int,
        into: list[_Record[_M]],
        what: str,
    ) -> None:
        if not isinstance(raw, dict):
            self.problems.append(
                SchemaError(f"a {what} must be a mapping of fields", file=file, line=line)
            )
            return
        fast = not isinstance(raw, LineDict)
        try:
            record = model.model_validate(raw if fast else dict(raw))
        except ValidationError as exc:
            self.problems += _schema_errors(exc, _record_label(what, raw), model, raw, file, line)
            ident = raw.get("id")
            if isinstance(ident, str):
                self.rejected.add(ident)  # known, so references to it raise no false alarm
            return
        into.append(_Record(record, None if fast else raw, Origin(file, line)))


def _record_label(what: str, raw: Mapping[str, Any]) -> str:
    ident = raw.get("id")
    if isinstance(ident, str):
        return f"{what} {ident!r}"
    if what == "statement":
        parts = [raw.get(k) for k in ("subject", "predicate", "object")]
        if all(isinstance(p, str) for p in parts):
            return f"statement '{parts[0]} {parts[1]} {parts[2]}'"
    return what


def _schema_errors(
    exc: ValidationError, label: str, model: type[BaseModel], raw: Any, file: str, line: int
) -> list[LoreError]:
    """Turn pydantic's errors for one record into messages a data editor reads."""
    errors = exc.errors()
    suggested: set[str] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            suggested.update(_close(str(error["loc"][-1]), _fields_at(model, error["loc"][:-1])))
    out: list[LoreError] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc and loc[-1] in suggested:
            continue  # the did-you-mean of the misspelt field already says it
        at = line_of(raw, loc, line)
        message = f"{label}: {_explain(error, model)}"
        if loc == ("predicate",) and error["type"] == "value_error":
            out.append(UnknownPredicateError(message, file=file, line=at, value=error["input"]))
        else:
            out.append(SchemaError(message, file=file, line=at, value=error.get("input")))
    return out


def _explain(error: Any, model: type[BaseModel]) -> str:
    loc = tuple(error["loc"])
    where = _dotted(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    shown = error.get("input")
    got = f" (got {shown!r})" if isinstance(shown, str | int | float | bool) else ""
    if kind == "extra_forbidden":
        hint = _suggest(str(loc[-1]), _fields_at(model, loc[:-1]))
        return f"unknown field {where!r}{hint}"
    if kind == "missing":
        return f"missing required field {where!r}"
    if kind == "value_error":
        text = str(error["msg"]).removeprefix("Value error, ")
        return text if loc == ("predicate",) else f"{where}: {text}" if where else text
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        text = "not a valid id; use lower-case letters, digits and hyphens, such as 'eve-macarro'"
    elif kind == "string_pattern_mismatch" and loc == ("wikidata",):
        text = "not a Wikidata item id such as 'Q43416'"
    elif kind == "literal_error" and loc == ("kind",):
        return f"a record of this section cannot have kind {shown!r}; move it to its own section"
    elif kind == "literal_error":
        text = f"must be one of {ctx.get('expected', '')}"
    elif kind == "too_short" and loc and loc[-1] == "sources":
        text = "needs at least one source"
    elif kind == "too_short":
        text = "must not be empty"
    elif kind in ("tuple_type", "list_type"):
        text = "must be a list"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        text = "must be a mapping of fields"
    elif kind.startswith(("date_", "datetime_")):
        text = "not a valid date; write it as YYYY-MM-DD"
    elif kind == "string_type":
        text = "must be text (quote it if it looks like a number, a date or yes/no)"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        text = "must be a whole number"
    elif kind in ("float_type", "float_parsing"):
        text = "must be a number"
    elif kind == "string_too_short":
        text = "must not be empty"
    else:
        text = str(error["msg"]).replace("Input should be", "must be")
    return f"{where}: {text}{got}" if where else f"{text}{got}"


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the (nested) model found by following ``loc`` from ``model``."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field_info = current.model_fields.get(step) if _is_model(current) else None
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if _is_model(current) else []


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model inside an annotation such as ``tuple[Citation, ...]``."""
    if _is_model(annotation):
        return annotation  # type: ignore[no-any-return]
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _close(value: str, choices: Iterable[str]) -> list[str]:
    return get_close_matches(value, list(choices), n=3, cutoff=0.6)


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = _close(value, choices)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _files(path: Path) -> Iterator[tuple[Path, str]]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix in _YAML_SUFFIXES and p.is_file())
        if not found:
            raise LoadError([DataFileError("no .yaml data files in this directory", file=path)])
        for p in found:
            yield p, str(p)
    elif path.is_file():
        yield path, str(path)
    else:
        raise LoadError([DataFileError("no such file or directory", file=path)])


class _Checker:
    """Cross-checks the records of a whole universe."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.problems = reader.problems
        self.entities: dict[str, _Record[EntityBase]] = {}
        for rec in reader.entities:
            ident = rec.model.id
            if ident in self.entities:
                first = self.entities[ident].origin
                self.problems.append(
                    DuplicateIdError(
                        f"duplicate id {ident!r}: already defined at {first}",
                        file=rec.origin.file,
                        line=_field_line(rec, "id"),
                        value=ident,
                    )
                )
            else:
                self.entities[ident] = rec

    def kind_of(self, ident: str) -> str:
        return self.entities[ident].model.kind

    def ref(
        self,
        rec: _Record[Any],
        loc: tuple[str | int, ...],
        ident: str,
        *,
        label: str,
        kinds: Iterable[str] | None = None,
        role: str = "",
    ) -> bool:
        """Check that ``ident`` names an entity (of one of ``kinds``); report if not."""
        found = self.entities.get(ident)
        if found is not None and (kinds is None or found.model.kind in kinds):
            return True  # the common case: no line to look up
        line = line_of(rec.raw, loc, rec.origin.line)
        if ident in self.reader.rejected and ident not in self.entities:
            return False  # its own record is already reported as broken
        if ident not in self.entities:
            close = get_close_matches(ident, list(self.entities), n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            self.problems.append(
                UnknownEntityError(
                    f"{label}: unknown id {ident!r} in {_dotted(loc)}{hint}",
                    suggestions=close,
                    file=rec.origin.file,
                    line=line,
                    value=ident,
                )
            )
            return False
        allowed = sorted(kinds) if kinds is not None else None
        if allowed is not None and self.kind_of(ident) not in allowed:
            error_type = RelationTypeError if role else CrossReferenceError
            self.problems.append(
                error_type(
                    f"{label}: {_dotted(loc)} {ident!r} is a {self.kind_of(ident)}; "
                    f"{role or _dotted(loc)} must be a {' or '.join(allowed)}",
                    file=rec.origin.file,
                    line=line,
                    value=ident,
                )
            )
            return False
        return True

    def citations(self, rec: _Record[Any], label: str, sources: tuple[Citation, ...]) -> None:
        for i, citation in enumerate(sources):
            self.ref(rec, ("sources", i), citation.source, label=label, kinds=("source", "work"))

    def check(self) -> None:
        for rec in self.reader.entities:
            entity = rec.model
            label = f"{entity.kind} {entity.id!r}"
            if entity.first_appearance is not None:
                self.ref(
                    rec,
                    ("first_appearance",),
                    entity.first_appearance,
                    label=label,
                    kinds=("work",),
                )
            self.citations(rec, label, entity.sources)
        seen: dict[tuple[str, str, str], Origin] = {}
        for srec in self.reader.statements:
            st = srec.model
            kind = RELATIONS[st.predicate]
            # report in the reading the data was written in (plays, not portrayed_by)
            # a fast-read record keeps no raw; its problems are reported on a careful read
            written = st.predicate if srec.raw is None else srec.raw.get("predicate", st.predicate)
            flipped = written != st.predicate
            subject, obj = (st.object, st.subject) if flipped else (st.subject, st.object)
            label = f"statement '{subject} {written} {obj}'"
            domain, range_ = (kind.range, kind.domain) if flipped else (kind.domain, kind.range)
            self.ref(srec, ("subject",), subject, label=label, kinds=domain,
                     role=f"the subject of {written}")  # fmt: skip
            self.ref(srec, ("object",), obj, label=label, kinds=range_,
                     role=f"the object of {written}")  # fmt: skip
            if st.revealed_in is not None:
                self.ref(srec, ("revealed_in",), st.revealed_in, label=label, kinds=("work",))
            self.citations(srec, label, st.sources)
            key = _unordered_key(st)
            if key in seen:
                self.problems.append(
                    DuplicateIdError(
                        f"{label} is already stated at {seen[key]}; list all its sources "
                        "on one statement",
                        file=srec.origin.file,
                        line=srec.origin.line,
                        value=st.key,
                    )
                )
            else:
                seen[key] = srec.origin
        note_ids: dict[str, Origin] = {}
        for nrec in self.reader.notes:
            note = nrec.model
            label = f"note {note.id!r}"
            if note.id in note_ids:
                self.problems.append(
                    DuplicateIdError(
                        f"duplicate note id {note.id!r}: already defined at {note_ids[note.id]}",
                        file=nrec.origin.file,
                        line=_field_line(nrec, "id"),
                        value=note.id,
                    )
                )
            else:
                note_ids[note.id] = nrec.origin
            for i, ident in enumerate(note.about):
                self.ref(nrec, ("about", i), ident, label=label)
            if note.revealed_in is not None:
                self.ref(nrec, ("revealed_in",), note.revealed_in, label=label, kinds=("work",))
            self.citations(nrec, label, note.sources)
        if len(self.reader.infos) > 1:
            first = self.reader.infos[0].origin
            for irec in self.reader.infos[1:]:
                self.problems.append(
                    DataFileError(
                        f"a second 'universe' section; the first is at {first}",
                        file=irec.origin.file,
                        line=irec.origin.line,
                    )
                )


def _unordered_key(st: Statement) -> tuple[str, str, str]:
    if RELATIONS[st.predicate].symmetric:
        a, b = sorted((st.subject, st.object))
        return (a, st.predicate, b)
    return st.key


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _field_line(rec: _Record[Any], name: str) -> int:
    return line_of(rec.raw, (name,), rec.origin.line)


def _release_rank(works: Mapping[str, Work]) -> dict[str, tuple[dt.date, str]]:
    return {w.id: (w.release_date, w.id) for w in works.values() if w.release_date is not None}


def _first_seen(entity: EntityBase) -> str | None:
    if isinstance(entity, Work):
        return entity.id
    return entity.first_appearance


def _complete(
    entities: Mapping[str, EntityBase], statements: list[Statement], notes: list[Note]
) -> tuple[list[Statement], list[Note]]:
    """Fill each statement's layer and default ``revealed_in``."""
    works = {k: e for k, e in entities.items() if isinstance(e, Work)}
    rank = _release_rank(works)
    # the rank of each entity's first work, looked up once rather than per statement
    seen = {
        i: rank[w] for i, e in entities.items() if (w := _first_seen(e)) is not None and w in rank
    }

    def latest(ids: Iterable[str]) -> str | None:
        """The latest released of the works the entities were first seen in."""
        last = max((seen[i] for i in ids if i in seen), default=None)
        return None if last is None else last[1]

    layers = {name: kind.layer for name, kind in RELATIONS.items()}
    done: list[Statement] = []
    for st in statements:
        update: dict[str, Any] = {}
        if st.layer is None:
            update["layer"] = layers[st.predicate]
        if st.revealed_in is None and (later := latest((st.subject, st.object))) is not None:
            update["revealed_in"] = later
        done.append(st.model_copy(update=update) if update else st)
    done_notes: list[Note] = []
    for note in notes:
        if note.revealed_in is None and (later := latest(note.about)) is not None:
            note = note.model_copy(update={"revealed_in": later})
        done_notes.append(note)
    return done, done_notes


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
    reader = _Reader(fast=fast)
    if root.suffix.lower() in RDF_SUFFIXES:
        from .._rdf.read import read_rdf  # RDF fills the same records; checks are shared

        read_rdf(root, reader)
    else:
        for file, display in _files(root):
            reader.read_file(file, display)
    checker = _Checker(reader)
    checker.check()
    origins = _origins(reader)
    names = {ident: rec.model.name for ident, rec in checker.entities.items()}
    sound = [
        r.model for r in reader.statements if {r.model.subject, r.model.object} <= names.keys()
    ]
    reader.problems += check_chronology(sound, names, origins)
    if reader.problems:
        if reader.used_fast:
            return _load_universe(root, fast=False)
        raise LoadError(reader.problems)
    entities = {k: r.model for k, r in checker.entities.items()}
    statements, notes = _complete(
        entities,
        [r.model for r in reader.statements],
        [r.model for r in reader.notes],
    )
    if reader.infos:
        info = reader.infos[0].model
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


def _origins(reader: _Reader) -> dict[tuple[str, ...], Origin]:
    """Where each record was written, keyed as :meth:`LoreGraph.origin` looks it up."""
    origins: dict[tuple[str, ...], Origin] = {}
    for erec in reader.entities:
        origins.setdefault(("entity", erec.model.id), erec.origin)
    for nrec in reader.notes:
        origins.setdefault(("note", nrec.model.id), nrec.origin)
    for srec in reader.statements:
        origins.setdefault(("statement", *srec.model.key), srec.origin)
    return origins


def _slugify(text: str) -> str:
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "universe"


def bundled_data_path() -> Path:
    """The directory of the John Wick universe that ships with lorekit.

    Examples
    --------
    >>> (bundled_data_path() / "universe.yaml").is_file()
    True
    """
    packaged = Path(str(resources.files("lorekit"))) / "data" / "john-wick"
    if packaged.is_dir():
        return packaged
    # an editable install from a clone: the data lives at the top of the repository
    return Path(__file__).resolve().parents[3] / "data" / "john-wick"


def load(path: str | Path | None = None) -> LoreGraph:
    """Load a universe and build its graph.

    Parameters
    ----------
    path
        A directory of YAML files, one YAML file, or an RDF file exported by
        lorekit (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.trig``, ``.nq``,
        ...); the bundled John Wick universe when omitted.

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

    with collector_paused():
        universe, origins = load_universe(bundled_data_path() if path is None else path)
        return LoreGraph(universe, origins=origins)
