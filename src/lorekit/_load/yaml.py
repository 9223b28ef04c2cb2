"""YAML reading that remembers where every mapping, key and list item stands.

PyYAML forgets positions once it builds Python objects; the loader here keeps
them in :class:`LineDict` and :class:`LineList`, so validation errors can name
the exact line of the offending field. Duplicate keys, which PyYAML silently
overwrites, are reported instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from .._core.errors import DataFileError, LoreError

__all__ = ["LineDict", "LineList", "line_of", "parse_yaml", "read_text", "read_yaml"]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    problems: list[LoreError]
    filename: str


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, Hashable):
            loader.problems.append(
                DataFileError(
                    "a mapping key must be a plain value", file=loader.filename, line=line
                )
            )
            continue
        if key in result:
            loader.problems.append(
                DataFileError(
                    f"duplicate key {key!r} (first at line {result.key_lines[key]})",
                    file=loader.filename,
                    line=line,
                    value=key,
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Leave dates as text for the model to check: PyYAML crashes on 2025-13-45."""
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def read_yaml(path: Path, *, display: str) -> tuple[Any, list[LoreError]]:
    """Parse one YAML file; return its content and the problems found on the way.

    ``display`` is the file name as errors should show it. A file that cannot
    be read or parsed at all raises :class:`DataFileError` with the parser's line.
    """
    return parse_yaml(read_text(path, display=display), display=display)


def read_text(path: Path, *, display: str) -> str:
    """The text of a data file; :class:`DataFileError` if it is unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"not UTF-8 text: {exc.reason}", file=display) from exc
    except OSError as exc:
        raise DataFileError(f"cannot read file: {exc.strerror}", file=display) from exc


def parse_yaml(text: str, *, display: str) -> tuple[Any, list[LoreError]]:
    """Parse the text of one YAML file, as :func:`read_yaml` does."""
    loader = _LineLoader(text)
    loader.problems = []
    loader.filename = display
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, display) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"invalid YAML: {exc}", file=display) from exc
    finally:
        loader.dispose()
    return data, loader.problems


def _syntax_error(exc: yaml.MarkedYAMLError, display: str) -> DataFileError:
    """Say what the parser missed and, when it began elsewhere, where it began."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    context = exc.context
    if context and exc.context_mark is not None and exc.context_mark is not mark:
        started = exc.context_mark.line + 1
        if mark is None or started != mark.line + 1:
            problem += f" ({context} that starts at line {started})"
        else:
            problem = f"{context}: {problem}"
    elif context and context != problem:
        problem = f"{context}: {problem}"
    return DataFileError(
        f"invalid YAML: {problem}", file=display, line=mark.line + 1 if mark is not None else None
    )


def line_of(container: Any, loc: tuple[int | str, ...], default: int) -> int:
    """The line of the deepest element of ``loc`` that can be found in ``container``.

    Examples
    --------
    >>> d = LineDict(a=LineList([1, 2])); d.line = 1; d.key_lines = {"a": 2}
    >>> d["a"].line, d["a"].item_lines = 2, [3, 4]
    >>> line_of(d, ("a", 1), default=1)
    4
    >>> line_of(d, ("missing",), default=1)
    1
    """
    line = getattr(container, "line", default) or default
    node = container
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
