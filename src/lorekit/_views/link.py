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
  unknown full name ("Matt Reeves"). A name or alias the data states always
  wins over a partial name derived from another entity ("Wick" is John's
  alias, not Helen Wick's surname).
- **Unknown names** are runs of capitalised words no mention covers, words
  that merely start a sentence and common words left out.

Examples
--------
>>> from lorekit import load
>>> report = link_text(load(), "Ana de Armas is Eve.\\n\\nLater, de Armas meets Richard Brody.")
>>> [(m.text, m.entity.id, m.paragraph) for m in report.mentions]
[('Ana de Armas', 'ana-de-armas', 1), ('Eve', 'eve-macarro', 1), ('de Armas', 'ana-de-armas', 2)]
>>> [(c.name, c.count, c.first_paragraph) for c in report.candidates]
[('Richard Brody', 1, 2)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from .._core.model import EntityBase, Work
from .._graph.graph import LoreGraph
from .link_fold import ABBREVIATION, Folded
from .link_match import Raw, matcher_for
from .link_names import Unknown, unknown_names
from .link_report import Ambiguity, Candidate, LinkReport, Mention, Via

__all__ = ["Ambiguity", "Candidate", "LinkReport", "Mention", "link_text"]


# --- paragraphs and sentences ------------------------------------------------------
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.MULTILINE)
_HAS_WORD = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*\s+|\n(?=[^\S\n]*(?:[-*+>]|\d+[.)])\s)")


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
        if text[m.start()] == "." and ABBREVIATION.search(text, max(pos, m.start() - 4), m.start()):
            continue  # "Mr. Wick", "Joel J. Richard"
        spans.append((pos, m.end()))
        pos = m.end()
    return [*spans, (pos, end)] if pos < end else spans


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
    >>> report = link_text(load(), "The High Table hunts Mr. Wick’s men in John Wick: Chapter 4.")
    >>> [(m.text, m.entity.id) for m in report.mentions]  # doctest: +NORMALIZE_WHITESPACE
    [('The High Table', 'high-table'), ('Mr. Wick', 'john-wick'),
     ('John Wick: Chapter 4', 'john-wick-chapter-4')]
    """
    matcher = matcher_for(lore)
    folded = Folded(text)
    links = "http" in text or "](" in text or "www." in text
    if links:  # link targets are not prose: blank them out, offsets kept
        folded.text = _URL.sub(_blank, folded.text)
    blocks = _paragraphs(folded.text)
    paragraphs = [(folded.orig(a), folded.orig(b, end=True), h) for a, b, h in blocks]
    raws = [
        raw for n, (a, b, _) in enumerate(blocks, 1) for raw in matcher.scan(text, folded, a, b, n)
    ]
    masked = _URL.sub(_blank, text) if links else text
    unknown = unknown_names(masked, paragraphs, raws, matcher.known)
    return _resolve(lore, text, paragraphs, raws, unknown)


def _resolve(
    lore: LoreGraph,
    text: str,
    paragraphs: list[tuple[int, int, bool]],
    raws: list[Raw],
    unknown: list[Unknown],
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

    rivals: dict[str, dict[tuple[str, ...], Unknown]] = {}  # word -> first use of each name
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
            # a name or alias the data states wins over a surname or first name
            # derived from another entity's name ("Wick": John's alias, Helen's surname)
            if any(v != "partial" for v in via.values()):
                via = {k: v for k, v in via.items() if v != "partial"}
            contextual = any(
                e.via == "partial" or e.personal for e in raw.entries if e.entity in via
            )
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


def _variant(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` is a shorter form of ``long``: its words in order, sharing
    the first or the last ("Marquis", "Vincent de Gramont" of "Marquis Vincent de Gramont")."""
    if len(short) >= len(long) or (short[0] != long[0] and short[-1] != long[-1]):
        return False
    rest = iter(long)
    return all(word in rest for word in short)


def _count(unknown: list[Unknown]) -> tuple[Candidate, ...]:
    """Count unknown names, each with its shorter forms.

    A form counts towards the one longest name it is a shorter form of (see
    :func:`_variant`); a form that could belong to two names stays on its own.
    A lone title word ("the Manager" beside "its manager"; see
    :mod:`.link_names`) is a role, not a name: it is left out unless it is a
    form of a longer name.
    """
    names: dict[tuple[str, ...], list[Unknown]] = {}
    for u in unknown:
        names.setdefault(u.words, []).append(u)
    longest = sorted(names, key=len, reverse=True)
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for words in longest:
        owners = [top for top in groups if _variant(words, top)]
        if len(owners) == 1:
            groups[owners[0]].append(words)
        else:  # a name of its own, or a form of two names: counted on its own
            groups[words] = [words]
    found = []
    for top, forms in groups.items():
        uses = [u for words in forms for u in names[words]]
        if len(forms) == 1 and len(top) == 1 and all(u.title_word for u in uses):
            continue
        first: dict[tuple[str, ...], str] = {}
        for u in sorted(uses, key=lambda u: u.start):
            first.setdefault(u.words, u.surface)
        variants = (first[top], *(v for k, v in first.items() if k != top))
        found.append(Candidate(first[top], len(uses), min(u.paragraph for u in uses), variants))
    return tuple(sorted(found, key=lambda c: (-c.count, c.first_paragraph, c.name)))
