"""Linking a text to the graph: the lore a review, synopsis or wiki page mentions.

:func:`link_text` reads plain text or Markdown and returns a :class:`LinkReport`:
each :class:`Mention` of an entity with its exact offsets, paragraph and
sentence; each :class:`Ambiguity`, a name that could mean several entities and
is reported, never guessed; and each :class:`Candidate`, a name the graph does
not know yet. The rules, in short (``docs/link.md`` has them at length):

- **Paragraphs** are blocks between blank lines, a Markdown heading being one
  of its own, numbered from 1 as in ``¶`` locators (``source-id ¶5``).
- **Names and aliases** match with case, diacritics, quotes, dashes and line
  breaks folded; the longest name wins; a possessive ``'s`` is left out.
  One-word names match only when capitalised ("the ballerina" is no film).
- **Partial names** (``de Armas``, ``Reeves``, ``Eve``) resolve to the one
  owner whose full name the text used earlier, else to the one owner in the
  graph; otherwise they are ambiguous, also when the text used them inside an
  unknown full name ("Matt Reeves").
- **Unknown names** are runs of capitalised words no mention covers, words
  that merely start a sentence and common words left out.

Examples
--------
>>> from lorekit import load
>>> report = link_text(load(), "Ana de Armas is Eve.\\n\\nLater, de Armas meets Chad Stahelski.")
>>> [(m.text, m.entity.id, m.paragraph) for m in report.mentions]
[('Ana de Armas', 'ana-de-armas', 1), ('Eve', 'eve-macarro', 1), ('de Armas', 'ana-de-armas', 2)]
>>> [(c.name, c.count, c.first_paragraph) for c in report.candidates]
[('Chad Stahelski', 1, 2)]
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import accumulate
from typing import Any, Literal, NamedTuple

from .._core.model import EntityBase, Work
from .._core.names import fold_char
from .._graph.graph import LoreGraph

__all__ = ["Ambiguity", "Candidate", "LinkReport", "Mention", "link_text"]

Via = Literal["name", "alias", "partial"]


# --- folding: one function for names and texts, offsets kept -----------------
def _fold(text: str) -> str:
    """Fold a name or a word the way texts are folded."""
    if text.isascii() and "`" not in text:
        return text.lower()
    return _Folded(text).text


class _Folded:
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

        def fold(chunk: str) -> str:  # 1:1 changes, made only where they occur
            return swap.sub(lambda m: table[m.group()], chunk) if swap else chunk

        if not odd:
            self.text = fold(low)
            return
        pieces: list[str] = []
        starts, origins, stretched = [0], [0], [False]
        at = pos = 0
        for m in re.finditer("[" + re.escape("".join(odd)) + "]", low):
            pieces.append(fold(low[pos : m.start()]))
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
        pieces.append(fold(low[pos:]))
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


# --- the matcher: a trie of folded words, built once per graph ------------------
_WORD = re.compile(r"[^\W_]+")
_WORD_SPLIT = re.compile(r"([^\W_]+)")
_PERSONAL = frozenset({"character", "person"})
_PARTICLE_WORDS = "de del della der den di da do dos das du van von la le bin ibn al"
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"])
_ACCEPTS = {  # the gaps of a text that a gap inside a name accepts
    "space": frozenset({"space"}),
    "soft": frozenset({"space", "soft"}),  # "Chapter 3 – Parabellum", "John Wick: Chapter 4"
    "dot": frozenset({"space", "dot"}),  # "Mr. Wick", "Joel J. Richard"
    "apos": frozenset({"apos"}),  # "Eve's father"
    "paren": frozenset({"space", "paren"}),  # "John Wick (2014)"
}


def _gap_kind(gap: str) -> str:
    marks = "".join(gap.split())
    if not marks:
        return "space"
    if marks in ("-", ":", ","):
        return "soft"
    if marks == ".":
        return "dot"
    if gap == "'":
        return "apos"
    return "paren" if marks in ("(", ")", ")(") else "x" + marks


class _Entry(NamedTuple):
    """One way a trie node names an entity."""

    entity: str
    via: Via
    cap: bool  # a one-word proper noun: capitalised in the text
    article: bool  # the data writes "The ...": a "the" before it belongs to the mention
    needs: bool  # "The X" with a one-word X: only after "the" or a possessive
    personal: bool  # a one-word name of a character or person


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    accepts: dict[str, frozenset[str]] = field(default_factory=dict)
    entries: tuple[_Entry, ...] = ()
    plain: bool = True  # no entry needs a look at the text around it


class _Raw(NamedTuple):
    start: int
    end: int
    paragraph: int
    words: tuple[str, ...]
    entries: tuple[_Entry, ...]


class _Matcher:
    """Every name, alias and partial name of a graph, as a trie of folded words."""

    def __init__(self, lore: LoreGraph) -> None:
        self.root = _Node()
        self.known: set[str] = set()  # folded names and aliases, without "the"
        for entity in lore.entities():
            kind: str = entity.kind
            for i, name in enumerate(entity.names):
                self._add_name(entity.id, name, "name" if i == 0 else "alias", kind)
            if kind in _PERSONAL:
                for words in _partials(entity.names, character=kind == "character"):
                    one = len(words) == 1
                    entry = _Entry(entity.id, "partial", one, False, False, one)
                    self._insert([(w, "space") for w in words], entry)

    def _add_name(self, entity: str, name: str, via: Via, kind: str) -> None:
        folded = _fold(name)
        spans = list(_WORD.finditer(folded))
        if not spans:
            return
        tokens = [(spans[0].group(), "")]
        for prev, m in zip(spans, spans[1:], strict=False):
            tokens.append((m.group(), _gap_kind(folded[prev.end() : m.start()])))
        article = tokens[0][0] == "the" and len(tokens) > 1
        if article:  # matched without "the"; a "the" before it joins the mention
            tokens = [(tokens[1][0], ""), *tokens[2:]]
        self.known.add(" ".join(w for w, _ in tokens))
        one = len(tokens) == 1
        cap = one and (article or name.lstrip()[:1].isupper())
        personal = one and not article and kind in _PERSONAL
        self._insert(tokens, _Entry(entity, via, cap, article, one and article, personal))

    def _insert(self, tokens: list[tuple[str, str]], entry: _Entry) -> None:
        node = self.root
        for k, (word, gap) in enumerate(tokens):
            if k:
                accepts = _ACCEPTS.get(gap, frozenset({gap}))
                node.accepts[word] = node.accepts.get(word, frozenset()) | accepts
            node = node.children.setdefault(word, _Node())
        if entry not in node.entries:
            node.entries += (entry,)
            node.plain = node.plain and not entry.cap and not entry.needs

    def scan(self, text: str, folded: _Folded, start: int, end: int, para: int) -> list[_Raw]:
        """Longest matches in one paragraph, ``folded.text[start:end]``, left to right."""
        orig, roots = folded.orig, self.root.children
        # [gap, word, gap, word, ..., gap]: plain strings, no match objects to collect
        parts: list[str] = _WORD_SPLIT.split(folded.text[start:end])
        words = parts[1::2]
        ends = list(accumulate(map(len, parts), initial=start))  # ends[2k + 1]: word k starts
        n, i, free = len(words), 0, 0  # tokens before ``free`` are inside a match
        found: list[_Raw] = []

        def upper(k: int) -> bool:
            return text[orig(ends[2 * k + 1])].isupper()

        def gap(k: int) -> str:  # between word k - 1 and word k
            return parts[2 * k]

        def the() -> bool:  # "the" right before token i
            return i > free and words[i - 1] == "the" and not gap(i).strip()

        def fits(e: _Entry) -> bool:
            if e.cap and not upper(i):
                return False
            return not e.needs or (
                the()
                or (i >= 2 and words[i - 1] == "s" and gap(i - 1) == "'")
                or (i >= 1 and words[i - 1].endswith("s") and gap(i).startswith("'"))
            )

        def alone() -> bool:  # a one-word name not part of a longer capitalised name
            if i + 1 < n and words[i + 1] not in roots and not gap(i + 1).strip() and upper(i + 1):
                return False
            return not (
                i > free and words[i - 1] not in _COMMON and not gap(i).strip() and upper(i - 1)
            )

        for i in [k for k, w in enumerate(words) if w in roots]:
            if i < free:
                continue
            node: _Node | None = roots[words[i]]
            best: tuple[int, tuple[_Entry, ...]] = (i, ())
            j = i
            while node is not None:
                if node.entries:
                    ok = node.entries if node.plain else tuple(filter(fits, node.entries))
                    best = (j, ok) if ok else best
                if j + 1 >= n or (nxt := node.children.get(words[j + 1])) is None:
                    break
                if _gap_kind(gap(j + 1)) not in node.accepts[words[j + 1]]:
                    break
                node, j = nxt, j + 1
            last, entries = best
            if last == i and any(e.personal for e in entries) and not alone():
                entries = tuple(e for e in entries if not e.personal)
            if not entries:
                continue
            first = i - 1 if any(e.article for e in entries) and the() else i
            a, b = orig(ends[2 * first + 1]), orig(ends[2 * last + 2], end=True)
            if text[b : b + 1] == ")" and "(" in text[a:b]:  # "John Wick (2014)"
                b += 1
            found.append(_Raw(a, b, para, tuple(words[i : last + 1]), entries))
            free = last + 1
        return found


def _partials(names: tuple[str, ...], *, character: bool) -> list[tuple[str, ...]]:
    """Surnames, ``de Armas``-style surnames and characters' first names."""
    found: list[tuple[str, ...]] = []
    for name in names:
        words = name.replace(".", " ").split()
        if len(words) < 2 or "'" in _fold(name) or any(c.isdigit() for c in name):
            continue
        if words[0].casefold() == "the" or not all(
            w[0].isupper() or w.casefold() in _PARTICLES for w in words
        ):
            continue  # not a personal name: "The Director", "Eve Macarro's father"
        honorific = words[0].casefold() in _HONORIFICS
        core = words[1:] if honorific else words
        forms = [core[-1:]] if len(core[-1]) > 1 else []
        if len(core) >= 3 and len(core[-2]) > 1:
            forms.append(core[-2:])
        if character and not honorific and len(core) >= 2 and len(core[0]) > 1:
            forms.append(core[:1])
        for form in forms:
            key = tuple(_fold(w) for w in form)
            if key not in found and len(key) < len(words):
                found.append(key)
    return found


_MATCHERS: weakref.WeakKeyDictionary[LoreGraph, _Matcher] = weakref.WeakKeyDictionary()


def _matcher(lore: LoreGraph) -> _Matcher:
    found = _MATCHERS.get(lore)
    if found is None:
        found = _MATCHERS[lore] = _Matcher(lore)
    return found


# --- paragraphs and sentences ------------------------------------------------------
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.MULTILINE)
_HAS_WORD = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*\s+|\n(?=[^\S\n]*(?:[-*+>]|\d+[.)])\s)")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|vs|Jr|Sr)|(?:^|[\s(])[A-Z])$")


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, is_heading)`` of each counted block, in order."""
    blocks: list[tuple[int, int, bool]] = []

    def add(a: int, b: int, heading: bool) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if _HAS_WORD.search(text, a, b):
            blocks.append((a, b, heading))

    pos = 0
    bounds = [m.span() for m in _BLANK_LINE.finditer(text)]
    for stop, after in [*bounds, (len(text), len(text))]:
        if "#" in text[pos:stop]:
            for m in _HEADING.finditer(text, pos, stop):
                add(pos, m.start(), False)
                add(m.start(), m.end(), True)
                pos = m.end()
        add(pos, stop, False)
        pos = after
    return blocks


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if text[m.start()] == "." and _ABBREVIATION.search(
            text, max(pos, m.start() - 4), m.start()
        ):
            continue  # "Mr. Wick", "Joel J. Richard"
        spans.append((pos, m.end()))
        pos = m.end()
    return [*spans, (pos, end)] if pos < end else spans


# --- unknown names ---------------------------------------------------------------------
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
_COMMON = frozenset(_COMMON_WORDS.split())  # never a name on their own, nor its first word
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
    particle = "(?:" + "|".join(sorted(_PARTICLES | {"of", "the"})) + ")"
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
    return text[i] == "." and not _ABBREVIATION.search(text, max(start, i - 4), i)


def _shouted(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` is all capitals, several words long (a heading)."""
    start, end = text.rfind("\n", max(0, pos - 200), pos), text.find("\n", pos, pos + 200)
    if (start == -1 and pos > 200) or (end == -1 and pos + 200 < len(text)):
        return False  # a line that long is prose, not a heading
    line = text[start + 1 : end if end != -1 else len(text)]
    return line.isupper() and len(line.split()) > 1


class _Unknown(NamedTuple):
    start: int
    paragraph: int
    words: tuple[str, ...]
    surface: str


class _Word(NamedTuple):  # one word of a run of capitalised words
    start: int
    paragraph: int
    folded: str
    surface: str
    initial: bool  # it starts a sentence: its capital says nothing


def _unknown_names(
    text: str, paragraphs: list[tuple[int, int, bool]], covered: list[_Raw], known: set[str]
) -> list[_Unknown]:
    """Occurrences of capitalised names no match covers, common words filtered out."""
    parts: list[list[_Word]] = []
    evidence: set[str] = set()  # words the text capitalises mid-sentence
    starts = [r.start for r in covered]
    for number, (start, end, heading) in enumerate(paragraphs, 1):
        for run in () if heading else _name_run().finditer(text, start, end):
            a, b = run.span()
            k = bisect_right(starts, a) - 1
            if (k >= 0 and covered[k].end >= b) or (b - a < 14 and text[a:b].lower() in _COMMON):
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
                folded = _fold(surface)
                if not initial and surface[:1].isupper():
                    evidence.add(folded)
                part.append(_Word(m.start(), number, folded, surface, initial))
                initial = False
            parts.append(part)
    lower: set[str] | None = None
    found: list[_Unknown] = []
    for whole in parts:
        i, j = 0, len(whole)  # particles and common words never begin or end a name
        while i < j and (not whole[i].surface[:1].isupper() or whole[i].folded in _COMMON):
            i += 1
        while j > i and (not whole[j - 1].surface[:1].isupper() or whole[j - 1].folded in _COMMON):
            j -= 1
        part = whole[i:j]
        if part and i == 0 and part[0].initial and part[0].folded not in evidence:
            if len(part) == 1:
                continue
            if lower is None:
                lower = set(re.findall(r"(?<![^\W_])[a-z]+(?![^\W_])", text))
            if part[0].folded in lower:  # "Director Chad Stahelski", "director" being a word
                part = part[1:]
        if not part or (len(part) == 1 and len(part[0].surface) < 2):
            continue
        words = tuple(w for p in part for w in _WORD.findall(p.folded))
        key = words[1:] if words[0] == "the" and len(words) > 1 else words
        if " ".join(key) not in known and not key[0].isdigit():
            surface = " ".join(p.surface for p in part)
            found.append(_Unknown(part[0].start, part[0].paragraph, key, surface))
    return found


# --- the report --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Mention:
    """One place a text names an entity; ``text[start:end]`` is the mention."""

    entity: EntityBase
    start: int
    end: int
    text: str
    """The words as the text writes them."""
    paragraph: int
    """1-based paragraph (block) number, as in a ``¶`` locator."""
    sentence: str
    """The sentence the mention stands in, spacing collapsed."""
    via: Via = "name"
    """How it was recognised: the entity's name, an alias, or a partial name."""


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A name that could mean several entities: reported, never guessed."""

    text: str
    start: int
    end: int
    paragraph: int
    sentence: str
    candidates: tuple[EntityBase, ...]
    """The entities of the graph it could mean."""
    others: tuple[str, ...] = ()
    """Full names in the text, unknown to the graph, that it could be short for."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name in the text that matches no entity: perhaps lore the graph lacks."""

    name: str
    count: int
    first_paragraph: int


@dataclass(frozen=True)
class LinkReport:
    """What :func:`link_text` found in a text."""

    text: str
    mentions: tuple[Mention, ...]
    ambiguous: tuple[Ambiguity, ...]
    candidates: tuple[Candidate, ...]
    paragraphs: tuple[tuple[int, int], ...]
    """``(start, end)`` of each paragraph: paragraph ``n`` is ``paragraphs[n - 1]``."""
    lore: LoreGraph = field(repr=False, compare=False)

    def by_entity(self) -> list[tuple[EntityBase, list[Mention]]]:
        """Each mentioned entity with its mentions, in order of first mention."""
        grouped: dict[str, tuple[EntityBase, list[Mention]]] = {}
        for m in self.mentions:
            grouped.setdefault(m.entity.id, (m.entity, []))[1].append(m)
        return list(grouped.values())

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""

        def ref(e: EntityBase) -> dict[str, str]:
            return {"id": e.id, "name": e.name, "kind": e.kind}

        def place(x: Mention | Ambiguity) -> dict[str, Any]:
            return {
                "text": x.text,
                "start": x.start,
                "end": x.end,
                "paragraph": x.paragraph,
                "sentence": x.sentence,
            }

        return {
            "paragraphs": len(self.paragraphs),
            "entities": [
                {**ref(e), "count": len(ms), "paragraphs": sorted({m.paragraph for m in ms})}
                for e, ms in self.by_entity()
            ],
            "mentions": [{**ref(m.entity), **place(m), "via": m.via} for m in self.mentions],
            "ambiguous": [
                {**place(a), "candidates": [ref(e) for e in a.candidates], "others": list(a.others)}
                for a in self.ambiguous
            ],
            "candidates": [
                {"name": c.name, "count": c.count, "first_paragraph": c.first_paragraph}
                for c in self.candidates
            ],
        }

    def to_html(self, *, page: str = "lore.html", title: str = "Lore mentions") -> str:
        """A standalone page of the text with each mention linked to ``page#id``.

        Every piece of the text is escaped, so the page carries no markup of
        its input; ambiguous names are marked with what they could mean.
        """
        from .link_render import report_html

        return report_html(self, page=page, title=title)

    def to_yaml(self, source: str) -> str:
        """Statement skeletons citing ``source`` for entities named in the same paragraph.

        Each skeleton says ``predicate: TODO`` for the user to fill in or
        delete; a ``sources:`` stub comes first unless ``source`` is already a
        source or work of the graph. Nothing is written anywhere.

        Raises
        ------
        SchemaError
            When ``source`` is not a valid id (a lowercase slug).
        """
        from .link_render import report_yaml

        return report_yaml(self, source)


# --- the entry point -----------------------------------------------------------------
_URL = re.compile(r"https?://\S+|www\.\S+|\]\([^)\s]*\)")
_SUBTITLE = re.compile(r"\s*[-‐‑‒–—―−:]\s*|\s+")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def link_text(lore: LoreGraph, text: str) -> LinkReport:
    """Find the entities of ``lore`` that ``text`` mentions, where, and the names it lacks.

    ``text`` is plain text or Markdown; the module documentation says how
    names, partial names, paragraphs and unknown names are read. The matcher
    is built once per graph and linking is linear in the length of the text.

    Examples
    --------
    >>> from lorekit import load
    >>> report = link_text(load(), "The High Table hunts Wick’s friends in John Wick: Chapter 4.")
    >>> [(m.text, m.entity.id) for m in report.mentions]  # doctest: +NORMALIZE_WHITESPACE
    [('The High Table', 'high-table'), ('Wick', 'john-wick'),
     ('John Wick: Chapter 4', 'john-wick-chapter-4')]
    """
    matcher = _matcher(lore)
    folded = _Folded(text)
    links = "http" in text or "](" in text or "www." in text
    if links:  # link targets are not prose: blank them out, offsets kept
        folded.text = _URL.sub(_blank, folded.text)
    blocks = _paragraphs(folded.text)
    paragraphs = [(folded.orig(a), folded.orig(b, end=True), h) for a, b, h in blocks]
    raws = [
        raw for n, (a, b, _) in enumerate(blocks, 1) for raw in matcher.scan(text, folded, a, b, n)
    ]
    masked = _URL.sub(_blank, text) if links else text
    unknown = _unknown_names(masked, paragraphs, raws, matcher.known)
    return _resolve(lore, text, paragraphs, raws, unknown)


def _resolve(
    lore: LoreGraph,
    text: str,
    paragraphs: list[tuple[int, int, bool]],
    raws: list[_Raw],
    unknown: list[_Unknown],
) -> LinkReport:
    """Turn matches into mentions and ambiguities, in text order."""
    cached: dict[int, tuple[list[int], list[str]]] = {}

    def sentence(paragraph: int, pos: int) -> str:
        if paragraph not in cached:
            spans = _sentences(text, *paragraphs[paragraph - 1][:2])
            cached[paragraph] = (
                [a for a, _ in spans],
                [" ".join(text[a:b].split()) for a, b in spans],
            )
        starts, texts = cached[paragraph]
        return texts[max(0, bisect_right(starts, pos) - 1)]

    rivals: dict[str, dict[tuple[str, ...], _Unknown]] = {}  # word -> first use of each name
    for u in unknown:
        if len(u.words) > 1:
            for word in (u.words[0], u.words[-1]):
                rivals.setdefault(word, {}).setdefault(u.words, u)
    rank = {"name": 0, "alias": 1, "partial": 2}
    readings: dict[int, tuple[dict[str, Via], bool]] = {}
    entities: dict[str, EntityBase] = {}
    seen: set[str] = set()  # entities the text has named in full
    mentions: list[Mention] = []
    ambiguous: list[Ambiguity] = []
    for raw in raws:
        reading = readings.get(id(raw.entries))  # the raws keep every key alive
        if reading is None:
            via: dict[str, Via] = {}
            for e in sorted(raw.entries, key=lambda e: rank[e.via]):
                via.setdefault(e.entity, e.via)
            contextual = any(e.via == "partial" or e.personal for e in raw.entries)
            reading = readings[id(raw.entries)] = (via, contextual)
        via, contextual = reading
        pool, others = list(via), []
        n, w = len(raw.words), raw.words
        if contextual and (w[0] in rivals or w[-1] in rivals):
            near = {**rivals.get(w[0], {}), **rivals.get(w[-1], {})}.values()
            others = [
                u.surface
                for u in near
                if u.start < raw.start and len(u.words) > n and w in (u.words[:n], u.words[-n:])
            ]
        if contextual and len(pool) > 1:
            pool = [o for o in pool if o in seen] or pool
        surface, where = text[raw.start : raw.end], sentence(raw.paragraph, raw.start)
        if len(pool) > 1 or others:
            candidates = tuple(lore.entity(o) for o in pool)
            ambiguous.append(
                Ambiguity(
                    surface, raw.start, raw.end, raw.paragraph, where, candidates, tuple(others)
                )
            )
            continue
        entity = entities.get(pool[0]) or entities.setdefault(pool[0], lore.entity(pool[0]))
        last = mentions[-1] if mentions else None
        if (
            last is not None
            and last.entity.id == entity.id
            and isinstance(entity, Work)
            and _SUBTITLE.fullmatch(text, last.end, raw.start)
        ):  # "Chapter 3" + " – " + "Parabellum": one title
            mentions[-1] = replace(last, end=raw.end, text=text[last.start : raw.end])
            continue
        mentions.append(
            Mention(entity, raw.start, raw.end, surface, raw.paragraph, where, via[entity.id])
        )
        if not contextual:
            seen.add(entity.id)
    spans = tuple((a, b) for a, b, _ in paragraphs)
    return LinkReport(text, tuple(mentions), tuple(ambiguous), _count(unknown), spans, lore)


def _count(unknown: list[_Unknown]) -> tuple[Candidate, ...]:
    """Count unknown names; a lone word counts towards the one full name it begins or ends."""
    names: dict[tuple[str, ...], list[_Unknown]] = {}
    for u in unknown:
        names.setdefault(u.words, []).append(u)
    ends: dict[str, list[tuple[str, ...]]] = {}
    for words in names:
        if len(words) > 1:
            for word in {words[0], words[-1]}:
                ends.setdefault(word, []).append(words)
    for words in [w for w in names if len(w) == 1]:
        full = ends.get(words[0], [])
        if len(full) == 1:
            names[full[0]] += names.pop(words)
    found = [
        Candidate(us[0].surface, len(us), min(u.paragraph for u in us)) for us in names.values()
    ]
    return tuple(sorted(found, key=lambda c: (-c.count, c.first_paragraph, c.name)))
