"""A fast reader for plainly written data files, and the proof that it reads them right.

:mod:`lorekit._load.yaml` reads every file with PyYAML and keeps the line of each
key and item, which is what error messages need, but it builds Python objects
at about a megabyte a second. Most data files are plain: one record a line,
quoted text, no tags, anchors or multi-line scalars. For those, ``yaml_rs``
(a YAML 1.2 parser written in Rust) gives the same values about ten times
faster, checks included. On success only the line of each section key and of
each record is needed, and a scan of the text finds them.

YAML 1.2 reads some plain scalars differently from PyYAML's YAML 1.1 (``yes``
stays text, ``0755`` is decimal, ``1e3`` is a number, tags are ignored), so
:func:`read_plain` first checks the text: every line must be blank, a comment,
a ``key:`` or a ``- `` item with a value on that same line, built only of plain
characters and quoted strings without escapes; no unquoted token may be one
that the two versions of YAML read differently. A file that fails any check,
or whose records the scan cannot place, returns ``None`` and is read by the
careful reader instead, so what the loader sees never depends on the path.
Files with mistakes are read again by the careful reader too (the loader does
that), since error messages need the line of every field.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

_yaml_rs: ModuleType | None
try:  # a declared dependency; without it every file takes the careful path
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - a platform without a yaml-rs wheel
    _yaml_rs = None

__all__ = ["PlainFile", "read_plain"]

# Characters PyYAML reads differently or refuses: tabs, carriage returns and
# other line breaks (lines are counted on "\n" only), a byte-order mark, and
# the non-printable characters PyYAML rejects.
_ODD_CHAR = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

# Quoted strings that end on their line and hold no escapes read the same in
# both versions of YAML; the checks below look at the text with them blanked.
_QUOTED = re.compile(r"\"[^\"\n\\]*\"|'[^'\n]*'")
_COMMENT = re.compile(r"(?:^| )#[^\n]*", re.MULTILINE)

# Outside quotes: no quote left open, no tag, anchor, alias, block scalar,
# directive, escape, complex key or merge key (``<<``).
_INDICATOR = re.compile(r"[\"'|>!&*\\%@`?<]")

# A line that is not blank, a ``key:`` or a ``- `` item with a value on it:
# the continuation of a multi-line scalar, or an item whose node starts on the
# next line.
_KEY = r"[A-Za-z_][\w-]*"
_ODD_LINE = re.compile(rf"^ *(?:(?![ ]|- |{_KEY} *:(?: |$)|$)|(?:- +)+$)", re.MULTILINE)

# Unquoted tokens that YAML 1.1 (PyYAML) and YAML 1.2 (yaml_rs) may read
# differently: 1.1 booleans, octal, hex, binary, sexagesimal and underscored
# numbers, exponents, leading-dot floats, infinities and NaNs, the value key
# ``=``, and null and true/false in any spelling. The lookahead after the
# first character only makes the search fail fast at ordinary words.
_RISKY_TOKEN = re.compile(
    r"[\s\[{,](?=[-+.0-9yYnNoOtTfF=~])"
    r"(?:[-+]?(?:0[0-9_a-zA-Z]|[0-9][0-9_]*[_:eE]|[0-9]*\.[0-9_]*[eE_]|\.[0-9a-zA-Z])"
    r"|(?:[yY][eE][sS]|[nN][oO]|[oO][nN]|[oO][fF][fF]|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]"
    r"|[nN][uU][lL][lL]|=|~)(?=[\s,\]}:]|$))"
)
# A colon glued to what follows: flow mappings of the two versions read it differently.
_GLUED_COLON = re.compile(r":[^\s,\]}]")

_TOP_KEY = re.compile(rf"^({_KEY}) *:", re.MULTILINE)
_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


class PlainFile:
    """A data file read by the fast path: its content and where its records stand."""

    __slots__ = ("data", "item_lines", "key_lines")

    def __init__(
        self, data: dict[str, Any], key_lines: dict[str, int], item_lines: dict[str, list[int]]
    ) -> None:
        self.data = data
        """The sections, as plain dicts, lists and scalars."""
        self.key_lines = key_lines
        """The line of each section's key."""
        self.item_lines = item_lines
        """For each section that holds a list, the line of each of its items."""


def read_plain(text: str) -> PlainFile | None:
    """Read ``text`` fast if it provably reads as the careful reader would; else ``None``.

    Examples
    --------
    >>> plain = read_plain('characters:\\n  - {id: eve, name: "Eve"}\\n  - {id: jo, name: "Jo"}\\n')
    >>> plain.data["characters"][1], plain.key_lines, plain.item_lines
    ({'id': 'jo', 'name': 'Jo'}, {'characters': 1}, {'characters': [2, 3]})
    >>> read_plain("answer: yes\\n") is None  # YAML 1.1 reads a boolean here
    True
    """
    if _yaml_rs is None or _ODD_CHAR.search(text):
        return None
    bare = _QUOTED.sub("Q", text)
    if "#" in bare:
        bare = _COMMENT.sub("", bare)
    if _INDICATOR.search(bare) or _GLUED_COLON.search(bare) or _ODD_LINE.search(bare):
        return None
    if _RISKY_TOKEN.search("\n" + bare):
        return None
    try:
        data = _yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy="error")
    except Exception:  # any refusal: the careful reader gives the message
        return None
    if not isinstance(data, dict) or not data:
        return None
    return _place(text, data)


def _place(text: str, data: dict[str, Any]) -> PlainFile | None:
    """Find the line of each section key and of each item of a section's list."""
    tops = list(_TOP_KEY.finditer(text))
    if [m.group(1) for m in tops] != list(data):
        return None
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    line, at = 1, 0
    for index, match in enumerate(tops):
        line += text.count("\n", at, match.start())
        at = match.start()
        section = match.group(1)
        key_lines[section] = line
        value = data[section]
        if not isinstance(value, list) or not value:
            continue
        end = tops[index + 1].start() if index + 1 < len(tops) else len(text)
        first = _ITEM.search(text, match.end(), end)
        if first is None or text[match.end() : first.start()].strip(" \n"):
            return None  # something stands between the key and its first item
        indent = first.group(1)
        lines = []
        for item in _ITEM.finditer(text, first.start(), end):
            if item.group(1) == indent:
                line += text.count("\n", at, item.start())
                at = item.start()
                lines.append(line)
        if len(lines) != len(value):
            return None
        item_lines[section] = lines
    return PlainFile(data, key_lines, item_lines)
