"""The mapping from wiki infoboxes to lorekit: which kind a page is, what each field means.

:data:`DEFAULT_MAPPING` is written once, as the YAML a user would write, and
works on a typical Fandom character wiki with no mapping file at all. A
mapping file (``--mapping``) has the same three sections and overrides or
extends it key by key; :func:`default_mapping_text` prints the default to
edit. Names are matched loosely: case, underscores, spaces and an
``infobox`` prefix or suffix do not matter.

- ``templates``: infobox template name to kind (``work:film`` gives a form).
- ``categories``: category name to kind, for a page without a known infobox.
- ``fields``: infobox parameter (or its portable-infobox label) to a
  predicate of the relation registry, read from the page's entity to the
  linked one (an inverse reading such as ``led_by`` is allowed), or to
  ``aliases``, ``name``, ``first_appearance``, ``family`` (the predicate is
  read from a qualifier such as "(father)") or ``ignore``.
- ``skip``: templates and categories that mark a disambiguation page.

Examples
--------
>>> m = default_mapping()
>>> m.kind_of_template("Infobox_Character"), m.kind_of_template("Character")
(('character', None), ('character', None))
>>> m.field("Portrayed by"), m.field("affiliation"), m.field("colour")
('portrayed_by', 'member_of', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .._core.errors import DataFileError
from .._core.kinds import KINDS, EntityKind
from .._core.model import Work
from .._core.relations import resolve_predicate

__all__ = [
    "DEFAULT_MAPPING",
    "WikiMapping",
    "default_mapping",
    "default_mapping_text",
    "load_mapping",
]

DEFAULT_MAPPING = """\
# lorekit's default mapping from wiki infoboxes; edit a copy and pass it with --mapping.
# Keys are matched ignoring case, underscores and an "Infobox" prefix or suffix.
templates:            # infobox template -> entity kind (work:FORM names the form of a work)
  character: character
  person: character
  villain: character
  hero: character
  faction: faction
  organization: faction
  organisation: faction
  group: faction
  location: place
  place: place
  city: place
  building: place
  film: work:film
  movie: work:film
  episode: work:episode
  series: work:series
  television: work:series
  tv series: work:series
  game: work:game
  video game: work:game
  book: work:book
  comic: work:comic
  event: event
  battle: event
  title: title
  rank: title
  actor: person
  cast: person
  real person: person
categories:           # category -> entity kind, for pages without a known infobox
  characters: character
  factions: faction
  organizations: faction
  organisations: faction
  groups: faction
  locations: place
  places: place
  films: work:film
  movies: work:film
  episodes: work:episode
  events: event
  titles: title
  cast: person
  actors: person
  real people: person
fields:  # infobox field or label -> predicate, or aliases/name/family/first_appearance/ignore
  affiliation: member_of
  affiliations: member_of
  organization: member_of
  organisation: member_of
  faction: member_of
  factions: member_of
  allegiance: member_of
  member of: member_of
  leader: led_by
  leaders: led_by
  led by: led_by
  leader of: leads
  members: has_member
  family: family
  relatives: family
  father: child_of
  mother: child_of
  parents: child_of
  parent: child_of
  children: parent_of
  child: parent_of
  son: parent_of
  daughter: parent_of
  sibling: family
  siblings: family
  spouse: family
  actor: portrayed_by
  actress: portrayed_by
  portrayed by: portrayed_by
  portrayer: portrayed_by
  played by: portrayed_by
  cast: portrayed_by
  first appearance: first_appearance
  debut: first_appearance
  appearances: appears_in
  appears in: appears_in
  title: holds_title
  titles: holds_title
  allies: ally_of
  ally: ally_of
  enemies: enemy_of
  enemy: enemy_of
  location: located_in
  base: located_in
  headquarters: located_in
  hq: located_in
  director: directed_by
  directed by: directed_by
  music: music_by
  music by: music_by
  composer: music_by
  aliases: aliases
  alias: aliases
  nickname: aliases
  nicknames: aliases
  also known as: aliases
  other names: aliases
  name: name
  real name: aliases
  full name: aliases
  image: ignore
  caption: ignore
  imagecaption: ignore
skip:                 # templates and categories of disambiguation pages
  - disambiguation
  - disambig
  - dab
  - disambiguation pages
"""

_TARGETS = ("aliases", "name", "family", "first_appearance", "ignore")
_FAMILY = {  # a qualifier in a family field -> how the page's entity reads to the linked one
    "father": "child_of",
    "mother": "child_of",
    "parent": "child_of",
    "adoptive father": "child_of",
    "adoptive mother": "child_of",
    "son": "parent_of",
    "daughter": "parent_of",
    "child": "parent_of",
}


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """A template, category or field name as the mapping matches it.

    Examples
    --------
    >>> fold("Template:Infobox_Faction "), fold("Character infobox")
    ('faction', 'character')
    """
    text = re.sub(r"[\s_]+", " ", name.strip().lower())
    text = re.sub(r"^template:\s*", "", text)
    text = re.sub(r"^infobox\s*|\s*infobox$", "", text)
    return text.strip() or "infobox"


@dataclass(frozen=True)
class WikiMapping:
    """A mapping, with every key folded."""

    templates: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    skip: frozenset[str] = frozenset()

    def kind_of_template(self, name: str) -> tuple[EntityKind, str | None] | None:
        """The kind (and work form) an infobox template gives, if the mapping knows it."""
        target = self.templates.get(fold(name))
        return None if target is None else _kind(target)

    def kind_of_category(self, name: str) -> tuple[EntityKind, str | None] | None:
        """The kind (and work form) a category gives, if the mapping knows it."""
        target = self.categories.get(fold(name))
        return None if target is None else _kind(target)

    def field(self, name: str) -> str | None:
        """What an infobox field (or label) maps to, or ``None`` if not mapped."""
        return self.fields.get(fold(name))

    def skips(self, name: str) -> bool:
        """Whether a template or category marks a page that is never an entity."""
        return fold(name) in self.skip

    @staticmethod
    def family(qualifier: str | None) -> str | None:
        """The predicate a family qualifier such as "(father)" gives, if it gives one."""
        return _FAMILY.get((qualifier or "").strip().lower())


def _kind(target: str) -> tuple[EntityKind, str | None]:
    kind, _, form = target.partition(":")
    return kind, form or None  # type: ignore[return-value]  # checked in _parse


def _parse(data: Any, file: Path | None) -> WikiMapping:
    if not isinstance(data, dict):
        raise DataFileError("a mapping file is a YAML mapping of sections", file=file)
    unknown = set(data) - {"templates", "categories", "fields", "skip"}
    if unknown:
        raise DataFileError(
            f"unknown mapping section {sorted(unknown)[0]!r}; the sections are "
            "templates, categories, fields and skip",
            file=file,
        )
    forms = set(Work.model_fields["form"].annotation.__args__)  # type: ignore[union-attr]
    parsed: dict[str, dict[str, str]] = {}
    for name in ("templates", "categories", "fields"):
        section = data.get(name) or {}
        if not isinstance(section, dict):
            raise DataFileError(f"mapping section {name!r} is a mapping", file=file)
        out: dict[str, str] = {}
        for key, value in section.items():
            value = str(value).strip()
            if name == "fields":
                if value not in _TARGETS:
                    try:
                        resolve_predicate(value)
                    except KeyError:
                        raise DataFileError(
                            f"field {key!r}: {value!r} is neither a predicate nor one of "
                            f"{', '.join(_TARGETS)}",
                            file=file,
                        ) from None
            else:
                kind, _, form = value.partition(":")
                if kind not in KINDS or (form and (kind != "work" or form not in forms)):
                    raise DataFileError(
                        f"{name} {key!r}: {value!r} is not an entity kind", file=file
                    )
            out[fold(str(key))] = value
        parsed[name] = out
    skip = data.get("skip") or []
    if not isinstance(skip, list):
        raise DataFileError("mapping section 'skip' is a list", file=file)
    return WikiMapping(
        parsed["templates"],
        parsed["categories"],
        parsed["fields"],
        frozenset(fold(str(s)) for s in skip),
    )


@cache
def default_mapping() -> WikiMapping:
    """The built-in mapping."""
    import yaml

    return _parse(yaml.safe_load(DEFAULT_MAPPING), None)


def default_mapping_text() -> str:
    """The built-in mapping as YAML, to copy and edit.

    Examples
    --------
    >>> default_mapping_text().splitlines()[2]
    'templates:            # infobox template -> entity kind (work:FORM names the form of a work)'
    """
    return DEFAULT_MAPPING


def load_mapping(path: str | Path) -> WikiMapping:
    """The default mapping, overridden and extended by the mapping file at ``path``.

    Raises
    ------
    DataFileError
        When the file cannot be read, is not YAML, or names an unknown kind or predicate.
    """
    import yaml

    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror or exc}", file=file) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(
            f"not YAML: {getattr(exc, 'problem', exc)}", file=file, line=line
        ) from exc
    extra = _parse(data or {}, file)
    base = default_mapping()
    return WikiMapping(
        {**base.templates, **extra.templates},
        {**base.categories, **extra.categories},
        {**base.fields, **extra.fields},
        base.skip | extra.skip,
    )
