"""The YAML reader: the sections of a data file into records.

A data file is a mapping whose keys are sections: ``universe``, one per
entity kind (``characters``, ``works``, ... as :data:`~lorekit._core.kinds.KINDS`
names them), ``statements`` and ``notes``. With ``fast``, a plainly written
file is parsed by :func:`~lorekit._load.fastyaml.read_plain`, which gives
the line of each record but not of each field; any other file, and every
file when the loader reads again after a problem, is parsed by
:func:`~lorekit._load.yaml.parse_yaml`, which gives the line of everything.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp) / "lore.yaml"
...     _ = path.write_text('characters:\\n  - {id: eve, name: "Eve"}\\n', encoding="utf-8")
...     records = Records()
...     YamlReader().read(path, records, fast=True)
>>> [(r.model.id, r.origin.line) for r in records.entities], records.used_fast
([('eve', 2)], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._core.errors import DataFileError, SchemaError
from .._core.kinds import SECTIONS
from .._core.model import ENTITY_MODELS, Note, Statement, UniverseInfo
from .._core.names import did_you_mean
from .explain import record_label, schema_errors
from .fastyaml import read_plain
from .reader import M, Origin, Reader, Record, Records
from .yaml import LineDict, LineList, parse_yaml, read_text

__all__ = ["YamlReader"]

_OTHER_SECTIONS = ("universe", "statements", "notes")


class YamlReader(Reader):
    """Reads YAML data files, fast where a file is plainly written."""

    name = "yaml"
    suffixes = (".yaml", ".yml")

    def read(self, path: Path, into: Records, *, fast: bool = False) -> None:
        _FileReader(into, str(path)).read(path, fast=fast)


class _FileReader:
    """Reads one file's sections into ``into``."""

    def __init__(self, into: Records, display: str) -> None:
        self.into = into
        self.problems = into.problems
        self.display = display
        self.interner = into.interner
        self.context = {"interner": into.interner}

    def read(self, path: Path, *, fast: bool) -> None:
        display = self.display
        try:
            text = read_text(path, display=display)
            plain = read_plain(text) if fast else None
            if plain is not None:
                self.into.used_fast = True
                self.sections(plain.data, plain.key_lines, plain.item_lines)
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
        self.sections(data, data.key_lines, None)

    def sections(
        self,
        data: dict[Any, Any],
        key_lines: Mapping[Any, int],
        item_lines: Mapping[str, list[int]] | None,
    ) -> None:
        for section, value in data.items():
            line = key_lines.get(section, 1)
            if section == "universe":
                self.one(UniverseInfo, value, line, self.into.infos, "universe")
            elif section in SECTIONS or section in ("statements", "notes"):
                lines = item_lines.get(section) if item_lines is not None else None
                self.section(section, value, line, lines)
            else:
                known = [*_OTHER_SECTIONS, *SECTIONS]
                self.problems.append(
                    DataFileError(
                        f"unknown section {section!r}{did_you_mean(str(section), known)}",
                        file=self.display,
                        line=line,
                        value=section,
                    )
                )

    def section(self, section: str, value: Any, line: int, lines: list[int] | None) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.problems.append(
                DataFileError(
                    f"section {section!r} must be a list of records", file=self.display, line=line
                )
            )
            return
        if lines is None:
            lines = value.item_lines if isinstance(value, LineList) else [line] * len(value)
        into = self.into
        for index, item in enumerate(value):
            item_line = lines[index]
            if section == "statements":
                self.one(Statement, item, item_line, into.statements, "statement")
            elif section == "notes":
                self.one(Note, item, item_line, into.notes, "note")
            else:
                kind = SECTIONS[section]
                if isinstance(item, LineDict) and "kind" not in item:
                    tagged = LineDict(item, kind=kind)
                    tagged.line, tagged.key_lines = item.line, item.key_lines
                    item = tagged
                elif isinstance(item, dict) and "kind" not in item:
                    item["kind"] = kind  # a plain dict of the fast path, read for this alone
                self.one(ENTITY_MODELS[kind], item, item_line, into.entities, kind)

    def one(self, model: type[M], raw: Any, line: int, into: list[Record[M]], what: str) -> None:
        file = self.display
        if not isinstance(raw, dict):
            self.problems.append(
                SchemaError(f"a {what} must be a mapping of fields", file=file, line=line)
            )
            return
        fast = not isinstance(raw, LineDict)
        try:
            record = model.model_validate(raw if fast else dict(raw), context=self.context)
        except ValidationError as exc:
            self.problems += schema_errors(exc, record_label(what, raw), model, raw, file, line)
            ident = raw.get("id")
            if isinstance(ident, str):
                self.into.rejected.add(ident)  # known, so references to it raise no false alarm
            return
        self.interner.share(record)
        into.append(Record(record, None if fast else raw, Origin(file, line)))
