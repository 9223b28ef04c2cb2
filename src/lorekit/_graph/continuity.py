"""Continuity: spans and deaths that the story order contradicts.

Errors (the universe does not load): a statement whose ``since`` is set
after its ``until``, and a statement that starts after one of its ends has
died. A warning (``lorekit validate`` prints it, ``--strict`` makes it an
error): a character taking part in (or carrying out, or suffering) an event
set after their death. Each names the statements involved, with file and
line. Only what the story order proves is reported: a death not ordered
against a span is no contradiction.

Examples
--------
>>> from lorekit import load
>>> load().warnings()
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .._core.errors import ChronologyError, ContinuityWarning
from .._core.model import Statement
from .._core.relations import RELATIONS

if TYPE_CHECKING:
    from .._core.errors import Origin
    from .story_time import StoryTime

__all__ = ["continuity_errors", "continuity_warnings"]

PARTICIPATION = ("participant_in", "perpetrator_of", "victim_of")
"""Predicates by which a character is present at an event."""


def continuity_errors(
    statements: Sequence[Statement],
    time: StoryTime,
    names: Mapping[str, str],
    origins: Mapping[tuple[str, ...], Origin],
) -> list[ChronologyError]:
    """Spans that end before they start, and statements starting after a death."""
    errors: list[ChronologyError] = []
    deaths = _death_statements(statements)
    for st in statements:
        if st.since is None and st.until is None:
            continue
        where = origins.get(("statement", *st.key))
        text = _text(st, names)
        if st.since is not None and st.until is not None and time.precedes(st.until, st.since):
            errors.append(
                ChronologyError(
                    f"{text} holds since {_name(st.since, names)}, set after its end, "
                    f"until {_name(st.until, names)}",
                    file=where.file if where else None,
                    line=where.line if where else None,
                    value=st.key,
                )
            )
        if st.since is None:
            continue
        for end in dict.fromkeys((st.subject, st.object)):
            for death in deaths.get(end, ()):
                if st is not death and time.precedes(death.object, st.since):
                    at = origins.get(("statement", *death.key))
                    errors.append(
                        ChronologyError(
                            f"{text} starts at {_name(st.since, names)}, after "
                            f"{_name(end, names)} dies in {_name(death.object, names)}"
                            + (f" ({at})" if at else ""),
                            file=where.file if where else None,
                            line=where.line if where else None,
                            value=[st.key, death.key],
                        )
                    )
    return errors


def continuity_warnings(
    statements: Sequence[Statement],
    time: StoryTime,
    names: Mapping[str, str],
    origins: Mapping[tuple[str, ...], Origin],
) -> list[ContinuityWarning]:
    """Characters present at events set after their death."""
    warnings: list[ContinuityWarning] = []
    deaths = _death_statements(statements)
    if not deaths:
        return warnings
    for st in statements:
        if st.predicate not in PARTICIPATION:
            continue
        for death in deaths.get(st.subject, ()):
            if time.precedes(death.object, st.object):
                where = origins.get(("statement", *st.key))
                at = origins.get(("statement", *death.key))
                warnings.append(
                    ContinuityWarning(
                        f"{_text(st, names)}: the event is set after "
                        f"{_name(st.subject, names)} dies in {_name(death.object, names)}"
                        + (f" ({at})" if at else ""),
                        file=where.file if where else None,
                        line=where.line if where else None,
                        value=[st.key, death.key],
                    )
                )
    return warnings


def _death_statements(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    deaths: dict[str, list[Statement]] = {}
    for st in statements:
        if st.predicate == "dies_in":
            deaths.setdefault(st.subject, []).append(st)
    return deaths


def _name(ident: str, names: Mapping[str, str]) -> str:
    return names.get(ident, ident)


def _text(st: Statement, names: Mapping[str, str]) -> str:
    return f"{_name(st.subject, names)} {RELATIONS[st.predicate].label} {_name(st.object, names)}"
