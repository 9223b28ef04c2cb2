"""The lorekit ontology (OWL/RDFS), generated from the registry and the models.

One class per entity kind, one object property per predicate and per inverse
reading (``rdfs:label``, ``rdfs:comment``, ``rdfs:domain``, ``rdfs:range``,
``owl:inverseOf``, ``owl:SymmetricProperty``, ``owl:TransitiveProperty``),
one property per model field with its field docstring as ``rdfs:comment``.

Outside vocabularies are aligned with SKOS mapping properties only
(``skos:exactMatch`` / ``skos:closeMatch``), never ``owl:equivalentClass``: a
fictional character is not a person of the real world. Wikidata and
schema.org terms come from the registry (predicates) and from the tables
below (classes and fields).

A copy ships as ``lorekit/vocab/lorekit.ttl``; ``lorekit ontology`` writes it.

Examples
--------
>>> from rdflib.namespace import OWL, RDFS
>>> g = ontology()
>>> (LORE.member_of, OWL.inverseOf, LORE.has_member) in g
True
>>> (LORE.ally_of, RDF.type, OWL.SymmetricProperty) in g
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from pydantic import BaseModel
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from .._core.model import ENTITY_MODELS, Note, Statement, UniverseInfo
from .._core.relations import RELATIONS, EntityKind, RelationKind
from .vocab import (
    FICTIONAL_KINDS,
    LORE,
    ONTOLOGY_IRI,
    REF_KINDS,
    WD,
    WDT,
    FieldSpec,
    bind_prefixes,
    class_iri,
    field_owner_models,
    nested_models,
    parsed_turtle,
    record_fields,
    term,
    turtle,
)

__all__ = ["ONTOLOGY_FILE", "ontology", "ontology_turtle"]

ONTOLOGY_FILE = Path(__file__).parents[1] / "vocab" / "lorekit.ttl"
"""The shipped copy of the ontology."""

_Match = tuple[URIRef, bool]  # (outside term, exact?)

# Classes of the model aligned to outside vocabularies: (term, exact?).
CLASS_MATCHES: Mapping[str, tuple[_Match, ...]] = {
    "character": ((WD.Q95074, True),),  # fictional character
    "faction": ((WD.Q14623646, False),),  # fictional organization
    "place": ((WD.Q3895768, False),),  # fictional location
    "work": ((SDO.CreativeWork, False),),
    "source": ((SDO.CreativeWork, False),),
    "person": ((SDO.Person, True),),
    "Universe": ((WD.Q559618, False), (WD.Q196600, False)),  # fictional universe, franchise
    "Rating": ((SDO.Rating, True),),
}

# Model fields aligned to outside vocabularies, by field name.
FIELD_MATCHES: Mapping[str, tuple[_Match, ...]] = {
    "first_appearance": ((WDT.P4584, True),),
    "release_date": ((WDT.P577, True), (SDO.datePublished, False)),
    "born": ((WDT.P569, True), (SDO.birthDate, True)),
    "died": ((WDT.P570, True), (SDO.deathDate, True)),
    "author": ((SDO.author, False),),
    "published": ((SDO.datePublished, True),),
    "url": ((SDO.url, True),),
    "rating": ((SDO.reviewRating, True),),
    "value": ((SDO.ratingValue, True),),
    "best": ((SDO.bestRating, True),),
}

_INTERVALS = (
    "Story time is a partial order of intervals: every work and event spans one, an "
    "event during a work lies within it, and A set_after B puts the end of B strictly "
    "before the start of A (lore:storyPrecedes, lore:storyRank, lore:storyStage)."
)
# What a field's docstring leaves to the ontology: the semantics behind it.
_FIELD_NOTES: Mapping[str, str] = {
    "since": f"{_INTERVALS} At a point P the statement does not hold when P ends strictly "
    "before since starts; it holds when the order proves that since starts no later than "
    "P ends (overlap counts); otherwise whether it holds is not determined.",
    "until": f"{_INTERVALS} At a point P the statement does not hold when until ends "
    "strictly before P starts; it holds when the order proves that P starts no later than "
    "until ends (overlap counts); otherwise whether it holds is not determined.",
}

# Properties the export derives (never read back): (label, comment, matches).
_DERIVED: Mapping[str, tuple[str, str, tuple[_Match, ...]]] = {
    "follows": (
        "follows",
        "Release order, derived on export: the work released just before this "
        "one among the universe's works of the same form.",
        ((WDT.P155, True),),
    ),
    "followed_by": (
        "followed by",
        "Release order, derived on export: the work released just after this "
        "one among the universe's works of the same form.",
        ((WDT.P156, True),),
    ),
    "storyRank": (
        "story rank",
        "Story order, derived on export: the place of this work or event in a linear "
        "extension of story order (the order lorekit's timeline lists the points in). A "
        "point strictly before another has a smaller rank; a smaller rank alone says "
        "nothing about order: two points may be unordered whatever their ranks.",
        (),
    ),
    "storyPrecedes": (
        "story precedes",
        "Story order, derived on export: this work or event ends strictly before that one "
        "starts. The transitive closure of these edges is exactly strictly-before.",
        (),
    ),
    "storyPosition": (
        "story position",
        "Story order, derived on export: how many works story time puts strictly before "
        "this work (by the transitive closure of lore:storyPrecedes). Works with the same "
        "position are not ordered against each other by it; it lets a query sort works "
        "in story order without walking the order's chains. Only works that lie within "
        "no other work have one, and only they are counted: an episode during its series "
        "takes its place within the series.",
        (),
    ),
    "storyOutermost": (
        "story outermost",
        "Story order, derived on export: the outermost work or event this work or event "
        "lies within by lore:during (itself when it lies within none). Points with "
        "different outermost points are ordered as those are; within one, only the "
        "story-order statements between its items order them (as lore:storyPrecedes "
        "edges between the items, already transitively closed).",
        (),
    ),
    "storyStage": (
        "story stage",
        "Story order, derived on export: the stage of this work or event's "
        "lore:storyOutermost point. An outermost point that story time orders against "
        "every other is a milestone; the k-th milestone (from 0) has stage 2k+1, and "
        "the outermost points after k milestones and before the next have stage 2k. A "
        "point of a smaller stage ends strictly before a point of a larger stage starts: "
        "different stages are exactly that order. Points of one stage with different "
        "outermost points may or may not be ordered (only the lore:storyPrecedes edges "
        "tell); points with one outermost point share its stage.",
        (),
    ),
    "from_universe": (
        "from universe",
        "The universe an in-story entity belongs to, derived on export.",
        ((WDT.P1080, True),),
    ),
}


def _label(name: str) -> Literal:
    return Literal(name.replace("_", " "), lang="en")


def _text(text: str) -> Literal:
    return Literal(text, lang="en")


class _Builder:
    def __init__(self) -> None:
        self.g = Graph(bind_namespaces="core")
        bind_prefixes(self.g)
        self.entity_classes = {k: class_iri(m) for k, m in ENTITY_MODELS.items()}

    def bnode(self, *parts: str) -> BNode:
        return BNode("o" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16])

    def classes_of(self, kinds: Iterable[EntityKind], key: str) -> Node:
        """One class, or the union of several, as a domain or a range."""
        return self.union([self.entity_classes[k] for k in kinds], key)

    def union(self, classes: Iterable[URIRef], key: str) -> Node:
        members = sorted(set(classes))
        if set(members) == set(self.entity_classes.values()):
            return LORE.Entity
        if len(members) == 1:
            return members[0]
        union = self.bnode("union", key)
        self.g.add((union, RDF.type, OWL.Class))
        head: Node = RDF.nil
        for i, member in reversed(list(enumerate(members))):
            cell = self.bnode("list", key, str(i))
            self.g.add((cell, RDF.first, member))
            self.g.add((cell, RDF.rest, head))
            head = cell
        self.g.add((union, OWL.unionOf, head))
        return union

    def matches(self, term: URIRef, matches: Iterable[_Match]) -> None:
        for outside, exact in matches:
            self.g.add((term, SKOS.exactMatch if exact else SKOS.closeMatch, outside))

    def build(self) -> Graph:
        g = self.g
        onto = URIRef(ONTOLOGY_IRI)
        g.add((onto, RDF.type, OWL.Ontology))
        g.add((onto, RDFS.label, _text("lorekit ontology")))
        g.add(
            (
                onto,
                RDFS.comment,
                _text(
                    "Franchise lore as a typed graph: entities of the story world and of "
                    "the real world, statements with their sources and layer (lore, "
                    "production, reception), and notes. Generated from lorekit's "
                    "relation registry and data model."
                ),
            )
        )
        self.structure()
        for kind, model in ENTITY_MODELS.items():
            cls = class_iri(model)
            self.a_class(cls, kind, model.__doc__ or kind)
            g.add((cls, RDFS.subClassOf, LORE.Entity))
            self.matches(cls, CLASS_MATCHES.get(kind, ()))
        for nested in nested_models():
            cls = class_iri(nested)
            if cls.startswith(str(LORE)):
                self.a_class(cls, nested.__name__.lower(), nested.__doc__ or nested.__name__)
                self.matches(cls, CLASS_MATCHES.get(nested.__name__, ()))
        for relation in RELATIONS.values():
            self.relation(relation)
        for name, models in field_owner_models().items():
            spec = next(s for s in record_fields(models[0]) if s.name == name)
            if spec.prop.startswith(str(LORE)):
                self.field(spec, models)
        for name, (label, comment, matches) in _DERIVED.items():
            prop = term(name)
            is_data = name in ("storyRank", "storyPosition", "storyStage")
            g.add((prop, RDF.type, OWL.DatatypeProperty if is_data else OWL.ObjectProperty))
            g.add((prop, RDFS.label, _text(label)))
            g.add((prop, RDFS.comment, _text(comment)))
            self.matches(prop, matches)
        work = self.entity_classes["work"]
        for name in ("follows", "followed_by"):
            g.add((term(name), RDFS.domain, work))
            g.add((term(name), RDFS.range, work))
        g.add((LORE.follows, OWL.inverseOf, LORE.followed_by))
        g.add((LORE.followed_by, OWL.inverseOf, LORE.follows))
        fictional = self.classes_of(FICTIONAL_KINDS, "from_universe")
        g.add((LORE.from_universe, RDFS.domain, fictional))
        g.add((LORE.from_universe, RDFS.range, class_iri(UniverseInfo)))
        points = self.classes_of(("work", "event"), "story point")
        g.add((LORE.storyRank, RDFS.domain, points))
        g.add((LORE.storyRank, RDFS.range, XSD.integer))
        g.add((LORE.storyPrecedes, RDFS.domain, points))
        g.add((LORE.storyPrecedes, RDFS.range, points))
        g.add((LORE.storyOutermost, RDFS.domain, points))
        g.add((LORE.storyOutermost, RDFS.range, points))
        g.add((LORE.storyStage, RDFS.domain, points))
        g.add((LORE.storyStage, RDFS.range, XSD.integer))
        g.add((LORE.storyPosition, RDFS.domain, work))
        g.add((LORE.storyPosition, RDFS.range, XSD.integer))
        return g

    def a_class(self, cls: URIRef, label: str, doc: str) -> None:
        self.g.add((cls, RDF.type, OWL.Class))
        self.g.add((cls, RDFS.label, _label(label)))
        self.g.add((cls, RDFS.comment, _text(" ".join(doc.split("\n\n")[0].split()))))

    def structure(self) -> None:
        g = self.g
        self.a_class(LORE.Entity, "entity", "Anything a universe holds an id for.")
        self.a_class(
            class_iri(UniverseInfo),
            "universe",
            "A universe: its IRI is what the IRIs of its records start with.",
        )
        self.matches(class_iri(UniverseInfo), CLASS_MATCHES["Universe"])
        self.a_class(
            class_iri(Statement),
            "statement",
            "A statement of the lore graph with its provenance (RDF reification): "
            "rdf:subject, rdf:predicate and rdf:object repeat the plain triple.",
        )
        g.add((class_iri(Statement), RDFS.subClassOf, RDF.Statement))
        self.a_class(class_iri(Note), "note", Note.__doc__ or "note")

    def relation(self, kind: RelationKind) -> None:
        g = self.g
        prop = term(kind.name)
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, _text(kind.label)))
        g.add((prop, RDFS.comment, _text(f"{kind.description} Layer: {kind.layer}.")))
        g.add((prop, RDFS.domain, self.classes_of(kind.domain, f"{kind.name}.domain")))
        g.add((prop, RDFS.range, self.classes_of(kind.range, f"{kind.name}.range")))
        if kind.symmetric:
            g.add((prop, RDF.type, OWL.SymmetricProperty))
        if kind.transitive:
            g.add((prop, RDF.type, OWL.TransitiveProperty))
        outside: list[_Match] = []
        if kind.wikidata:
            outside.append((WDT[kind.wikidata], kind.exact_match))
        if kind.schema_org:
            outside.append((SDO[kind.schema_org], kind.exact_match))
        self.matches(prop, outside)
        if kind.inverse is None:
            return
        inverse = term(kind.inverse)
        g.add((prop, OWL.inverseOf, inverse))
        g.add((inverse, RDF.type, OWL.ObjectProperty))
        g.add((inverse, OWL.inverseOf, prop))
        g.add((inverse, RDFS.label, _text(kind.inverse_label or kind.inverse)))
        g.add(
            (
                inverse,
                RDFS.comment,
                _text(f"The inverse reading of {kind.label}: {kind.description}"),
            )
        )
        g.add((inverse, RDFS.domain, self.classes_of(kind.range, f"{kind.inverse}.domain")))
        g.add((inverse, RDFS.range, self.classes_of(kind.domain, f"{kind.inverse}.range")))
        if kind.transitive:
            g.add((inverse, RDF.type, OWL.TransitiveProperty))
        if kind.inverse_schema_org:
            self.matches(inverse, [(SDO[kind.inverse_schema_org], False)])

    def field(self, spec: FieldSpec, models: list[type[BaseModel]]) -> None:
        g = self.g
        prop = spec.prop
        is_object = spec.kind in ("ref", "model")
        g.add((prop, RDF.type, OWL.ObjectProperty if is_object else OWL.DatatypeProperty))
        g.add((prop, RDFS.label, _label(spec.name)))
        if spec.doc:
            note = _FIELD_NOTES.get(spec.name)
            g.add((prop, RDFS.comment, _text(spec.doc if note is None else f"{spec.doc} {note}")))
        g.add((prop, RDFS.domain, self.union(map(class_iri, models), f"{spec.name}.domain")))
        if spec.kind == "ref":
            kinds = REF_KINDS.get(spec.name, tuple(ENTITY_MODELS))
            g.add((prop, RDFS.range, self.classes_of(kinds, f"{spec.name}.range")))
        elif spec.kind == "model" and spec.nested is not None:
            g.add((prop, RDFS.range, class_iri(spec.nested)))
        elif spec.datatype is not None:
            g.add((prop, RDFS.range, spec.datatype))
        self.matches(prop, FIELD_MATCHES.get(spec.name, ()))


@cache
def ontology_turtle() -> str:
    """The ontology as Turtle: what ``lorekit ontology`` writes and lorekit ships."""
    return turtle(_Builder().build(), (OWL.Ontology,))


def ontology() -> Graph:
    """The lorekit ontology as an rdflib graph (a fresh copy each call)."""
    return parsed_turtle(ontology_turtle())
