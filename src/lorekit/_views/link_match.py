"""The name matcher: every name, alias and partial name of a graph in a trie of folded words.

:class:`Matcher` is built once per graph (:func:`matcher_for`); :meth:`Matcher.scan`
finds the longest names in one paragraph of a folded text, left to right, each
with every entity it may name (reported, never guessed: :mod:`.link` resolves
them).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from .link_fold import COMMON, PARTICLES, WORD, Folded, fold
from .link_report import Via

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph

__all__ = ["Entry", "Matcher", "Raw", "matcher_for"]

_WORD_SPLIT = re.compile(r"([^\W_]+)")
_PERSONAL = frozenset({"character", "person"})
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


class Entry(NamedTuple):
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
    entries: tuple[Entry, ...] = ()
    plain: bool = True  # no entry needs a look at the text around it


class Raw(NamedTuple):
    start: int
    end: int
    paragraph: int
    words: tuple[str, ...]
    entries: tuple[Entry, ...]


class Matcher:
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
                    entry = Entry(entity.id, "partial", one, False, False, one)
                    self._insert([(w, "space") for w in words], entry)

    def _add_name(self, entity: str, name: str, via: Via, kind: str) -> None:
        folded = fold(name)
        spans = list(WORD.finditer(folded))
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
        self._insert(tokens, Entry(entity, via, cap, article, one and article, personal))

    def _insert(self, tokens: list[tuple[str, str]], entry: Entry) -> None:
        node = self.root
        for k, (word, gap) in enumerate(tokens):
            if k:
                accepts = _ACCEPTS.get(gap, frozenset({gap}))
                node.accepts[word] = node.accepts.get(word, frozenset()) | accepts
            node = node.children.setdefault(word, _Node())
        if entry not in node.entries:
            node.entries += (entry,)
            node.plain = node.plain and not entry.cap and not entry.needs

    def scan(self, text: str, folded: Folded, start: int, end: int, para: int) -> list[Raw]:
        """Longest matches in one paragraph, ``folded.text[start:end]``, left to right."""
        orig, roots = folded.orig, self.root.children
        # [gap, word, gap, word, ..., gap]: plain strings, no match objects to collect
        parts: list[str] = _WORD_SPLIT.split(folded.text[start:end])
        words = parts[1::2]
        ends = list(accumulate(map(len, parts), initial=start))  # ends[2k + 1]: word k starts
        n, i, free = len(words), 0, 0  # tokens before ``free`` are inside a match
        found: list[Raw] = []

        def upper(k: int) -> bool:
            return text[orig(ends[2 * k + 1])].isupper()

        def gap(k: int) -> str:  # between word k - 1 and word k
            return parts[2 * k]

        def the() -> bool:  # "the" right before token i
            return i > free and words[i - 1] == "the" and not gap(i).strip()

        def fits(e: Entry) -> bool:
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
                i > free and words[i - 1] not in COMMON and not gap(i).strip() and upper(i - 1)
            )

        for i in [k for k, w in enumerate(words) if w in roots]:
            if i < free:
                continue
            node: _Node | None = roots[words[i]]
            best: tuple[int, tuple[Entry, ...]] = (i, ())
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
            found.append(Raw(a, b, para, tuple(words[i : last + 1]), entries))
            free = last + 1
        return found


def _partials(names: tuple[str, ...], *, character: bool) -> list[tuple[str, ...]]:
    """Surnames, ``de Armas``-style surnames and characters' first names."""
    found: list[tuple[str, ...]] = []
    for name in names:
        words = name.replace(".", " ").split()
        if len(words) < 2 or "'" in fold(name) or any(c.isdigit() for c in name):
            continue
        if words[0].casefold() == "the" or not all(
            w[0].isupper() or w.casefold() in PARTICLES for w in words
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
            key = tuple(fold(w) for w in form)
            if key not in found and len(key) < len(words):
                found.append(key)
    return found


_MATCHERS: weakref.WeakKeyDictionary[LoreGraph, Matcher] = weakref.WeakKeyDictionary()


def matcher_for(lore: LoreGraph) -> Matcher:
    found = _MATCHERS.get(lore)
    if found is None:
        found = _MATCHERS[lore] = Matcher(lore)
    return found
