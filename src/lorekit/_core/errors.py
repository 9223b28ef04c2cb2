"""The errors lorekit raises.

Every error a user can cause is a :class:`LoreError`, so one ``except``
catches them all. Each carries the file, the line and the offending value
where they are known, and renders as ``file:line: message``::

    LoreError
    ├── DataFileError          a data file cannot be read or parsed (YAML syntax)
    │   └── RDFError               an RDF file that cannot be parsed or does not fit the ontology
    ├── SchemaError            a record does not fit the data format
    ├── CrossReferenceError    base of the cross-reference errors
    │   ├── UnknownEntityError     an id, name or alias that matches nothing
    │   ├── AmbiguousNameError     a name or alias that matches several entities
    │   ├── UnknownPredicateError  a predicate that is not in the relation registry
    │   ├── DuplicateIdError       two entities share an id
    │   └── RelationTypeError      a statement whose ends break its domain or range
    ├── ChronologyError        story-order constraints that contradict each other
    │   └── ContinuityWarning      what is likely a slip, not a contradiction (validate --strict)
    ├── OutputError            an output file cannot be written
    ├── EndpointError          a SPARQL server is unreachable, answers an HTTP error or rejects data
    ├── QueryError             a SPARQL query that cannot run: syntax, a bad or missing parameter
    ├── ServeError             the live page cannot be served (the port is taken)
    └── LoadError              several of the above, gathered by one load
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AmbiguousNameError",
    "ChronologyError",
    "ContinuityWarning",
    "DataFileError",
    "DuplicateIdError",
    "EndpointError",
    "LoadError",
    "LoreError",
    "Origin",
    "OutputError",
    "QueryError",
    "RDFError",
    "CrossReferenceError",
    "RelationTypeError",
    "SchemaError",
    "ServeError",
    "UnknownEntityError",
    "UnknownPredicateError",
]


@dataclass(frozen=True, slots=True)  # one per record: no __dict__ each
class Origin:
    """Where a record was written: file and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# Documented with load(), where users meet it (the public name is lorekit.Origin).
Origin.__module__ = "lorekit._load.universe"


class LoreError(Exception):
    """Root of every error lorekit raises on bad input.

    Parameters
    ----------
    message
        What is wrong, in words a data editor understands.
    file
        The data file the problem is in, when known.
    line
        The 1-based line in ``file``, when known.
    value
        The offending value (an id, a predicate, ...), when there is one.

    Examples
    --------
    >>> str(LoreError("unknown id 'eve'", file="data/x.yaml", line=3))
    "data/x.yaml:3: unknown id 'eve'"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.value = value

    @property
    def location(self) -> str:
        """``file:line``, ``file`` or an empty string, as far as known."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        loc = self.location
        return f"{loc}: {self.message}" if loc else self.message


class DataFileError(LoreError):
    """A data file cannot be read: missing, not YAML, or not the expected shape."""


class SchemaError(LoreError):
    """A record does not fit the data format (a missing field, a bad slug, ...)."""


class CrossReferenceError(LoreError):
    """Base of the errors about ids and the links between records."""


class UnknownEntityError(CrossReferenceError, LookupError):
    """An id, name or alias that matches no entity.

    ``suggestions`` holds the closest known ids, for a did-you-mean.
    """

    def __init__(
        self,
        message: str,
        *,
        suggestions: Sequence[str] = (),
        file: str | Path | None = None,
        line: int | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message, file=file, line=line, value=value)
        self.suggestions = list(suggestions)


class AmbiguousNameError(CrossReferenceError, LookupError):
    """A name or alias that several entities share; ``candidates`` lists their ids."""

    def __init__(
        self,
        message: str,
        *,
        candidates: Sequence[str] = (),
        file: str | Path | None = None,
        line: int | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message, file=file, line=line, value=value)
        self.candidates = list(candidates)


class UnknownPredicateError(CrossReferenceError, LookupError):
    """A predicate that is neither a relation kind nor the inverse reading of one."""


class DuplicateIdError(CrossReferenceError):
    """Two records declare the same id."""


class RelationTypeError(CrossReferenceError):
    """A statement whose subject or object is of a kind its predicate does not allow."""


class ChronologyError(LoreError):
    """Story-order constraints that contradict each other (a cycle)."""


class ContinuityWarning(ChronologyError):
    """A continuity slip the story order proves but that need not be wrong.

    For example a character taking part in an event set after their death (a
    flashback or a ghost may explain it). :meth:`LoreGraph.warnings
    <lorekit.LoreGraph.warnings>` lists them; loading does not fail on them.
    """


class OutputError(LoreError):
    """An output file cannot be written (a missing directory, no permission, a full disk)."""


class EndpointError(LoreError):
    """A SPARQL server that cannot be reached, answers an HTTP error or rejects the data.

    ``url`` is the address that failed; ``status`` the HTTP status, or ``None``
    when no answer came (connection refused, lost, timed out).
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message, value=url)
        self.url = url
        self.status = status


class ServeError(LoreError):
    """The live page cannot be served: the port is taken or not allowed."""


class LoadError(LoreError):
    """Everything wrong with a universe, gathered by one :func:`lorekit.load`.

    ``errors`` lists each problem in file and line order; ``str()`` prints one
    per line.

    Examples
    --------
    >>> err = LoadError([SchemaError("bad", file="a.yaml", line=2)])
    >>> print(err)
    1 error in the data:
    a.yaml:2: bad
    """

    def __init__(self, errors: Sequence[LoreError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        n = len(self.errors)
        head = f"{n} error{'s' if n != 1 else ''} in the data:"
        super().__init__("\n".join([head, *(str(e) for e in self.errors)]))


def _sort_key(err: LoreError) -> tuple[str, int, str]:
    return (err.file or "", err.line or 0, err.message)


class RDFError(DataFileError):
    """An RDF file that cannot be parsed, or whose triples do not fit the ontology.

    The message names the offending triple; ``file`` and ``line`` say where,
    as far as the format lets lorekit know.
    """


class QueryError(LoreError):
    """A SPARQL query that cannot run: a syntax error, a bad or missing parameter."""
