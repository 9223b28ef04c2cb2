"""Checks that span records: duplicate ids and statements, and every reference.

Which fields name an entity, and of which kinds, is read from the model (the
:class:`~lorekit._core.kinds.Ref` marks, as the ontology and the shapes read
them); a statement's subject and object take their kinds from the
predicate's domain and range. Problems are added to the records' problems,
with the line of the offending field where the reader kept it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from pydantic import BaseModel

from .._core.errors import (
    CrossReferenceError,
    DataFileError,
    DuplicateIdError,
    RelationTypeError,
    UnknownEntityError,
)
from .._core.model import EntityBase, Note, Statement, ref_fields
from .._core.names import close_matches, hint
from .._core.relations import RELATIONS
from .explain import dotted
from .reader import Origin, Record, Records
from .yaml import line_of

__all__ = ["cross_check"]

_Loc = tuple[str | int, ...]
_Step = tuple[str, bool, "Callable[[Any], Any] | None", "tuple[str, ...] | None"]
_Plan = tuple[_Step, ...]


def cross_check(records: Records) -> dict[str, Record[EntityBase]]:
    """Check the records of a whole universe; return the entities by id.

    A duplicate id keeps the first record. Every problem found is added to
    ``records.problems``.
    """
    checker = _Checker(records)
    checker.check()
    return checker.entities


def _plan(model: type[BaseModel]) -> _Plan:
    """The reference fields of ``model`` the checker follows, statement ends aside.

    Each is (first field, whether it is a tuple, what gets the id from a
    nested model or ``None``, the allowed kinds or ``None`` for any). A
    reference inside a nested model (a citation's source) is reported at the
    nested record.
    """
    plan: list[_Step] = []
    for f in ref_fields(model):
        if f.ref.end is not None:
            continue
        (name, many), *inner = f.path
        assert not any(m for _, m in inner), f"{model.__name__}.{name}: a tuple in a nested model"
        get = attrgetter(".".join(n for n, _ in inner)) if inner else None
        plan.append((name, many, get, f.ref.kinds or None))
    return tuple(plan)


class _Checker:
    """Cross-checks the records of a whole universe."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.problems = records.problems
        self.entities: dict[str, Record[EntityBase]] = {}
        self.plans: dict[type[BaseModel], _Plan] = {}
        for rec in records.entities:
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
        self.kind_by_id: dict[str, str] = {i: r.model.kind for i, r in self.entities.items()}

    def statement_ends(self, srec: Record[Statement]) -> None:
        """Report the ends of a statement that are unknown or of a kind its predicate refuses."""
        st = srec.model
        kind = RELATIONS[st.predicate]
        written, subject, obj = _as_written(srec)
        flipped = written != st.predicate
        label = f"statement '{subject} {written} {obj}'"
        domain, range_ = (kind.range, kind.domain) if flipped else (kind.domain, kind.range)
        self.ref(srec, ("subject",), subject, label=label, kinds=domain,
                 role=f"the subject of {written}")  # fmt: skip
        self.ref(srec, ("object",), obj, label=label, kinds=range_,
                 role=f"the object of {written}")  # fmt: skip

    def kind_of(self, ident: str) -> str:
        return self.entities[ident].model.kind

    def ref(
        self,
        rec: Record[Any],
        loc: _Loc,
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
        if ident in self.records.rejected and ident not in self.entities:
            return False  # its own record is already reported as broken
        if ident not in self.entities:
            close = close_matches(ident, self.entities)
            self.problems.append(
                UnknownEntityError(
                    f"{label}: unknown id {ident!r} in {dotted(loc)}{hint(close)}",
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
                    f"{label}: {dotted(loc)} {ident!r} is a {self.kind_of(ident)}; "
                    f"{role or dotted(loc)} must be a {' or '.join(allowed)}",
                    file=rec.origin.file,
                    line=line,
                    value=ident,
                )
            )
            return False
        return True

    def refs(self, recs: Iterable[Record[Any]], label: Callable[[Record[Any]], str]) -> None:
        """Check every reference field of the records, as the model marks them.

        ``label`` names a record in a message; it is called only for a problem.
        """
        kind_of = self.kind_by_id
        plans = self.plans
        for rec in recs:  # written out: this runs for every record
            record = rec.model
            plan = plans.get(type(record))
            if plan is None:
                plan = plans[type(record)] = _plan(type(record))
            for name, many, inner, kinds in plan:
                value = getattr(record, name)
                if value is None:
                    continue
                for item in value if many else (value,):
                    kind = kind_of.get(item if inner is None else inner(item))
                    if kind is None or (kinds is not None and kind not in kinds):
                        self.field_refs(rec, name, many, inner, kinds, value, label)
                        break  # the whole field is reported, each of its items once

    def field_refs(
        self,
        rec: Record[Any],
        name: str,
        many: bool,
        inner: Callable[[Any], Any] | None,
        kinds: tuple[str, ...] | None,
        value: Any,
        label: Callable[[Record[Any]], str],
    ) -> None:
        """Report each reference of one field that names no entity of the kinds allowed."""
        for i, item in enumerate(value) if many else ((None, value),):
            ident = item if inner is None else inner(item)
            if ident is not None:
                loc = (name,) if i is None else (name, i)
                self.ref(rec, loc, ident, label=label(rec), kinds=kinds)

    def check(self) -> None:
        self.refs(self.records.entities, _entity_label)
        seen: dict[tuple[str, str, str], Origin] = {}
        spans: dict[tuple[str, str, str], tuple[str | None, str | None]] = {}
        kind_of = self.kind_by_id
        for srec in self.records.statements:
            st = srec.model
            kind = RELATIONS[st.predicate]
            # Either reading checks the same two ends: the message needs the written one.
            subject_kind, object_kind = kind_of.get(st.subject), kind_of.get(st.object)
            if subject_kind not in kind.domain or object_kind not in kind.range:
                self.statement_ends(srec)
            key = (
                (st.object, st.predicate, st.subject)
                if kind.symmetric and st.object < st.subject
                else (st.subject, st.predicate, st.object)
            )
            found = seen.get(key)
            if found is not None:
                written, subject, obj = _as_written(srec)
                again = (
                    "; a statement holds over one span, from its since to its until"
                    if spans[key] != (st.since, st.until)
                    else ""
                )
                self.problems.append(
                    DuplicateIdError(
                        f"statement '{subject} {written} {obj}' is already stated at {found}"
                        f"{again}; list all its sources on one statement",
                        file=srec.origin.file,
                        line=srec.origin.line,
                        value=st.key,
                    )
                )
            else:
                seen[key] = srec.origin
                spans[key] = (st.since, st.until)
        self.refs(self.records.statements, _statement_label)
        note_ids: dict[str, Origin] = {}
        for nrec in self.records.notes:
            note = nrec.model
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
        self.refs(self.records.notes, _note_label)
        infos = self.records.infos
        if len(infos) > 1:
            first = infos[0].origin
            for irec in infos[1:]:
                self.problems.append(
                    DataFileError(
                        f"a second 'universe' section; the first is at {first}",
                        file=irec.origin.file,
                        line=irec.origin.line,
                    )
                )


def _as_written(srec: Record[Statement]) -> tuple[str, str, str]:
    """Subject, predicate and object in the reading the data was written in.

    A message names ``plays``, not ``portrayed_by``, if the data says ``plays``.
    A fast-read record keeps no raw; its problems are reported on a careful read.
    """
    st = srec.model
    written = st.predicate if srec.raw is None else srec.raw.get("predicate", st.predicate)
    if written != st.predicate:
        return written, st.object, st.subject
    return written, st.subject, st.object


def _entity_label(rec: Record[EntityBase]) -> str:
    return f"{rec.model.kind} {rec.model.id!r}"


def _statement_label(rec: Record[Statement]) -> str:
    written, subject, obj = _as_written(rec)
    return f"statement '{subject} {written} {obj}'"


def _note_label(rec: Record[Note]) -> str:
    return f"note {rec.model.id!r}"


def _field_line(rec: Record[Any], name: str) -> int:
    return line_of(rec.raw, (name,), rec.origin.line)
