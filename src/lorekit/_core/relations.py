"""The relation registry: every predicate a statement may use, as data.

One :class:`RelationKind` per predicate says its label, its inverse, whether it
is symmetric, which entity kinds may stand at each end and which layer it
belongs to. Validation, the query helpers, and later the RDF export and the
page all read this one table; nothing else hard-codes a predicate.

Examples
--------
>>> RELATIONS["member_of"].label
'member of'
>>> RELATIONS["member_of"].inverse_label
'has member'
>>> resolve_predicate("child_of")
('parent_of', True)
>>> resolve_predicate("ally_of")
('ally_of', False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from .kinds import ENTITY_KINDS, FICTIONAL_KINDS, EntityKind

__all__ = [
    "ENTITY_KINDS",
    "LAYERS",
    "RELATIONS",
    "EntityKind",
    "Layer",
    "RelationKind",
    "resolve_predicate",
]

Layer = Literal["lore", "production", "reception"]
"""Where a statement is true: in the story world, in the real world of the
films, or in a critic's opinion."""

LAYERS: tuple[Layer, ...] = get_args(Layer)


@dataclass(frozen=True)
class RelationKind:
    """One predicate of the registry.

    Attributes
    ----------
    name
        The predicate as written in data files, a snake_case word.
    label
        How the predicate reads from subject to object ("member of").
    inverse
        The name of the reverse reading, usable in data files too; ``None``
        for a symmetric predicate, which reads the same both ways.
    inverse_label
        How the predicate reads from object to subject ("has member").
    domain, range
        The entity kinds allowed as subject and as object.
    layer
        The layer every statement with this predicate belongs to.
    description
        What the predicate means, for the docs and the ontology.
    transitive
        Whether chains of it imply it (a unit of a unit is part of the whole).
    path_cost
        Overrides the layer's step cost in explained paths (see :attr:`cost`).
    chronology
        What the predicate says about story time, if anything: the subject
        happens ``after`` or ``before`` the object, or ``during`` it.
    wikidata, schema_org
        The matching Wikidata property (``P463``) and schema.org term
        (``musicBy``), if any; the ontology links them with SKOS.
    inverse_schema_org
        The schema.org term matching the inverse reading (``character`` for
        *features*), if any; always a close match.
    exact_match
        Whether ``wikidata`` and ``schema_org`` mean exactly this predicate
        (``skos:exactMatch``) rather than nearly (``skos:closeMatch``).
    """

    name: str
    label: str
    domain: frozenset[EntityKind]
    range: frozenset[EntityKind]
    layer: Layer
    description: str
    inverse: str | None = None
    inverse_label: str | None = None
    transitive: bool = False
    path_cost: float | None = None
    chronology: Literal["after", "before", "during"] | None = None
    wikidata: str | None = None
    schema_org: str | None = None
    inverse_schema_org: str | None = None
    exact_match: bool = False

    @property
    def cost(self) -> float:
        """How long a step along this predicate counts in :meth:`LoreGraph.path`.

        Lore steps cost 1, production 2, reception 3, so the explained path
        prefers what happens in the story; ``path_cost`` overrides it for weak
        links such as "appears in".
        """
        if self.path_cost is not None:
            return self.path_cost
        return {"lore": 1.0, "production": 2.0, "reception": 3.0}[self.layer]

    @property
    def symmetric(self) -> bool:
        """Whether ``a p b`` means the same as ``b p a``."""
        return self.inverse is None

    def reading(self, *, inverse: bool) -> str:
        """The label read forwards, or backwards when ``inverse`` is true."""
        if inverse and self.inverse_label is not None:
            return self.inverse_label
        return self.label


_PEOPLE_IN_STORY: frozenset[EntityKind] = frozenset({"character", "faction"})
_STORY_TIME: frozenset[EntityKind] = frozenset({"work", "event"})


def _rel(
    name: str,
    label: str,
    domain: set[EntityKind],
    range_: set[EntityKind],
    layer: Layer,
    description: str,
    *,
    inverse: tuple[str, str] | None = None,
    transitive: bool = False,
    path_cost: float | None = None,
    chronology: Literal["after", "before", "during"] | None = None,
    wikidata: str | None = None,
    schema_org: str | None = None,
    inverse_schema_org: str | None = None,
    exact_match: bool = False,
) -> RelationKind:
    return RelationKind(
        name=name,
        label=label,
        domain=frozenset(domain),
        range=frozenset(range_),
        layer=layer,
        description=description,
        inverse=inverse[0] if inverse else None,
        inverse_label=inverse[1] if inverse else None,
        transitive=transitive,
        path_cost=path_cost,
        chronology=chronology,
        wikidata=wikidata,
        schema_org=schema_org,
        inverse_schema_org=inverse_schema_org,
        exact_match=exact_match,
    )


_KINDS: tuple[RelationKind, ...] = (
    # --- in-universe lore -------------------------------------------------
    _rel(
        "member_of",
        "member of",
        {"character"},
        {"faction"},
        "lore",
        "The subject belongs to the faction.",
        inverse=("has_member", "has member"),
        wikidata="P463",
        exact_match=True,
    ),
    _rel(
        "part_of",
        "part of",
        {"faction"},
        {"faction"},
        "lore",
        "The subject is a unit, cell or branch within the larger faction.",
        inverse=("has_part", "has part"),
        transitive=True,
    ),
    _rel(
        "leads",
        "leads",
        {"character"},
        {"faction"},
        "lore",
        "The subject heads the faction.",
        inverse=("led_by", "led by"),
    ),
    _rel(
        "serves",
        "serves",
        {"character", "faction"},
        {"character", "faction"},
        "lore",
        "The subject works for or answers to the object.",
        inverse=("served_by", "served by"),
    ),
    _rel(
        "parent_of",
        "parent of",
        {"character"},
        {"character"},
        "lore",
        "The subject is a parent of the object.",
        inverse=("child_of", "child of"),
        wikidata="P40",
        exact_match=True,
    ),
    _rel(
        "raised_by",
        "raised by",
        {"character"},
        {"character", "faction"},
        "lore",
        "The subject grew up in the care of the object.",
        inverse=("raised", "raised"),
    ),
    _rel(
        "trained_by",
        "trained by",
        {"character"},
        {"character", "faction"},
        "lore",
        "The subject was schooled or drilled by the object.",
        inverse=("trained", "trained"),
    ),
    _rel(
        "ally_of",
        "ally of",
        set(_PEOPLE_IN_STORY),
        set(_PEOPLE_IN_STORY),
        "lore",
        "The two sides stand together.",
    ),
    _rel(
        "enemy_of",
        "enemy of",
        set(_PEOPLE_IN_STORY),
        set(_PEOPLE_IN_STORY),
        "lore",
        "The two sides are opposed.",
        wikidata="P7047",
        exact_match=True,
    ),
    _rel(
        "holds_title",
        "holds title",
        {"character"},
        {"title"},
        "lore",
        "The subject is known by the mantle or rank.",
        inverse=("title_held_by", "title held by"),
    ),
    _rel(
        "located_in",
        "located in",
        {"character", "faction", "place", "event"},
        {"place"},
        "lore",
        "The subject is based in or happens at the place.",
        inverse=("location_of", "location of"),
        transitive=True,
    ),
    _rel(
        "participant_in",
        "participant in",
        set(_PEOPLE_IN_STORY),
        {"event"},
        "lore",
        "The subject takes part in the event.",
        inverse=("has_participant", "has participant"),
        wikidata="P1344",
        exact_match=True,
    ),
    _rel(
        "victim_of",
        "victim of",
        set(_PEOPLE_IN_STORY),
        {"event"},
        "lore",
        "The subject suffers the event.",
        inverse=("has_victim", "has victim"),
    ),
    _rel(
        "perpetrator_of",
        "perpetrator of",
        set(_PEOPLE_IN_STORY),
        {"event"},
        "lore",
        "The subject carries out the event.",
        inverse=("perpetrated_by", "perpetrated by"),
    ),
    _rel(
        "causes",
        "causes",
        {"event"},
        {"event"},
        "lore",
        "The subject event leads to the object event (and so happens before it).",
        inverse=("caused_by", "caused by"),
        chronology="before",
        wikidata="P1542",
        exact_match=True,
    ),
    _rel(
        "set_after",
        "set after",
        set(_STORY_TIME),
        set(_STORY_TIME),
        "lore",
        "In story time, the subject happens after the object.",
        inverse=("set_before", "set before"),
        chronology="after",
    ),
    _rel(
        "during",
        "during",
        {"event", "work"},
        set(_STORY_TIME),
        "lore",
        "In story time, the subject event (or episode) happens within the object work or event.",
        inverse=("encloses", "encloses"),
        chronology="during",
    ),
    _rel(
        "dies_in",
        "dies in",
        {"character"},
        set(_STORY_TIME),
        "lore",
        "The character dies in the event or work; from then on the character is dead.",
        inverse=("death_of", "death of"),
    ),
    _rel(
        "killed_by",
        "killed by",
        {"character"},
        {"character"},
        "lore",
        "The subject is killed by the object character.",
        inverse=("kills", "kills"),
        wikidata="P157",
        exact_match=True,
    ),
    _rel(
        "spouse",
        "spouse of",
        {"character"},
        {"character"},
        "lore",
        "The two are married to each other.",
        wikidata="P26",
        schema_org="spouse",
        exact_match=True,
    ),
    _rel(
        "sibling",
        "sibling of",
        {"character"},
        {"character"},
        "lore",
        "The two are brother or sister to each other.",
        wikidata="P3373",
        schema_org="sibling",
        exact_match=True,
    ),
    _rel(
        "friend_of",
        "friend of",
        {"character"},
        {"character"},
        "lore",
        "The two are friends.",
    ),
    _rel(
        "manages",
        "manages",
        {"character"},
        {"place", "faction"},
        "lore",
        "The subject runs the place or institution, such as a hotel, as its manager.",
        inverse=("managed_by", "managed by"),
    ),
    _rel(
        "works_at",
        "works at",
        {"character"},
        {"place"},
        "lore",
        "The subject is on the staff of the place, such as a hotel's concierge.",
        inverse=("workplace_of", "workplace of"),
    ),
    _rel(
        "owes_marker_to",
        "owes a marker to",
        {"character"},
        {"character"},
        "lore",
        "The subject is bound by a blood oath marker that the object holds and may call in.",
        inverse=("holds_marker_of", "holds a marker of"),
    ),
    _rel(
        "owns",
        "owns",
        {"character", "faction"},
        {"character", "place", "concept"},
        "lore",
        "The subject owns the object: a dog (a character too), a building, a thing.",
        inverse=("owned_by", "owned by"),
        wikidata="P1830",
        schema_org="owns",
    ),
    _rel(
        "has_status",
        "has status",
        {"character", "faction"},
        {"concept"},
        "lore",
        "The subject stands under the status, such as excommunicado.",
        inverse=("status_of", "status of"),
    ),
    _rel(
        "appears_in",
        "appears in",
        set(FICTIONAL_KINDS),
        {"work"},
        "lore",
        "The subject is shown or named in the work.",
        inverse=("features", "features"),
        path_cost=1.5,
        wikidata="P1441",
        inverse_schema_org="character",
        exact_match=True,
    ),
    # --- production: the real world of the works ----------------------------
    _rel(
        "portrayed_by",
        "portrayed by",
        {"character"},
        {"person"},
        "production",
        "The real person plays the character.",
        inverse=("plays", "plays"),
        schema_org="actor",
    ),
    _rel(
        "protagonist_of",
        "protagonist of",
        {"character"},
        {"work"},
        "production",
        "The character is the work's lead.",
        inverse=("has_protagonist", "has protagonist"),
    ),
    _rel(
        "directed_by",
        "directed by",
        {"work"},
        {"person"},
        "production",
        "The real person directed the work.",
        inverse=("directed", "directed"),
        wikidata="P57",
        schema_org="director",
        exact_match=True,
    ),
    _rel(
        "written_by",
        "written by",
        {"work"},
        {"person"},
        "production",
        "The real person wrote the work's screenplay or story, as credited.",
        inverse=("wrote", "wrote"),
        wikidata="P58",
        schema_org="author",
    ),
    _rel(
        "music_by",
        "music by",
        {"work"},
        {"person"},
        "production",
        "The real person composed the work's score.",
        inverse=("composed_music_for", "composed music for"),
        wikidata="P86",
        schema_org="musicBy",
        exact_match=True,
    ),
    _rel(
        "part_of_franchise",
        "part of franchise",
        {"work"},
        {"work"},
        "production",
        "The work belongs to the franchise.",
        inverse=("includes_work", "includes work"),
        wikidata="P179",
        schema_org="isPartOf",
    ),
    # Production only: that an episode also lies within its series in story
    # time is its own lore statement, ``during``. Wikidata's "part of the
    # series" (P179) is already part_of_franchise's: the Wikidata import maps
    # each property to one predicate.
    _rel(
        "episode_of",
        "episode of",
        {"work"},
        {"work"},
        "production",
        "The work is an episode (or night, or part) of the series.",
        inverse=("has_episode", "has episode"),
        schema_org="partOfSeries",
        inverse_schema_org="episode",
        exact_match=True,
    ),
    _rel(
        "spin_off_of",
        "spin-off of",
        {"work"},
        {"work"},
        "production",
        "The work branches off the object's storyline or franchise.",
        inverse=("has_spin_off", "has spin-off"),
    ),
    # --- reception: what critics say --------------------------------------
    _rel(
        "reviews",
        "reviews",
        {"source"},
        {"work"},
        "reception",
        "The source is a critical review of the work.",
        inverse=("reviewed_by", "reviewed by"),
        schema_org="itemReviewed",
        exact_match=True,
    ),
)

RELATIONS: Mapping[str, RelationKind] = MappingProxyType({k.name: k for k in _KINDS})
"""Every predicate, by its name."""

_INVERSES: Mapping[str, str] = MappingProxyType(
    {k.inverse: k.name for k in _KINDS if k.inverse is not None}
)


def resolve_predicate(name: str) -> tuple[str, bool]:
    """Map a predicate as written to its registry name.

    Returns ``(name, flipped)``: ``flipped`` is true when ``name`` is the
    inverse reading, so subject and object must swap.

    Raises
    ------
    KeyError
        When ``name`` is neither a predicate nor an inverse reading.
    """
    if name in RELATIONS:
        return name, False
    return _INVERSES[name], True


def predicate_names() -> list[str]:
    """Every name accepted in data files: predicates and inverse readings."""
    return sorted([*RELATIONS, *_INVERSES])
