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

import ast
import datetime as dt
import inspect
import itertools
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .kinds import ENTITY_KINDS, EntityKind, Ref
from .names import did_you_mean
from .relations import RELATIONS, Layer, RelationKind, predicate_names, resolve_predicate

__all__ = [
    "Character",
    "Citation",
    "Concept",
    "Entity",
    "EntityBase",
    "Event",
    "Faction",
    "Interner",
    "Note",
    "Person",
    "Place",
    "Rating",
    "Ref",
    "RefField",
    "Slug",
    "Source",
    "Statement",
    "Title",
    "Universe",
    "Work",
    "ref_fields",
    "release_key",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=200)]
"""A stable identifier: lower-case words joined by hyphens, e.g. ``eve-macarro``."""

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Base(BaseModel, frozen=True, extra="forbid", defer_build=True):
    """Frozen, strict about unknown fields: a typo in a data file is an error.

    Each field is described by the docstring written under it, as pydantic's
    ``use_attribute_docstrings`` would describe it (:func:`_document_fields`).
    """

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _document_fields(cls)


def _document_fields(cls: type[BaseModel]) -> None:
    """Describe each field of ``cls`` that has no description by the docstring under it.

    What pydantic's ``use_attribute_docstrings`` does, without its cost:
    pydantic finds each class's source with ``inspect`` (walking the frames
    and every module), which took about a third of this module's import;
    here each module is parsed once, on its first model. A field a class
    inherits keeps its base's description, as with pydantic's own.
    """
    docs = _attribute_docstrings(cls.__module__).get(cls.__qualname__, {})
    for name, info in cls.__pydantic_fields__.items():
        if info.description is None and name in docs:
            info.description = docs[name]


@cache
def _attribute_docstrings(module: str) -> dict[str, dict[str, str]]:
    """``{class: {attribute: docstring}}`` of the top-level classes in ``module``'s source.

    An attribute's docstring is the string right after its annotated
    assignment, cleaned as ``inspect.cleandoc`` does, as pydantic reads it.
    """
    try:
        tree = ast.parse(Path(sys.modules[module].__file__ or "").read_bytes())
    except (KeyError, OSError, SyntaxError, ValueError):  # no source to read
        return {}
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(node.name, {})
        for field, doc in itertools.pairwise(node.body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return found


def _parse_citation(value: Any) -> Any:
    """Accept ``"source-id ¶5"`` as a short form of a citation mapping."""
    if isinstance(value, str):
        source, _, locator = value.strip().partition(" ")
        return {"source": source, "locator": locator.strip() or None}
    return value


def _citation_field(value: Any, info: ValidationInfo) -> Any:
    """A citation field's short form; a citation met before in this load is given again.

    The shared citation is one that validated on its own, so what a record
    validates to is the same; a citation that does not is left to the
    field's validation, which reports it as it always has.
    """
    if isinstance(value, str) and isinstance(info.context, dict):
        interner = info.context.get("interner")
        if isinstance(interner, Interner):
            return interner.citation(value)
    return _parse_citation(value)


class Citation(_Base):
    """Where a fact comes from: a source (or a work) and a place in it."""

    source: Annotated[Slug, Ref("source", "work")]
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
    Citation, BeforeValidator(_citation_field, json_schema_input_type=Citation | str)
]


class Interner:
    """Equal immutable values of the records read in one load, each kept once.

    A big universe names the same ids and cites the same places hundreds of
    thousands of times; each read would otherwise keep its own copy of the
    string, its own :class:`Citation` and its own set of the fields it set.
    A reader passes one interner to validation as
    ``context={"interner": interner}``, and :meth:`share` gives each
    validated record the shared set of its fields. Sharing changes no value:
    records are frozen, and pydantic copies the set of fields before a
    ``model_copy`` changes it.

    Examples
    --------
    >>> interner = Interner()
    >>> ctx = {"interner": interner}
    >>> a = Statement.model_validate(
    ...     {"subject": "eve", "predicate": "member_of", "object": "roma", "sources": ["w ¶1"]},
    ...     context=ctx)
    >>> b = Statement.model_validate(
    ...     {"subject": "jo", "predicate": "member_of", "object": "roma", "sources": ["w ¶1"]},
    ...     context=ctx)
    >>> a.sources[0] is b.sources[0], a.sources == (Citation(source="w", locator="¶1"),)
    (True, True)
    >>> interner.share(a) is a and interner.share(b) is b
    True
    >>> a.model_fields_set is b.model_fields_set
    True
    """

    __slots__ = ("_citations", "_fields_sets", "strings")

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        """Each string kept, by itself."""
        self._citations: dict[str, Citation] = {}
        self._fields_sets: dict[tuple[type[BaseModel], frozenset[str]], set[str]] = {}

    def text(self, value: str) -> str:
        """The string equal to ``value`` met first."""
        return self.strings.setdefault(value, value)

    def citation(self, value: str) -> Any:
        """The citation written ``value``, shared; the parsed mapping if it is not valid alone."""
        found = self._citations.get(value)
        if found is not None:
            return found
        parsed = _parse_citation(value)
        text = self.text
        parsed["source"] = text(parsed["source"])
        if parsed["locator"] is not None:
            parsed["locator"] = text(parsed["locator"])
        try:
            made = Citation.model_validate(parsed)
        except ValueError:  # a ValidationError: the field's own validation reports it
            return parsed
        self._citations[value] = made
        return made

    def share(self, record: BaseModel) -> BaseModel:
        """Give ``record`` the shared set of the fields it set (an equal set); return it."""
        fields = record.__pydantic_fields_set__
        shared = self._fields_sets.setdefault((type(record), frozenset(fields)), fields)
        if shared is not fields:
            object.__setattr__(record, "__pydantic_fields_set__", shared)
        return record


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
    first_appearance: Annotated[Slug, Ref("work")] | None = None
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


def release_key(entity: EntityBase, then: str | None = None) -> tuple[int, str, int, str]:
    """The sort key of release order: dated works by date, then ``then`` (the id), undated last.

    On one date an episode comes after the other works, so a series released
    with its first episode comes first.

    Examples
    --------
    >>> a = Work(id="a", name="A", release_date="2014-10-24")
    >>> b = Work(id="b", name="B")
    >>> [w.id for w in sorted([b, a], key=release_key)]
    ['a', 'b']
    >>> night = Work(id="night-1", name="Night 1", form="episode", release_date="2023-09-22")
    >>> series = Work(id="series", name="Series", form="series", release_date="2023-09-22")
    >>> [w.id for w in sorted([night, series], key=release_key)]
    ['series', 'night-1']
    """
    date = entity.release_date if isinstance(entity, Work) else None
    tie = entity.id if then is None else then
    if not date:
        return (1, "", 0, tie)
    return (0, date.isoformat(), int(isinstance(entity, Work) and entity.form == "episode"), tie)


ENTITY_MODELS: Mapping[EntityKind, type[EntityBase]] = MappingProxyType(
    {m.model_fields["kind"].default: m for m in get_args(get_args(Entity)[0])}
)
"""The model class of each entity kind, in the order of :data:`ENTITY_KINDS`."""

assert tuple(ENTITY_MODELS) == ENTITY_KINDS


class Statement(_Base):
    """One edge of the graph: subject, predicate, object, with its provenance.

    A predicate may be written in either reading (``plays`` or
    ``portrayed_by``); the statement is stored in the registry's direction.
    """

    subject: Annotated[Slug, Ref(end="subject")]
    """Id of the entity the statement is about."""
    predicate: str
    """A predicate of the relation registry, or its inverse reading."""
    object: Annotated[Slug, Ref(end="object")]
    """Id of the other end."""
    sources: tuple[CitationField, ...] = Field(min_length=1)
    """One or more citations; a statement without a source is not lore."""
    layer: Layer | None = None
    """lore, production or reception; filled from the registry when omitted."""
    revealed_in: Annotated[Slug, Ref("work")] | None = None
    """Id of the Work in which a viewer learns this; by default the later first
    appearance of its two ends."""
    note: str | None = None
    """A qualifier in words: "lead role", "kept on the periphery"."""
    since: Annotated[Slug, Ref("work", "event")] | None = None
    """Story point (a work or an event) from which the statement holds; by
    default it has always held. The statement does not hold at points set
    strictly before it in story order."""
    until: Annotated[Slug, Ref("work", "event")] | None = None
    """Story point (a work or an event) up to which the statement holds, that
    point included; by default it holds to the end. The statement does not
    hold at points set strictly after it in story order."""

    @model_validator(mode="before")
    @classmethod
    def _canonical_direction(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("predicate"), str):
            return data
        try:
            name, flipped = resolve_predicate(data["predicate"])
        except KeyError:
            return data  # reported by the field validator, with suggestions
        data = {**data, "predicate": name}
        if flipped:
            data["subject"], data["object"] = data.get("object"), data.get("subject")
        interner = info.context.get("interner") if isinstance(info.context, dict) else None
        if isinstance(interner, Interner):  # the ends are named again and again: keep each once
            text = interner.strings.setdefault
            subject, obj = data.get("subject"), data.get("object")
            if type(subject) is str:
                data["subject"] = text(subject, subject)
            if type(obj) is str:
                data["object"] = text(obj, obj)
            if len(data) > 4:  # more than subject, predicate, object and sources
                for end in _INTERNED_POINTS:
                    value = data.get(end)
                    if type(value) is str:
                        data[end] = text(value, value)
        return data

    @field_validator("predicate")
    @classmethod
    def _known_predicate(cls, value: str) -> str:
        if value not in RELATIONS:
            raise ValueError(f"unknown predicate {value!r}{predicate_hint(value)}")
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


_INTERNED_POINTS = ("revealed_in", "since", "until")
"""The fields of a statement, beside its ends, that name an entity; an Interner shares them."""


class Note(_Base):
    """A remark about entities that is not a relation: most often a critic's opinion.

    Notes default to the reception layer, so an opinion can never pass for lore.
    """

    id: Slug
    """Stable slug, unique among notes."""
    about: tuple[Annotated[Slug, Ref()], ...] = Field(min_length=1)
    """Ids of the entities the note is about."""
    text: _Text
    """The remark, restated."""
    sources: tuple[CitationField, ...] = Field(min_length=1)
    """Where the remark is made."""
    layer: Layer = "reception"
    """Whose voice: a critic's (reception), the makers' (production), the story's (lore)."""
    revealed_in: Annotated[Slug, Ref("work")] | None = None
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


ENTITY_ADAPTER: TypeAdapter[Any] = TypeAdapter(Entity, config=ConfigDict(defer_build=True))


def predicate_hint(value: str) -> str:
    """The did-you-mean of an unknown predicate, among every name a data file may use.

    Examples
    --------
    >>> predicate_hint("memebr_of")
    " (did you mean 'member_of'?)"
    """
    return did_you_mean(value, predicate_names())


@dataclass(frozen=True)
class RefField:
    """A field of a record, perhaps inside a nested model, whose value names an entity.

    ``path`` leads from the record to the field: each step is a field name and
    whether that field holds a tuple of values.
    """

    path: tuple[tuple[str, bool], ...]
    ref: Ref


def walk_annotation(annotation: Any) -> Iterator[Any]:
    """The annotation and every type and metadata object nested in it."""
    yield annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        yield from meta
        yield from walk_annotation(base)
    elif origin in (Union, types.UnionType, tuple):
        for arg in get_args(annotation):
            if arg is not Ellipsis and arg is not type(None):
                yield from walk_annotation(arg)


@cache
def ref_fields(model: type[BaseModel]) -> tuple[RefField, ...]:
    """The fields of ``model`` marked :class:`Ref`, with those of its nested models.

    Examples
    --------
    >>> [(f.path, f.ref.kinds) for f in ref_fields(Character)]
    [((('first_appearance', False),), ('work',)), ((('sources', True), ('source', False)), \
('source', 'work'))]
    """
    found: list[RefField] = []
    for name, info in model.model_fields.items():
        parts = [*info.metadata, *walk_annotation(info.annotation)]
        many = any(get_origin(p) is tuple for p in walk_annotation(info.annotation))
        step = ((name, many),)
        found += [RefField(step, p) for p in parts if isinstance(p, Ref)]
        for part in parts:
            if isinstance(part, type) and issubclass(part, BaseModel):
                found += [RefField(step + f.path, f.ref) for f in ref_fields(part)]
    return tuple(found)


def _ref_kinds() -> dict[str, tuple[EntityKind, ...]]:
    kinds: dict[str, tuple[EntityKind, ...]] = {}
    for model in (*ENTITY_MODELS.values(), Statement, Note, UniverseInfo):
        for field in ref_fields(model):
            name = field.path[-1][0]
            if field.ref.kinds:
                assert kinds.setdefault(name, field.ref.kinds) == field.ref.kinds, name
    return kinds


REF_KINDS: Mapping[str, tuple[EntityKind, ...]] = MappingProxyType(_ref_kinds())
"""Which kinds a reference field may name, by field name; any entity when not listed."""
