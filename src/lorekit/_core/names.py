"""Name folding and "did you mean" suggestions, written once for every layer.

Names, aliases and the words of a text are compared folded: case, accents,
quote marks, dashes and exotic spaces do not count. :func:`fold_char` is the
one folding rule; :func:`normalize_name` applies it to a whole name, and the
text linker applies it character by character to keep offsets.

Examples
--------
>>> normalize_name("  The  Bowery King ")
'bowery king'
>>> normalize_name("Macarró’s") == normalize_name("macarro's")
True
>>> normalize_name("Eve‐Macarro") == normalize_name("eve-macarro")  # U+2010 is a dash too
True
>>> did_you_mean("memebr_of", ["member_of", "leads"])
" (did you mean 'member_of'?)"
>>> did_you_mean("zzz", ["member_of"])
''
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from difflib import get_close_matches

__all__ = ["close_matches", "did_you_mean", "fold_char", "hint", "normalize_name"]

APOSTROPHES = "'‘’‚‛′ʼʹ`´"
DOUBLE_QUOTES = '"“”„‟″«»'
DASHES = "-‐‑‒–—―−﹘﹣－"
_FOLD_CACHE: dict[str, str] = {}


def fold_char(c: str) -> str:
    """Fold one character: case, accents, quotes, dashes, exotic spaces.

    Usually one character; a letter may expand (``ß`` → ``ss``) and a
    combining mark folds to nothing.

    Examples
    --------
    >>> [fold_char(c) for c in "É’—ß"]
    ['e', "'", '-', 'ss']
    """
    found = _FOLD_CACHE.get(c)
    if found is None:
        if c in APOSTROPHES:
            found = "'"
        elif c in DOUBLE_QUOTES:
            found = '"'
        elif c in DASHES:
            found = "-"
        elif c.isspace():
            found = c if c in "\n\r\t " else " "
        else:
            bare = "".join(
                d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d)
            )
            found = bare.casefold()
            if len(found) != 1 and bare and not c.isalpha():
                found = c  # symbols that decompose (…, ½, ™) stay themselves
        _FOLD_CACHE[c] = found
    return found


def normalize_name(text: str) -> str:
    """Fold a name for matching: case, accents, quotes, dashes, spacing, a leading "the".

    Examples
    --------
    >>> normalize_name("THE Continental")
    'continental'
    >>> normalize_name("The")  # a lone "the" is a name of its own
    'the'
    """
    folded = text.lower() if text.isascii() else "".join(fold_char(c) for c in text)
    words = folded.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def close_matches(
    value: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6
) -> list[str]:
    """The choices that look most like ``value``, best first (at most ``n``).

    Examples
    --------
    >>> close_matches("eve-macaro", ["eve-macarro", "john-wick", "winston"])
    ['eve-macarro']
    """
    return get_close_matches(value, list(choices), n=n, cutoff=cutoff)


def did_you_mean(
    value: str,
    choices: Iterable[str],
    *,
    n: int = 3,
    cutoff: float = 0.6,
    show: Callable[[str], str] = repr,
) -> str:
    """A ``" (did you mean 'a' or 'b'?)"`` hint for an unknown value, or ``""``.

    ``show`` writes each suggestion (``repr`` by default).

    Examples
    --------
    >>> did_you_mean("frend_of", ["friend_of"], show=lambda c: f"lore:{c}")
    ' (did you mean lore:friend_of?)'
    """
    return hint(close_matches(value, choices, n=n, cutoff=cutoff), show=show)


def hint(suggestions: Iterable[str], *, show: Callable[[str], str] = repr) -> str:
    """The ``" (did you mean …?)"`` text for suggestions already found, or ``""``.

    Examples
    --------
    >>> hint(["eve-macarro", "john-wick"])
    " (did you mean 'eve-macarro' or 'john-wick'?)"
    """
    shown = [show(s) for s in suggestions]
    return f" (did you mean {' or '.join(shown)}?)" if shown else ""
