"""Synthetic universes of any size, for benchmarks and tests.

:func:`synthesize` writes a valid universe in the normal YAML data format,
shaped like the John Wick data: about 60% characters, factions with units,
places, works in a story-order chain, events during works, real people,
sources; about five statements per entity, each with a citation, across the
lore, production and reception layers. Story time too: some characters die
in an event, and some statements hold from one film or up to one (never
starting after the death of an end, nor ending before they start). The same
``entities`` and ``seed`` always give byte-identical files.

Examples
--------
>>> import tempfile, pathlib, lorekit
>>> out = pathlib.Path(tempfile.mkdtemp()) / "tiny"
>>> _ = synthesize(out, entities=200, seed=1)
>>> lore = lorekit.load(out)
>>> len(lore)
200
"""

from __future__ import annotations

import json
import random
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .._core.kinds import KINDS
from .._core.output import write_directory_atomic
from .._core.relations import RELATIONS

__all__ = ["synthesize", "synthesize_wiki"]

_SHARES = {  # share of the entities of each kind; characters take the rest
    "work": 0.03,
    "source": 0.015,
    "person": 0.08,
    "faction": 0.05,
    "title": 0.01,
    "place": 0.08,
    "event": 0.10,
    "concept": 0.015,
}
_SECTION: dict[str, str] = {k: info.section for k, info in KINDS.items()}
_SYLLABLES = (
    "ka",
    "ro",
    "mi",
    "sa",
    "ve",
    "len",
    "dor",
    "ath",
    "bel",
    "cor",
    "dra",
    "fen",
    "gal",
    "hir",
    "isk",
    "jor",
    "kel",
    "lum",
    "mar",
    "nox",
    "or",
    "pel",
    "quin",
    "ras",
    "sil",
    "tor",
    "ul",
    "vor",
    "wyn",
    "yor",
    "zel",
    "an",
    "ber",
    "cal",
    "del",
    "eth",
)


@dataclass
class _Builder:
    rng: random.Random
    ids: dict[str, list[str]] = field(default_factory=dict)
    records: dict[str, list[str]] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    first: dict[str, str] = field(default_factory=dict)
    """First appearance (a work id) of each dated entity."""
    names: set[str] = field(default_factory=set)
    keys: list[tuple[str, str, str]] = field(default_factory=list)
    """Subject, predicate and object of each of :attr:`statements`."""
    crowded: dict[int, int] = field(default_factory=dict)
    """Syllables added to each word of a name of so many words, once the shorter ones ran
    out: a million entities want more one-word names than two or three syllables make
    (at 100,000 no name takes 100 tries, so the universe is byte for byte as before)."""

    def name(self, words: int = 2) -> str:
        tries = 0
        while True:
            longer = self.crowded.get(words, 0)
            parts = [
                "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3) + longer))
                for _ in range(words)
            ]
            text = " ".join(p.capitalize() for p in parts)
            if text not in self.names:
                self.names.add(text)
                return text
            tries += 1
            if tries % 100 == 0:  # the short names ran out (one-word ones near 48,000)
                self.crowded[words] = longer + 1

    def add(self, kind: str, ident: str, fields: dict[str, object]) -> None:
        self.ids.setdefault(kind, []).append(ident)
        body = ", ".join(f"{k}: {_scalar(v)}" for k, v in fields.items())
        self.records.setdefault(kind, []).append(f"  - {{id: {ident}, {body}}}")

    def cite(self, *ends: str) -> str:
        works = [self.first[e] for e in ends if e in self.first]
        if works and self.rng.random() < 0.5:
            return _scalar([self.rng.choice(works)])
        source = self.rng.choice(self.ids["source"])
        return _scalar([f"{source} ¶{self.rng.randint(1, 12)}"])

    def state(self, subject: str, predicate: str, obj: str) -> bool:
        if subject == obj:
            return False
        key = (subject, predicate, obj)
        if RELATIONS[predicate].symmetric:
            key = (min(subject, obj), predicate, max(subject, obj))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.keys.append((subject, predicate, obj))
        self.statements.append(
            f"  - {{subject: {subject}, predicate: {predicate}, object: {obj}, "
            f"sources: {self.cite(subject, obj)}}}"
        )
        return True


def _scalar(value: object) -> str:
    """A YAML flow scalar: JSON strings and lists are valid YAML."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return str(value)


def _counts(entities: int) -> dict[str, int]:
    counts = {kind: max(1, round(entities * share)) for kind, share in _SHARES.items()}
    counts["work"] = max(3, counts["work"])
    counts["faction"] = max(2, counts["faction"])
    counts["character"] = entities - sum(counts.values())
    if counts["character"] < 2:
        raise ValueError(f"a universe needs at least 50 entities, not {entities}")
    return counts


def _build(entities: int, seed: int) -> _Builder:
    rng = random.Random(seed)
    b = _Builder(rng)
    n = _counts(entities)
    pick = rng.choice

    # works: one franchise, then films in release order, story order a chain
    b.add("work", "franchise", {"name": "The Synthetic Saga", "form": "franchise"})
    day = date(1990, 1, 1)
    # 100 to 400 days between releases, closer where so many works would pass the year 9999
    longest = min(400, (date(9999, 1, 1) - day).days // n["work"])
    shortest = min(100, max(1, longest // 4))
    films: list[str] = []
    for i in range(1, n["work"]):
        day += timedelta(days=rng.randint(shortest, longest))
        ident = f"work-{i}"
        category = "spin-off" if rng.random() < 0.2 else "mainline"
        b.add("work", ident, {"name": f"{b.name(2)} ({day.year})", "form": "film",
                              "category": category, "release_date": day.isoformat()})  # fmt: skip
        b.first[ident] = ident
        films.append(ident)
    for i in range(n["source"]):
        b.add("source", f"source-{i}", {"name": f"Review of {b.name(1)} {i}",
                                        "category": "review", "author": b.name(2)})  # fmt: skip
    for i in range(n["person"]):
        b.add("person", f"person-{i}", {"name": b.name(2)})

    def dated(kind: str, count: int, prefix: str, extra: dict[str, object] | None = None) -> None:
        for i in range(count):
            ident = f"{prefix}-{i}"
            work = pick(films)
            b.first[ident] = work
            fields: dict[str, object] = {"name": b.name(2), "first_appearance": work}
            if extra:
                fields.update(extra)
            if kind == "character" and rng.random() < 0.3:
                fields["aliases"] = [b.name(1)]
            fields["sources"] = [f"{work}"]
            b.add(kind, ident, fields)

    dated("faction", n["faction"], "faction")
    dated("title", n["title"], "title")
    dated("place", n["place"], "place")
    dated("event", n["event"], "event")
    dated("concept", n["concept"], "concept")
    dated("character", n["character"], "character")

    ids = b.ids
    chars, factions, places, events = ids["character"], ids["faction"], ids["place"], ids["event"]
    sides = chars + factions
    # story order: a chain in release order, spin-offs placed only after their predecessor
    for prev, film in zip(films, films[1:], strict=False):
        b.state(film, "set_after", prev)
    for film in films:
        b.state(film, "part_of_franchise", "franchise")
        b.state(film, "directed_by", pick(ids["person"]))
        b.state(film, "music_by", pick(ids["person"]))
    for source in ids["source"]:
        b.state(source, "reviews", pick(films))
    # factions: a third are units of an earlier faction; each has a leader
    for i, faction in enumerate(factions):
        if i and rng.random() < 0.33:
            b.state(faction, "part_of", factions[rng.randrange(i)])
        b.state(pick(chars), "leads", faction)
        b.state(faction, "located_in", pick(places))
    for i, place in enumerate(places):
        if i:
            b.state(place, "located_in", places[rng.randrange(i)])
    for event in events:
        b.state(event, "during", b.first[event])
        b.state(pick(chars), "participant_in", event)
        if rng.random() < 0.5:
            b.state(pick(sides), "victim_of", event)
            b.state(pick(sides), "perpetrator_of", event)
    for concept in ids["concept"]:
        b.state(concept, "appears_in", "franchise")
    for title in ids["title"]:
        b.state(pick(chars), "holds_title", title)
    for character in chars:
        b.state(character, "member_of", pick(factions))
        b.state(character, "appears_in", b.first[character])
        b.state(character, "appears_in", pick(films))
        if rng.random() < 0.5:
            b.state(character, "appears_in", pick(films))
        if rng.random() < 0.3:
            b.state(character, "portrayed_by", pick(ids["person"]))
        b.state(character, pick(("ally_of", "enemy_of")), pick(sides))
        if rng.random() < 0.5:
            b.state(character, pick(("ally_of", "enemy_of")), pick(sides))
        if rng.random() < 0.3:
            b.state(character, pick(("raised_by", "trained_by")), pick(sides))
        if rng.random() < 0.15:
            b.state(pick(chars), "parent_of", character)
        if rng.random() < 0.6:
            b.state(character, "located_in", pick(places))
        if rng.random() < 0.7:
            b.state(character, "serves", pick(sides))
    _story_time(b, films, random.Random(f"{seed}-story"))
    topics = chars + factions + films  # once: a copy per note was quadratic at a million
    for i in range(max(1, entities // 50)):
        about = pick(topics)
        b.notes.append(
            f"  - {{id: note-{i}, about: [{about}], text: {_scalar(b.name(3) + ' is overrated.')}, "
            f"sources: {b.cite(about)}}}"
        )
    return b


_SPANNED = frozenset({"member_of", "leads", "serves", "ally_of", "enemy_of", "located_in"})
"""Predicates whose statements may hold for part of the story."""
_PRESENT = frozenset({"participant_in", "perpetrator_of", "victim_of"})


def _story_time(b: _Builder, films: list[str], rng: random.Random) -> None:
    """Deaths in events, and spans on some statements, consistent with the film chain.

    A separate random stream: the rest of the universe is what it was without them.
    """
    place = {film: i for i, film in enumerate(films)}
    at = {e: place[b.first[e]] for e in b.ids["event"]}
    by_film: dict[int, list[str]] = {}
    for event, i in at.items():
        by_film.setdefault(i, []).append(event)
    latest: dict[str, int] = {}  # the last film a character is present at an event in
    for subject, predicate, obj in b.keys:
        if predicate in _PRESENT:
            latest[subject] = max(latest.get(subject, 0), at[obj])
    death: dict[str, int] = {}
    with_events = sorted(by_film)  # the films that have events, in release order
    for character in b.ids["character"]:
        if rng.random() < 0.05:
            low = max(latest.get(character, 0), place[b.first[character]])
            films_left = with_events[bisect_left(with_events, low) :]
            if films_left:
                film = rng.choice(films_left)
                death[character] = film
                event = rng.choice(by_film[film])
                b.state(character, "dies_in", event)
    last = len(films) - 1
    for n, (subject, predicate, obj) in enumerate(b.keys):
        if predicate not in _SPANNED or rng.random() >= 0.3:
            continue
        top = min(death.get(subject, last), death.get(obj, last))
        since = rng.randint(0, top)
        until = rng.randint(since, last)
        which = rng.random()
        span = (
            f", since: {films[since]}" if which < 0.4 else
            f", until: {films[until]}" if which < 0.7 else
            f", since: {films[since]}, until: {films[until]}"
        )  # fmt: skip
        b.statements[n] = b.statements[n][:-1] + span + "}"


def _sections(b: _Builder) -> Iterable[tuple[str, str]]:
    yield "universe.yaml", "universe:\n  id: synthetic\n  name: Synthetic Saga\n"
    for kind, lines in b.records.items():
        section = _SECTION[kind]
        yield f"{section}.yaml", f"{section}:\n" + "\n".join(lines) + "\n"
    chunk = 100_000
    for start in range(0, len(b.statements), chunk):
        part = b.statements[start : start + chunk]
        yield f"statements-{start // chunk + 1:03d}.yaml", "statements:\n" + "\n".join(part) + "\n"
    yield "notes.yaml", "notes:\n" + "\n".join(b.notes) + "\n"


def synthesize(directory: str | Path, *, entities: int, seed: int = 0) -> Path:
    """Write a synthetic universe of ``entities`` entities into a new directory.

    The directory must not exist or be empty; the files appear all at once
    (written beside it, then renamed), so a failed run leaves nothing behind.

    Raises
    ------
    OutputError
        When the directory is not empty or cannot be written.
    """

    def files() -> Iterable[tuple[str, str]]:  # built once the directory is checked
        yield from _sections(_build(entities, seed))

    return write_directory_atomic(directory, files())


_WIKI_HEAD = """\
<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Synthetic Saga Wiki</sitename>
    <dbname>synthetic</dbname>
    <base>https://synthetic.example.org/wiki/Main_Page</base>
    <generator>lorekit synth</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="2" case="first-letter">User</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
    </namespaces>
  </siteinfo>
"""
_KIN = ("father", "mother", "son", "sister")
_CHARACTER_BOX = (
    "<infobox><title source=\"name\"/>"
    + "".join(
        f'<data source="{s}"><label>{label}</label></data>'
        for s, label in (("affil", "Affiliation"), ("played", "Portrayed by"),
                         ("kin", "Family"), ("foes", "Enemies"), ("debut", "First appearance"),
                         ("aka", "Also known as"), ("species", "Species"))
    )
    + "</infobox>"
)  # fmt: skip


def _wiki_pages(pages: int, seed: int) -> Iterable[tuple[str, int, str, str | None]]:
    """``(title, namespace, wikitext, redirect)`` of a synthetic Fandom-like wiki."""
    rng = random.Random(seed)
    b = _Builder(rng)
    n_films = max(2, pages // 50)
    n_factions = max(2, pages // 12)
    n_places = max(2, pages // 20)
    n_people = max(2, pages // 10)  # actors: linked, mostly without pages (stubs)
    films = [f"{b.name(2)} (film)" for _ in range(n_films)]
    factions = [b.name(2) for _ in range(n_factions)]
    places = [b.name(1) for _ in range(n_places)]
    people = [b.name(2) for _ in range(n_people)]
    fixed = 1 + n_films + n_factions + n_places
    n_chars = max(2, int((pages - fixed) * 0.8))
    chars = [b.name(2) for _ in range(n_chars)]
    yield "Template:Character", 10, _CHARACTER_BOX, None
    for film in films:
        director, music = rng.choice(people), rng.choice(people)
        text = (f"{{{{Infobox film\n|director=[[{director}]]\n|music=[[{music}]]"
                f"\n|released={rng.randint(1990, 2030)}\n}}}}\n'''''{film[:-7]}''''' is a film of "
                f"the saga.\n\n== Plot ==\n{_prose(rng, chars, 6)}\n"
                "[[Category:Films]]")  # fmt: skip
        yield film, 0, text, None
    for faction in factions:
        text = (f"{{{{Infobox faction\n|leader=[[{rng.choice(chars)}]]\n|headquarters="
                f"[[{rng.choice(places)}]]\n}}}}\nThe '''{faction}''' is a faction.\n\n"
                f"== History ==\n{_prose(rng, chars, 5)}\n[[Category:Factions]]")  # fmt: skip
        yield faction, 0, text, None
    for place in places:
        yield (
            place,
            0,
            f"'''{place}''' is a place.\n{_prose(rng, chars, 2)}\n[[Category:Locations]]",
            None,
        )
    written = fixed
    for i, char in enumerate(chars):
        kin = "\n".join(f"* [[{rng.choice(chars)}]] ({rng.choice(_KIN)})"
                        for _ in range(rng.randint(0, 2)))  # fmt: skip
        affil = "<br />".join(f"[[{rng.choice(factions)}]]" + rng.choice(("", "", " (formerly)"))
                              for _ in range(rng.randint(1, 2)))  # fmt: skip
        text = (f"{{{{Character\n|name={char}\n|affil={affil}<ref>Seen in a film.</ref>\n"
                f"|played=[[{rng.choice(people)}]]\n|kin={kin}\n"
                f"|foes=[[{rng.choice(chars)}]], [[{rng.choice(chars)}]]\n"
                f"|debut=[[{rng.choice(films)}|''{rng.choice(films)[:-7]}'']]\n"
                f"|aka={_word(rng)}, ''{_word(rng)}''\n"
                f"|species={rng.choice(('Human', 'Elf'))}\n}}}}\n"
                f"'''{char}''' is a character of the saga.<ref>Guide.</ref> {_prose(rng, chars, 1)}"
                f"\n\n== Biography ==\n{_prose(rng, chars, 5)}\n\n== Trivia ==\n"
                f"* {_prose(rng, chars, 1)}\n<!-- editors: keep this short -->\n"
                f"[[Category:Characters]]")  # fmt: skip
        yield char, 0, text, None
        written += 1
        if i % 8 == 0 and written < pages:
            yield f"{_word(rng)} {char}", 0, f"#REDIRECT [[{char}]]", char  # unique: char is
            written += 1
    k = 0
    while written < pages:  # the rest: talk and user pages, a disambiguation page now and then
        title, space = (f"Talk:{chars[k % len(chars)]}", 1) if k % 3 else (f"User:Editor {k}", 2)
        text = "{{Disambiguation}}" if k % 17 == 0 else _prose(rng, chars, 2)
        if k % 17 == 0:
            title, space = f"{chars[k % len(chars)].split()[0]} (disambiguation)", 0
        yield title, space, text, None
        written += 1
        k += 1


def _word(rng: random.Random) -> str:
    """A made-up word, not kept unique (aliases may repeat; titles may not)."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _prose(rng: random.Random, chars: list[str], sentences: int) -> str:
    words = ("the", "court", "lamp", "oath", "road", "harbour", "ledger", "night", "silver", "debt")
    out = []
    for _ in range(sentences):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18)))
        out.append(
            f"{body.capitalize()} with [[{rng.choice(chars)}]] and '''{rng.choice(words)}'''."
        )
    return " ".join(out)


def synthesize_wiki(path: str | Path, *, pages: int, seed: int = 0) -> Path:
    """Write a synthetic MediaWiki export (export-0.11) of ``pages`` pages, for benchmarks.

    About four in five articles are character pages with a portable infobox
    (affiliation, portrayer, family, enemies, debut, aliases), the rest
    factions, places and films with classic infoboxes; redirects, talk and user
    pages and disambiguation pages fill it up. The file appears complete or
    not at all.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = synthesize_wiki(pathlib.Path(tempfile.mkdtemp()) / "wiki.xml", pages=60, seed=1)
    >>> out.read_text(encoding="utf-8").count("<page>")
    60
    """
    from xml.sax.saxutils import escape

    from .._core.output import write_atomic

    chunks = [_WIKI_HEAD]
    for n, (title, space, text, redirect) in enumerate(_wiki_pages(pages, seed), start=1):
        red = (
            f'    <redirect title="{escape(redirect, {chr(34): "&quot;"})}" />\n'
            if redirect
            else ""
        )
        chunks.append(
            f"  <page>\n    <title>{escape(title)}</title>\n"
            f"    <ns>{space}</ns>\n    <id>{n}</id>\n"
            f"{red}    <revision>\n      <id>{100000 + n}</id>\n"
            f"      <timestamp>2025-01-01T00:00:00Z</timestamp>\n"
            f"      <contributor><username>Synth</username><id>1</id></contributor>\n"
            f"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
            f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
            f"    </revision>\n  </page>\n"
        )
    chunks.append("</mediawiki>\n")
    return write_atomic(path, "".join(chunks))
