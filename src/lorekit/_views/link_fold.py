"""Folding a text with its offsets kept, and the words every part of the linker reads.

Names and texts are compared folded (:func:`lorekit._core.names.fold_char`:
case, diacritics, quotes, dashes); :class:`Folded` folds a whole text and maps
each folded offset back to the original, so a mention's offsets are those of
the text as written.

Examples
--------
>>> f = Folded("Straße ÉVE")
>>> f.text, f.text[8:11], f.orig(8), f.orig(11)
('strasse eve', 'eve', 7, 10)
>>> fold("Macarró’s")
"macarro's"
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .._core.names import fold_char

__all__ = ["ABBREVIATION", "COMMON", "FUNCTION", "PARTICLES", "WORD", "Folded", "fold"]


def fold(text: str) -> str:
    """Fold a name or a word the way texts are folded."""
    if text.isascii() and "`" not in text:
        return text.lower()
    return Folded(text).text


class Folded:
    """A folded copy of a text and the way back to offsets in the original.

    Most texts fold one character to one character and keep their offsets;
    the map is only built when a character expands or vanishes.
    """

    def __init__(self, text: str) -> None:
        self._starts: list[int] | None = None
        low = text.lower()
        if len(low) != len(text):  # rare: lowercasing changed the length
            low = text
        table: dict[str, str] = {}
        odd = []
        for c in set(low) if not low.isascii() or "`" in low or low is text else ():
            if ord(c) > 127 or c == "`" or c.isupper():
                folded = fold_char(c)
                if len(folded) != 1:
                    odd.append(c)
                elif folded != c:
                    table[c] = folded
        swap = re.compile("[" + re.escape("".join(table)) + "]") if table else None

        def one_to_one(chunk: str) -> str:  # 1:1 changes, made only where they occur
            return swap.sub(lambda m: table[m.group()], chunk) if swap else chunk

        if not odd:
            self.text = one_to_one(low)
            return
        pieces: list[str] = []
        starts, origins, stretched = [0], [0], [False]
        at = pos = 0
        for m in re.finditer("[" + re.escape("".join(odd)) + "]", low):
            pieces.append(one_to_one(low[pos : m.start()]))
            at += len(pieces[-1])
            folded = fold_char(m.group())
            if folded:
                starts.append(at)
                origins.append(m.start())
                stretched.append(True)
                pieces.append(folded)
                at += len(folded)
            pos = m.end()
            starts.append(at)
            origins.append(pos)
            stretched.append(False)
        pieces.append(one_to_one(low[pos:]))
        self.text = "".join(pieces)
        self._origins, self._stretched = origins, stretched
        self._starts = starts

    def orig(self, i: int, *, end: bool = False) -> int:
        """The offset in the original text of folded offset ``i``."""
        if self._starts is None:
            return i
        k = bisect_right(self._starts, i) - 1
        if self._stretched[k]:
            return self._origins[k] + (1 if end and i > self._starts[k] else 0)
        return self._origins[k] + i - self._starts[k]


# --- the words -------------------------------------------------------------------------
WORD = re.compile(r"[^\W_]+")
_PARTICLE_WORDS = "de del della der den di da do dos das du van von la le bin ibn al"
PARTICLES = frozenset(_PARTICLE_WORDS.split())
_COMMON_WORDS = """a about above after again against all also although always among an and
    another any are as at back be because been before being below between both but by can
    could did do does doing down during each either even ever every few for from further had
    has have having he her here hers herself him himself his how however i if in inside
    instead into is it its itself just last later least less let like many may meanwhile
    might more most much must my myself neither never next no nor not now of off often on once
    one only or other otherwise our ours out over overall own perhaps rather same she should
    since so some still such than that the their theirs them then there these they this those
    though through thus to together too under unfortunately until up upon very was we well
    were what whatever when where whereas whether which while who whom whose why will with
    within without would yet you your yes oh ok okay sadly luckily fortunately ultimately
    finally first second third indeed clearly admittedly arguably certainly surely despite
    plus mr mrs ms dr sir january february march april june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday"""
COMMON = frozenset(_COMMON_WORDS.split())  # never a name on their own, nor its first word
_FUNCTION_WORDS = """across afterwards alongside amid amidst anyway around aside behind beneath
    beside besides beyond elsewhere especially eventually everywhere hence here's there's
    likewise moreover nevertheless nonetheless notably nowhere onwards outside sometimes soon
    suddenly therefore throughout toward towards underneath unless unlike via whenever
    wherever worse better best worst naturally apparently frankly honestly basically
    somehow meanwhile furthermore instead anyhow lastly next elsewhere sure true"""
FUNCTION = COMMON | frozenset(_FUNCTION_WORDS.split())
"""Words that start a sentence but never begin a name: prepositions and sentence adverbs."""
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|vs|Jr|Sr)|(?:^|[\s(])[A-Z])$")
"""A dot after these ends an abbreviation or an initial, not a sentence."""
