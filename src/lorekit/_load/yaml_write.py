"""Writing records as YAML data files: one record a line, every text quoted.

The importers write what they build through these few functions, so an
imported universe reads like one written by hand and diffs line by line.
Text is written as a JSON string, which is valid YAML; characters a reader
should see rather than have acted on (controls, bidi overrides, zero-width
marks) are written as ``\\uXXXX`` escapes, so a hostile name stays inert
and visible in review.

Examples
--------
>>> scalar('say "hi"\\u202e')
'"say \\\\"hi\\\\"\\\\u202e"'
>>> record({"id": "eve", "name": "Eve", "aliases": ["E"], "first_appearance": None})
'{id: eve, name: "Eve", aliases: ["E"]}'
>>> print(section("characters", [{"id": "eve", "name": "Eve"}]), end="")
characters:
  - {id: eve, name: "Eve"}
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["record", "scalar", "section"]

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # ids and predicate names
_VISIBLE_AS_ESCAPE = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


def _escape(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    if text.isascii() and text.isprintable():
        return out
    return "".join(
        f"\\u{ord(c):04x}"
        if unicodedata.category(c) in _VISIBLE_AS_ESCAPE and c not in '\\"' and ord(c) <= 0xFFFF
        else c
        for c in out
    )


def scalar(value: Any) -> str:
    """A YAML flow value: a slug bare, other text quoted, lists and mappings in flow style."""
    if isinstance(value, str):
        return (
            value
            if _SLUG.match(value) and value not in ("null", "true", "false")
            else _escape(value)
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return record(value)
    return str(value)


def record(fields: Mapping[str, Any]) -> str:
    """One record as a flow mapping; ``None`` and empty lists are left out."""
    kept = ((k, v) for k, v in fields.items() if v is not None and v != () and v != [])
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in kept) + "}"


def section(name: str, records: Iterable[Mapping[str, Any]], *, comment: str = "") -> str:
    """A data-file section: ``name:`` then one record a line (empty if none)."""
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    lines = [f"  - {record(r)}" for r in records]
    return head + f"{name}:" + ("\n" + "\n".join(lines) if lines else " []") + "\n"
