"""Unknown names: runs of capitalised words in a text that no mention covers.

A run is a name the graph may lack, unless it merely starts a sentence, is a
common word ("However", "The"), or sits in an all-capitals heading line. A
word that starts a sentence is not glued onto the name after it ("Besides
Chidi" is "Chidi") unless the text capitalises it mid-sentence too. A lone
word after a determiner that the text also writes in lower case ("the
Manager" beside "its manager"), or that is a word of a name the graph knows
("the Table" of the High Table), is marked as a title word: :mod:`.link`
leaves it out unless it is a form of a longer name when it counts the rest
into :class:`~lorekit.Candidate` entries.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import NamedTuple

from .link_fold import ABBREVIATION, COMMON, FUNCTION, PARTICLES, WORD, fold
from .link_match import Raw

__all__ = ["Unknown", "unknown_names"]

_LEAD = " \t\r\n\"'“‘(*_[>#"
_LIST_ITEM = re.compile(r"[^\S\n]*(?:[-*+>]|\d+[.)])?[\s\"'“‘(*_\[]*")


@cache
def _name_run() -> re.Pattern[str]:
    """Runs of capitalised words, with particles between them; compiled on first use."""
    up = "".join(c for c in map(chr, range(0x10000)) if c.isupper() or c.istitle())
    up = "[" + re.escape(up) + "]"
    rest = r"(?:(?<=[MD])(?:r|rs|s)\.|\.(?=\s)|[^\W_]*(?:['’\-][^\W_]+)*)"
    word = rf"{up}(?<![^\W_'’\-].){rest}"  # a lookbehind after the first letter: fast scan
    gap = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
    particle = "(?:" + "|".join(sorted(PARTICLES | {"of", "the"})) + ")"
    return re.compile(rf"{word}(?:{gap}(?:{particle}{gap})*{up}{rest})*")


_RUN_WORD = re.compile(r"(?:Mr|Mrs|Ms|Dr)\.|[^\W_]+(?:['’\-][^\W_]+)*\.?")


def _sentence_initial(text: str, pos: int, start: int) -> bool:
    """Whether ``text[pos]`` begins a sentence, a list item or its paragraph."""
    near = max(start, pos - 12)  # a list marker is close to its line start
    line = text.rfind("\n", near, pos) + 1 or (start if near == start else pos)
    if line < pos and _LIST_ITEM.fullmatch(text, line, pos) or line == pos == start:
        return True
    i = pos - 1
    while i >= start and text[i] in _LEAD:
        i -= 1
    if i < start or text[i] in "!?…:;":
        return True
    return text[i] == "." and not ABBREVIATION.search(text, max(start, i - 4), i)


def _shouted(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` is all capitals, several words long (a heading)."""
    start, end = text.rfind("\n", max(0, pos - 200), pos), text.find("\n", pos, pos + 200)
    if (start == -1 and pos > 200) or (end == -1 and pos + 200 < len(text)):
        return False  # a line that long is prose, not a heading
    line = text[start + 1 : end if end != -1 else len(text)]
    return line.isupper() and len(line.split()) > 1


class Unknown(NamedTuple):
    start: int
    paragraph: int
    words: tuple[str, ...]
    surface: str
    title_word: bool = False  # "the Manager", "the Table": a role or a title, not a name


_DETERMINER = re.compile(
    r"(?<![^\W_])(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)[^\S\n]+$",
    re.IGNORECASE,
)


def _titled(text: str, pos: int) -> bool:
    """Whether a determiner ends right before ``pos`` ("the" of "the Elder")."""
    return _DETERMINER.search(text, max(0, pos - 8), pos) is not None


class _Word(NamedTuple):  # one word of a run of capitalised words
    start: int
    paragraph: int
    folded: str
    surface: str
    initial: bool  # it starts a sentence: its capital says nothing


def unknown_names(
    text: str, paragraphs: list[tuple[int, int, bool]], covered: list[Raw], known: set[str]
) -> list[Unknown]:
    """Occurrences of capitalised names no match covers, common words filtered out."""
    parts: list[list[_Word]] = []
    evidence: set[str] = set()  # words the text capitalises mid-sentence
    starts = [r.start for r in covered]
    for number, (start, end, heading) in enumerate(paragraphs, 1):
        for run in () if heading else _name_run().finditer(text, start, end):
            a, b = run.span()
            k = bisect_right(starts, a) - 1
            if (k >= 0 and covered[k].end >= b) or (b - a < 14 and text[a:b].lower() in COMMON):
                continue  # the whole run is one mention, or "The", "However"
            part: list[_Word] = []
            initial = _sentence_initial(text, a, start)  # only a run's first word can be
            for m in _RUN_WORD.finditer(text, a, b):
                k = bisect_right(starts, m.start()) - 1
                if k >= 0 and covered[k].end > m.start():  # inside a match: a separator
                    parts.append(part)
                    part, initial = [], False
                    continue
                surface = m.group()
                if surface.isupper() and len(surface) > 1 and _shouted(text, m.start()):
                    parts.append(part)  # an all-caps line says nothing about names
                    part, initial = [], False
                    continue
                if surface[-1] in ".'’s":
                    surface = re.sub(r"['’]s?$", "", surface.rstrip("."))
                folded = fold(surface)
                if not initial and surface[:1].isupper():
                    evidence.add(folded)
                part.append(_Word(m.start(), number, folded, surface, initial))
                initial = False
            parts.append(part)
    lower: set[str] | None = None
    known_words: set[str] | None = None
    found: list[Unknown] = []
    for whole in parts:
        i, j = 0, len(whole)  # particles and common words never begin or end a name
        while i < j and (not whole[i].surface[:1].isupper() or whole[i].folded in COMMON):
            i += 1
        while j > i and (not whole[j - 1].surface[:1].isupper() or whole[j - 1].folded in COMMON):
            j -= 1
        part = whole[i:j]
        if part and i == 0 and part[0].initial and part[0].folded not in evidence:
            if len(part) == 1:
                continue
            if lower is None:
                lower = set(re.findall(r"(?<![^\W_])[a-z]+(?![^\W_])", text))
            # "Director Chad Stahelski", "director" being a word; "Besides Chidi", "besides"
            # a function word: a capital that only starts a sentence is not part of a name
            if part[0].folded in lower or part[0].folded in FUNCTION:
                part = part[1:]
        if len(part) > 2 and part[1].surface == "of" and _titled(text, part[0].start):
            if lower is None:
                lower = set(re.findall(r"(?<![^\W_])[a-z]+(?![^\W_])", text))
            if {part[0].folded, part[0].folded + "s"} & lower:
                # "the Manager of the Osaka hotel": a role of something, the name is after "of"
                part = part[2:]
                while part and (not part[0].surface[:1].isupper() or part[0].folded in COMMON):
                    part = part[1:]
        if not part or (len(part) == 1 and len(part[0].surface) < 2):
            continue
        words = tuple(w for p in part for w in WORD.findall(p.folded))
        key = words[1:] if words[0] == "the" and len(words) > 1 else words
        if " ".join(key) not in known and not key[0].isdigit():
            surface = " ".join(p.surface for p in part)
            title_word = False
            if len(part) == 1 and _titled(text, part[0].start):
                if lower is None:
                    lower = set(re.findall(r"(?<![^\W_])[a-z]+(?![^\W_])", text))
                if known_words is None:
                    known_words = {w for name in known for w in name.split()}
                word = part[0].folded
                title_word = bool({word, word + "s"} & lower) or word in known_words
            found.append(Unknown(part[0].start, part[0].paragraph, key, surface, title_word))
    return found
