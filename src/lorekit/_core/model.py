"""The typed lore model: entities, citations, statements, notes, a universe.

Every record is a frozen pydantic model that refuses unknown fields. Entity
kinds share the fields of :class:`EntityBase` and carry a ``kind`` tag, so the
:data:`Entity` union is discriminated and an error names only the kind that
was meant.

Examples
--------
>>> eve = Character(id="eve-macarro", name="Eve Macarro", aliases=("Eve",))
>>> eve.kind
'character'
>>> Citation.model_validate("screen-scribe-ballerina ¶5")
Citation(source='screen-scribe-ballerina', locator='¶5')
>>> s = Statement(subject="ruska-roma", predicate="raised", object="eve-macarro",
...               sources=["screen-scribe-ballerina ¶2"])
>>> (s.subject, s.predicate, s.object)
('eve-macarro', 'raised_by', 'ruska-roma')
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .relations import RELATIONS, EntityKind, Layer, RelationKind, resolve_predicate

__all__ = [
    "Character",
    "Citation",
    "Concept",
    "Entity",
    "EntityBase",
    "Event",
    "Faction",
    "Note",
    "Person",
    "Place",
    "Rating",
    "Slug",
    "Source",
    "Statement",
    "Title",
    "Universe",
    "Work",
    "release_key",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=200)]
"""A stable identifier: lower-case words joined by hyphens, e.g. ``eve-macarro``."""

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Base(BaseModel, frozen=True, extra="forbid", use_attribute_docstrings=True):
    """Frozen, strict about unknown fields: a typo in a data file is an error."""


def _parse_citation(value: Any) -> Any:
    """Accept ``"source-id ¶5"`` as a short form of a citation mapping."""
    if isinstance(value, str):
        source, _, locator = value.strip().partition(" ")
        return {"source": source, "locator": locator.strip() or None}
    return value


class Citation(_Base):
    """Where a fact comes from: a source (or a work) and a place in it."""

    source: Slug
    """Id of the Source or Work that states the fact."""
    locator: str | None = None
    """Where in the source: a paragraph (``¶5``), a timestamp (``01:12:30``), a page."""

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return _parse_citation(value)

    def __str__(self) -> str:
        return f"{self.source} {self.locator}" if self.locator else self.source


CitationField = Annotated[
    Citation, BeforeValidator(_parse_citation, json_schema_input_type=Citation | str)
]


class EntityBase(_Base):
    """Fields every entity has, whatever its kind."""

    id: Slug
    """Stable slug, unique in the universe; IRIs are derived from it."""
    name: _Text
    """The name the story (or the world) knows it by."""
    aliases: tuple[_Text, ...] = ()
    """Other names, nicknames, titles used as names; matched case-insensitively."""
    description: str | None = None
    """A sentence or two on who or what this is."""
    first_appearance: Slug | None = None
    """Id of the Work in which a viewer first meets it."""
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = None
    """The matching Wikidata item, such as ``Q43416``, when there is one."""
    sources: tuple[CitationField, ...] = ()
    """Where the entity and its description are attested."""
    kind: EntityKind
    """Which kind of entity this is; each kind's model fixes its own tag."""

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)


class Character(EntityBase):
    """A person or creature inside the story world."""

    kind: Literal["character"] = "character"


class Faction(EntityBase):
    """A group inside the story world: syndicate, council, unit, cult, guild."""

    kind: Literal["faction"] = "faction"
    category: Literal["syndicate", "council", "unit", "cult", "guild", "organisation"] | None = None
    """What sort of group it is."""


class Title(EntityBase):
    """A mantle or rank a character can hold, such as *Baba Yaga*."""

    kind: Literal["title"] = "title"


class Place(EntityBase):
    """A location inside the story world: a city, a hotel, a theatre."""

    kind: Literal["place"] = "place"
    category: str | None = None
    """What sort of place: city, hotel, building, region."""


class Work(EntityBase):
    """A film, series, episode, game or book, or a whole franchise."""

    kind: Literal["work"] = "work"
    form: Literal["franchise", "film", "series", "episode", "game", "book", "comic", "short"] = (
        "film"
    )
    """What the work is."""
    category: Literal["mainline", "spin-off"] | None = None
    """Whether it belongs to the main storyline or branches off it."""
    release_date: dt.date | None = None
    """First public release."""
    development_began: int | None = Field(default=None, ge=1800, le=2200)
    """Year the work entered development."""


class Event(EntityBase):
    """Something that happens in the story: a murder, a war, a wedding."""

    kind: Literal["event"] = "event"


class Person(EntityBase):
    """A real person: cast, crew, critic."""

    kind: Literal["person"] = "person"
    born: dt.date | None = None
    """Date of birth."""
    died: dt.date | None = None
    """Date of death, for people no longer living."""


class Concept(EntityBase):
    """A franchise institution or idea: the coin economy, blood oaths."""

    kind: Literal["concept"] = "concept"


class Rating(_Base):
    """A critic's score, as ``value`` out of ``best``."""

    value: float = Field(ge=0)
    best: float = Field(gt=0)

    @model_validator(mode="after")
    def _within_scale(self) -> Rating:
        if self.value > self.best:
            raise ValueError(f"rating {self.value} is above its scale of {self.best}")
        return self

    def __str__(self) -> str:
        return f"{self.value:g} / {self.best:g}"


class Source(EntityBase):
    """A document facts are taken from: a review, an article, a wiki page."""

    kind: Literal["source"] = "source"
    category: Literal["review", "article", "wiki", "interview", "book", "transcript", "other"] = (
        "article"
    )
    """What sort of document it is."""
    author: str | None = None
    """Who wrote it, as credited."""
    published: dt.date | None = None
    """Publication date."""
    url: str | None = None
    """Where it can be read; never fetched by lorekit."""
    rating: Rating | None = None
    """The score a review gives, when it gives one."""


Entity = Annotated[
    Character | Faction | Title | Place | Work | Event | Person | Concept | Source,
    Field(discriminator="kind"),
]
"""Any entity; the ``kind`` tag picks the model."""


def release_key(entity: EntityBase, then: str | None = None) -> tuple[int, str, str]:
    """The sort key of release order: dated works by date, then ``then`` (the id), undated last.

    Examples
    --------
    >>> a = Work(id="a", name="A", release_date="2014-10-24")
    >>> b = Work(id="b", name="B")
    >>> [w.id for w in sorted([b, a], key=release_key)]
    ['a', 'b']
    """
    date = entity.release_date if isinstance(entity, Work) else None
    tie = entity.id if then is None else then
    return (0, date.isoformat(), tie) if date else (1, "", tie)


ENTITY_MODELS: dict[EntityKind, type[EntityBase]] = {
    "character": Character,
    "faction": Faction,
    "title": Title,
    "place": Place,
    "work": Work,
    "event": Event,
    "person": Person,
    "concept": Concept,
    "source": Source,
}


class Statement(_Base):
    """One edge of the graph: subject, predicate, object, with its provenance.

    A predicate may be written in either reading (``plays`` or
    ``portrayed_by``); the statement is stored in the registry's direction.
    """

    subject: Slug
    """Id of the entity the statement is about."""
    predicate: str
    """A predicate of the relation registry, or its inverse reading."""
    object: Slug
    """Id of the other end."""
    sources: tuple[CitationField, ...] = Field(min_length=1)
    """One or more citations; a statement without a source is not lore."""
    layer: Layer | None = None
    """lore, production or reception; filled from the registry when omitted."""
    revealed_in: Slug | None = None
    """Id of the Work in which a viewer learns this; by default the later first
    appearance of its two ends."""
    note: str | None = None
    """A qualifier in words: "lead role", "kept on the periphery"."""

    @model_validator(mode="before")
    @classmethod
    def _canonical_direction(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("predicate"), str):
            return data
        try:
            name, flipped = resolve_predicate(data["predicate"])
        except KeyError:
            return data  # reported by the field validator, with suggestions
        data = {**data, "predicate": name}
        if flipped:
            data["subject"], data["object"] = data.get("object"), data.get("subject")
        return data

    @field_validator("predicate")
    @classmethod
    def _known_predicate(cls, value: str) -> str:
        if value not in RELATIONS:
            raise ValueError(f"unknown predicate {value!r}{_did_you_mean(value)}")
        return value

    @field_validator("layer")
    @classmethod
    def _layer_fits(cls, value: Layer | None, info: ValidationInfo) -> Layer | None:
        predicate = info.data.get("predicate")
        if value is None or not isinstance(predicate, str) or predicate not in RELATIONS:
            return value
        expected = RELATIONS[predicate].layer
        if value != expected:
            raise ValueError(
                f"{predicate} is a {expected} relation; it cannot be in the {value} layer"
            )
        return value

    @property
    def key(self) -> tuple[str, str, str]:
        """``(subject, predicate, object)``, unique within a universe."""
        return (self.subject, self.predicate, self.object)

    @property
    def relation(self) -> RelationKind:
        """The registry entry of the predicate."""
        return RELATIONS[self.predicate]


class Note(_Base):
    """A remark about entities that is not a relation: most often a critic's opinion.

    Notes default to the reception layer, so an opinion can never pass for lore.
    """

    id: Slug
    """Stable slug, unique among notes."""
    about: tuple[Slug, ...] = Field(min_length=1)
    """Ids of the entities the note is about."""
    text: _Text
    """The remark, restated."""
    sources: tuple[CitationField, ...] = Field(min_length=1)
    """Where the remark is made."""
    layer: Layer = "reception"
    """Whose voice: a critic's (reception), the makers' (production), the story's (lore)."""
    revealed_in: Slug | None = None
    """Id of the Work after which the note is no spoiler; by default the latest
    first appearance among what it is about."""


class UniverseInfo(_Base):
    """What the universe is, from its ``universe:`` section."""

    id: Slug
    """Stable slug of the universe; its IRIs are derived from it."""
    name: _Text
    """The universe's name, as the page and the summaries show it."""
    description: str | None = None
    """A sentence or two on the universe, free of spoilers."""


class Universe(_Base):
    """A complete, validated universe: what :func:`lorekit.load` builds a graph from."""

    info: UniverseInfo
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    notes: tuple[Note, ...] = ()


ENTITY_ADAPTER: TypeAdapter[Any] = TypeAdapter(Entity)


def _did_you_mean(value: str) -> str:
    from difflib import get_close_matches

    from .relations import predicate_names

    close = get_close_matches(value, predicate_names(), n=3)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
