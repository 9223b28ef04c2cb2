"""The lorekit vocabulary: namespace IRIs, terms, and how model fields map to RDF.

Everything the ontology, the shapes, the JSON-LD context, the export and the
import say about RDF terms is derived here from two sources only: the
relation registry (one property per predicate) and the pydantic models (one
property per field). A new optional field or a new predicate needs no change
here.

Stable IRIs
-----------
========================  ===================================================
ontology terms            ``https://w3id.org/lorekit/ontology#`` (``lore:``)
SHACL shapes              ``https://w3id.org/lorekit/shapes#`` (``shape:``)
a universe                ``https://w3id.org/lorekit/universe/{universe-id}/``
an entity                 ``{universe}{entity-id}``
a statement               ``{universe}{subject}.{predicate}.{object}``
a note                    ``{universe}note.{note-id}``
========================  ===================================================

Ids are slugs (``[a-z0-9-]``) and never hold a dot, so the three kinds of
record IRI cannot collide.

Importing this module imports rdflib; the rest of lorekit imports it lazily.

Examples
--------
>>> LORE.Character
rdflib.term.URIRef('https://w3id.org/lorekit/ontology#Character')
>>> term("member_of")
rdflib.term.URIRef('https://w3id.org/lorekit/ontology#member_of')
>>> LORE.memberof
Traceback (most recent call last):
...
AttributeError: term 'memberof' not in namespace 'https://w3id.org/lorekit/ontology#'
>>> field_spec(Statement, "revealed_in").kind
'ref'
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast, get_args, get_origin

from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD, DefinedNamespace

# The kinds of the story world (one table) and which kinds a reference field may
# name (the model's Ref marks, which the loader's checks read too): re-exported.
from .._core.kinds import FICTIONAL_KINDS as FICTIONAL_KINDS
from .._core.model import (
    ENTITY_MODELS,
    SLUG_PATTERN,
    Citation,
    Note,
    Statement,
    UniverseInfo,
)
from .._core.model import REF_KINDS as REF_KINDS
from .._core.model import walk_annotation as _walk
from .._core.relations import RELATIONS, EntityKind

__all__ = [
    "CONTEXT_URL",
    "DATA_NS",
    "DERIVED_PROPERTIES",
    "LORE",
    "LORE_NS",
    "ONTOLOGY_IRI",
    "SHAPE",
    "WD",
    "WDT",
    "FieldSpec",
    "bind_prefixes",
    "class_iri",
    "field_spec",
    "record_fields",
    "term",
]

ONTOLOGY_IRI = "https://w3id.org/lorekit/ontology"
"""The IRI of the lorekit ontology itself."""
LORE_NS = ONTOLOGY_IRI + "#"
"""Namespace of the ontology's classes and properties."""
SHAPES_NS = "https://w3id.org/lorekit/shapes#"
"""Namespace of the generated SHACL shapes."""
DATA_NS = "https://w3id.org/lorekit/universe/"
"""Prefix of every universe's IRIs: ``DATA_NS + universe-id + "/"``."""
CONTEXT_URL = "https://w3id.org/lorekit/context.jsonld"
"""Where the JSON-LD context is published (a copy ships with lorekit)."""

WD = Namespace("http://www.wikidata.org/entity/")
"""Wikidata items (open: any ``Q`` id of an entity's ``wikidata`` field)."""
WDT = Namespace("http://www.wikidata.org/prop/direct/")
"""Wikidata direct properties, as used in Wikidata's SPARQL service."""
SHAPE = Namespace(SHAPES_NS)
"""Generated shape IRIs; their names come from kinds, fields and predicates."""

RECORD_MODELS: tuple[type[BaseModel], ...] = (
    UniverseInfo,
    *ENTITY_MODELS.values(),
    Statement,
    Note,
)
"""Models that become RDF nodes with an IRI of their own."""

# Fields stored with a standard term rather than a lorekit one, by field name.
FIELD_IRIS: Mapping[str, URIRef] = {
    "name": RDFS.label,
    "aliases": SKOS.altLabel,
    "description": RDFS.comment,
    "sources": PROV.qualifiedDerivation,
    "source": PROV.entity,
    "wikidata": OWL.sameAs,
    "subject": RDF.subject,
    "predicate": RDF.predicate,
    "object": RDF.object,
}

# Nested models stored with a standard class.
_NESTED_CLASSES: Mapping[type[BaseModel], URIRef] = {Citation: PROV.Derivation}

FieldKind = Literal[
    "ref", "text", "choice", "date", "int", "float", "bool", "model", "wikidata", "predicate"
]

_DATATYPES: Mapping[str, URIRef] = {
    "text": XSD.string,
    "choice": XSD.string,
    "date": XSD.date,
    "int": XSD.integer,
    "float": XSD.decimal,  # reads as 2.5 in Turtle; exact for every finite float
    "bool": XSD.boolean,
}


@dataclass(frozen=True)
class FieldSpec:
    """How one model field is written in RDF.

    Attributes
    ----------
    name
        The field's name in the model (and its JSON-LD term).
    prop
        The property that carries it.
    kind
        ``ref`` (an entity id, written as its IRI), a literal kind (``text``,
        ``choice``, ``date``, ``int``, ``float``, ``bool``), ``model`` (a
        nested node), ``wikidata`` (an item IRI) or ``predicate``.
    many
        Whether the field is a tuple (several values, no order in RDF).
    required
        Whether a record must have it (at least one value for a tuple).
    choices
        The allowed values of a ``choice`` field.
    nested
        The model of a ``model`` field.
    doc
        The field's docstring.
    """

    name: str
    prop: URIRef
    kind: FieldKind
    many: bool
    required: bool
    choices: tuple[str, ...] = ()
    nested: type[BaseModel] | None = None
    doc: str | None = None

    @property
    def datatype(self) -> URIRef | None:
        """The XSD datatype of a literal field, else ``None``."""
        return _DATATYPES.get(self.kind)


def _classify(name: str, info: FieldInfo) -> tuple[FieldKind, tuple[str, ...], Any]:
    parts = [*_walk(info.annotation), *info.metadata]
    if name == "predicate":
        return "predicate", (), None
    if name == "wikidata":
        return "wikidata", (), None
    if any(isinstance(p, StringConstraints) and p.pattern == SLUG_PATTERN for p in parts):
        return "ref", (), None
    for part in parts:
        if get_origin(part) is Literal:
            return "choice", tuple(str(a) for a in get_args(part)), None
        if isinstance(part, type) and issubclass(part, BaseModel):
            return "model", (), part
    for part in parts:
        if part is bool:
            return "bool", (), None
        if part is int:
            return "int", (), None
        if part is float:
            return "float", (), None
        if part is dt.date:
            return "date", (), None
        if part is str:
            return "text", (), None
    raise TypeError(f"no RDF mapping for field {name!r} of type {info.annotation!r}")


def _many(info: FieldInfo) -> bool:
    return any(get_origin(p) is tuple for p in _walk(info.annotation))


@cache
def record_fields(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The fields of ``model`` as RDF maps them: all but ``id`` and ``kind``.

    Examples
    --------
    >>> [f.name for f in record_fields(Note)]
    ['about', 'text', 'sources', 'layer', 'revealed_in']
    """
    specs = []
    for name, info in model.model_fields.items():
        if name in ("id", "kind"):
            continue
        kind, choices, nested = _classify(name, info)
        many = _many(info)
        required = info.is_required() and not (
            many and not any(getattr(m, "min_length", 0) for m in info.metadata)
        )
        prop = FIELD_IRIS.get(name) or URIRef(LORE_NS + name)
        text = (info.description or "").split("\n\n")[0].replace("``", "")
        doc = " ".join(text.split()) or None
        specs.append(FieldSpec(name, prop, kind, many, required, choices, nested, doc))
    return tuple(specs)


def field_spec(model: type[BaseModel], name: str) -> FieldSpec:
    """One field of :func:`record_fields`."""
    for spec in record_fields(model):
        if spec.name == name:
            return spec
    raise KeyError(name)


def nested_models() -> list[type[BaseModel]]:
    """Every model that appears nested in a record (citations, ratings), in a stable order."""
    found: dict[str, type[BaseModel]] = {}
    todo = list(RECORD_MODELS)
    while todo:
        for spec in record_fields(todo.pop(0)):
            if spec.nested is not None and spec.nested.__name__ not in found:
                found[spec.nested.__name__] = spec.nested
                todo.append(spec.nested)
    return list(found.values())


def class_iri(model: type[BaseModel]) -> URIRef:
    """The RDF class of a record or nested model.

    Examples
    --------
    >>> class_iri(UniverseInfo)
    rdflib.term.URIRef('https://w3id.org/lorekit/ontology#Universe')
    """
    if model is UniverseInfo:
        return URIRef(LORE_NS + "Universe")
    return _NESTED_CLASSES.get(model) or URIRef(LORE_NS + model.__name__)


def kind_of_class(iri: URIRef) -> EntityKind | None:
    """The entity kind whose class is ``iri``, if any."""
    for kind, model in ENTITY_MODELS.items():
        if class_iri(model) == iri:
            return kind
    return None


def inverse_names() -> dict[str, str]:
    """Inverse reading → predicate, for every predicate that has one."""
    return {k.inverse: k.name for k in RELATIONS.values() if k.inverse is not None}


def _generated_terms() -> list[str]:
    """Every lorekit term derived from the registry and the models."""
    terms = {*RELATIONS, *inverse_names()}
    for model in (*ENTITY_MODELS.values(), *nested_models()):
        iri = class_iri(model)
        if iri.startswith(LORE_NS):
            terms.add(iri[len(LORE_NS) :])
    for model in (*RECORD_MODELS, *nested_models()):
        terms |= {s.name for s in record_fields(model) if s.name not in FIELD_IRIS}
    return sorted(terms)


def lore_terms() -> list[str]:
    """Every term of the lorekit namespace."""
    return sorted({*LORE.__annotations__, *LORE._extras})


class LORE(DefinedNamespace):
    """The lorekit ontology: a class per entity kind, a property per predicate
    and per model field. A name that is not a term raises ``AttributeError``."""

    _NS = Namespace(LORE_NS)
    _fail = True
    _extras = _generated_terms()

    Entity: URIRef  # any entity of a universe
    Universe: URIRef  # a universe: what its entity IRIs start with
    Statement: URIRef  # a reified statement, carrying its provenance
    Note: URIRef  # a remark about entities that is not a relation
    follows: URIRef  # release order: the previous work of the same form (derived)
    followed_by: URIRef  # release order: the next work of the same form (derived)
    from_universe: URIRef  # an in-story entity's universe (derived)
    storyRank: URIRef  # a story point's place in a linear extension of story order (derived)
    storyPrecedes: URIRef  # story point strictly before another: edges of the order (derived)
    storyPosition: URIRef  # a work's count of works strictly before it in story order (derived)
    storyOutermost: URIRef  # the outermost work or event a story point lies within (derived)
    storyStage: URIRef  # the stage of a story point: different stages are ordered by it (derived)


DERIVED_PROPERTIES: tuple[URIRef, ...] = (
    PROV.wasDerivedFrom,
    LORE.from_universe,
    LORE.follows,
    LORE.followed_by,
    LORE.storyRank,
    LORE.storyPrecedes,
    LORE.storyPosition,
    LORE.storyOutermost,
    LORE.storyStage,
)
"""Properties an export derives from the data (release and story order, the
universe link): the reader skips them, and the shapes need not check them."""


# Extra schema.org types of instances, by kind and, optionally, a field value.
SCHEMA_TYPES: Mapping[tuple[EntityKind, str | None, str | None], URIRef] = {
    ("person", None, None): SDO.Person,
    ("work", "form", "film"): SDO.Movie,
    ("work", "form", "short"): SDO.Movie,
    ("work", "form", "franchise"): SDO.MovieSeries,
    ("work", "form", "series"): SDO.TVSeries,
    ("work", "form", "episode"): SDO.TVEpisode,
    ("work", "form", "game"): SDO.VideoGame,
    ("work", "form", "book"): SDO.Book,
    ("work", "form", "comic"): SDO.ComicStory,
    ("source", "category", "review"): SDO.Review,
}

PREFIXES: Mapping[str, str] = {
    "lore": LORE_NS,
    "shape": SHAPES_NS,
    "prov": str(PROV),
    "schema": str(SDO),
    "skos": str(SKOS),
    "owl": str(OWL),
    "sh": str(SH),
    "wd": str(WD),
    "wdt": str(WDT),
}


def parsed_turtle(text: str) -> Graph:
    """A fresh rdflib graph of ``text``, with lorekit's prefixes bound."""
    graph = Graph(bind_namespaces="core")
    bind_prefixes(graph)
    graph.parse(data=text, format="turtle")
    return graph


def bind_prefixes(graph: Graph, *, base: str | None = None, universe_id: str | None = None) -> None:
    """Bind lorekit's prefixes (and the universe's, named after its id) on ``graph``."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri))
    if base is not None and universe_id is not None:
        graph.bind(universe_prefix(universe_id), Namespace(base))


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence what rdflib says about itself while lorekit calls it.

    rdflib logs a traceback for each ill-typed literal (lorekit reports those
    itself, with the record) and its own serializers and parsers call APIs it
    has deprecated; neither is the user's business.
    """
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
            warnings.filterwarnings(
                "ignore", message=".*(ConjunctiveGraph|Dataset)", category=DeprecationWarning
            )
            yield
    finally:
        logger.setLevel(level)


def turtle(graph: Graph, top: Iterable[URIRef], *, trig: bool = False) -> str:
    """Turtle (or TriG) listing the members of the ``top`` classes first, in that order."""
    from rdflib.plugins.serializers.trig import TrigSerializer
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    with quiet_rdflib():
        serializer = TrigSerializer(graph) if trig else TurtleSerializer(graph)
        serializer.topClasses = list(top)
        out = io.BytesIO()
        serializer.serialize(out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def universe_prefix(universe_id: str) -> str:
    """The Turtle prefix of a universe's IRIs: its id when that is a valid prefix.

    Examples
    --------
    >>> universe_prefix("john-wick"), universe_prefix("2077")
    ('john-wick', 'u')
    """
    if universe_id[0].isalpha() and universe_id not in PREFIXES:
        return universe_id
    return "u"


def universe_base(universe_id: str) -> str:
    """The IRI of a universe, which its records' IRIs start with."""
    return f"{DATA_NS}{universe_id}/"


def entity_iri(base: str, ident: str) -> URIRef:
    return URIRef(base + ident)


def statement_iri(base: str, key: tuple[str, str, str]) -> URIRef:
    return URIRef(base + ".".join(key))


def note_iri(base: str, ident: str) -> URIRef:
    return URIRef(f"{base}note.{ident}")


def term(name: str) -> URIRef:
    """The lorekit term ``name``; a name that is not a term raises ``AttributeError``.

    Examples
    --------
    >>> term("member_of")
    rdflib.term.URIRef('https://w3id.org/lorekit/ontology#member_of')
    """
    return cast(URIRef, getattr(LORE, name))


def entity_classes() -> dict[URIRef, EntityKind]:
    """Class IRI → entity kind."""
    return {class_iri(m): k for k, m in ENTITY_MODELS.items()}


def field_owner_models() -> dict[str, list[type[BaseModel]]]:
    """Field name → the models that have it, records first, in a stable order."""
    owners: dict[str, list[type[BaseModel]]] = {}
    for model in (*RECORD_MODELS, *nested_models()):
        for spec in record_fields(model):
            owners.setdefault(spec.name, []).append(model)
    return owners
