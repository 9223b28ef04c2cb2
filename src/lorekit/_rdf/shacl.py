"""SHACL shapes generated from the registry and the models, and validation with pySHACL.

One closed node shape per entity kind (its fields, the predicates it may be
the subject of), one each for statements, notes, the universe, citations and
ratings, and for every predicate a shape on its subjects (the domain) and on
its objects (the range). Each property shape carries a message in words, so
a violation reads as ``john-wick:eve rdfs:label: a character needs exactly
one name, a text``.

A copy ships as ``lorekit/vocab/shapes.ttl``; ``lorekit shapes`` writes it and
``lorekit validate --shacl`` checks any RDF file against it.

Examples
--------
>>> from lorekit import load
>>> validate_shacl(load()).conforms
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, RDFS, SH
from rdflib.term import Node

from .._core.model import ENTITY_MODELS, Note, Statement, UniverseInfo
from .._core.relations import RELATIONS, EntityKind, RelationKind
from .vocab import (
    FICTIONAL_KINDS,
    LORE,
    REF_KINDS,
    SHAPE,
    WD,
    FieldSpec,
    bind_prefixes,
    class_iri,
    nested_models,
    parsed_turtle,
    record_fields,
    term,
    turtle,
)

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph

__all__ = ["SHAPES_FILE", "ShaclReport", "ShaclViolation", "shacl_shapes", "validate_shacl"]

SHAPES_FILE = Path(__file__).parents[1] / "vocab" / "shapes.ttl"
"""The shipped copy of the shapes."""

_WHAT = {
    "text": "a text",
    "choice": "one of {choices}",
    "date": "a date (xsd:date)",
    "int": "a whole number (xsd:integer)",
    "float": "a number (xsd:decimal)",
    "bool": "true or false",
    "wikidata": "a Wikidata item IRI such as wd:Q43416",
    "predicate": "a lorekit predicate",
}


def _kinds_text(kinds: Iterable[str]) -> str:
    names = sorted(kinds)
    if len(names) == len(ENTITY_MODELS):
        return "an entity"
    return " or ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in names)


class _Builder:
    def __init__(self) -> None:
        self.g = Graph(bind_namespaces="core")
        bind_prefixes(self.g)

    def bnode(self, *parts: str) -> BNode:
        return BNode("s" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16])

    def list_(self, items: Sequence[Node], key: str) -> Node:
        head = self.bnode("list", key)
        Collection(self.g, head, list(items))
        return head

    def classes(self, shape: Node, kinds: Sequence[EntityKind] | None, key: str) -> None:
        """``sh:class`` for one kind, ``sh:or`` of several, ``lore:Entity`` for all."""
        if kinds is None or set(kinds) == set(ENTITY_MODELS):
            self.g.add((shape, SH["class"], LORE.Entity))
            return
        if len(kinds) == 1:
            self.g.add((shape, SH["class"], class_iri(ENTITY_MODELS[kinds[0]])))
            return
        options = []
        for kind in sorted(kinds):
            option = self.bnode("or", key, kind)
            self.g.add((option, SH["class"], class_iri(ENTITY_MODELS[kind])))
            options.append(option)
        self.g.add((shape, SH["or"], self.list_(options, f"or {key}")))

    def node_shape(self, name: str, target: URIRef | None, label: str) -> URIRef:
        shape = SHAPE[name]
        self.g.add((shape, RDF.type, SH.NodeShape))
        self.g.add((shape, RDFS.label, Literal(label)))
        if target is not None:
            self.g.add((shape, SH.targetClass, target))
        return shape

    def close(self, shape: URIRef, ignored: Sequence[URIRef]) -> None:
        self.g.add((shape, SH.closed, Literal(True)))
        self.g.add((shape, SH.ignoredProperties, self.list_(ignored, f"ignored {shape}")))

    def field(self, owner: URIRef, owner_label: str, spec: FieldSpec) -> None:
        g = self.g
        shape = SHAPE[f"{owner[len(str(SHAPE)) :]}-{spec.name}"]
        g.add((owner, SH.property, shape))
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.path, spec.prop))
        g.add((shape, SH.name, Literal(spec.name)))
        if spec.doc:
            g.add((shape, SH.description, Literal(spec.doc)))
        if spec.required:
            g.add((shape, SH.minCount, Literal(1)))
        if not spec.many:
            g.add((shape, SH.maxCount, Literal(1)))
        key = f"{owner}-{spec.name}"
        if spec.kind == "ref":
            g.add((shape, SH.nodeKind, SH.IRI))
            kinds = REF_KINDS.get(spec.name)
            self.classes(shape, kinds, key)
            what = _kinds_text(kinds or ENTITY_MODELS)
        elif spec.kind == "model" and spec.nested is not None:
            g.add((shape, SH.node, SHAPE[spec.nested.__name__]))
            what = f"a {spec.nested.__name__.lower()} node"
        elif spec.kind == "wikidata":
            g.add((shape, SH.nodeKind, SH.IRI))
            g.add((shape, SH.pattern, Literal(f"^{str(WD).replace('.', '[.]')}Q[1-9][0-9]*$")))
            what = _WHAT["wikidata"]
        elif spec.kind == "predicate":
            g.add((shape, SH.nodeKind, SH.IRI))
            g.add((shape, SH["in"], self.list_([term(n) for n in RELATIONS], key)))
            what = _WHAT["predicate"]
        else:
            assert spec.datatype is not None
            g.add((shape, SH.datatype, spec.datatype))
            what = _WHAT[spec.kind].format(choices=", ".join(spec.choices))
            if spec.choices:
                g.add((shape, SH["in"], self.list_([Literal(c) for c in spec.choices], key)))
        count = (
            ("one or more values, each " if spec.required else "values, each ")
            if spec.many
            else ("exactly one value, " if spec.required else "at most one value, ")
        )
        path = self.g.namespace_manager.normalizeUri(spec.prop)
        message = f"{owner_label} {spec.name} ({path}): {count}{what}"
        g.add((shape, SH.message, Literal(message)))

    def record(
        self, model: type[BaseModel], name: str, label: str, target: URIRef | None
    ) -> URIRef:
        shape = self.node_shape(name, target, label)
        for spec in record_fields(model):
            self.field(shape, label, spec)
        return shape

    def relation_shapes(self, kind: RelationKind) -> None:
        g = self.g
        prop = term(kind.name)
        for end, kinds, target in (
            ("subject", kind.domain, SH.targetSubjectsOf),
            ("object", kind.range, SH.targetObjectsOf),
        ):
            shape = SHAPE[f"{kind.name}-{end}"]
            g.add((shape, RDF.type, SH.NodeShape))
            g.add((shape, target, prop))
            g.add((shape, SH.nodeKind, SH.IRI))
            self.classes(shape, sorted(kinds), f"{kind.name}-{end}")
            message = f"the {end} of {kind.name} ({kind.label}) must be {_kinds_text(kinds)}"
            g.add((shape, SH.message, Literal(message)))

    def build(self) -> Graph:
        for kind, model in ENTITY_MODELS.items():
            shape = self.record(model, model.__name__, kind, class_iri(model))
            for rel in RELATIONS.values():
                if kind in rel.domain or (rel.symmetric and kind in rel.range):
                    prop_shape = SHAPE[f"{model.__name__}-{rel.name}"]
                    self.g.add((shape, SH.property, prop_shape))
                    self.g.add((prop_shape, RDF.type, SH.PropertyShape))
                    self.g.add((prop_shape, SH.path, term(rel.name)))
                    self.g.add((prop_shape, SH.nodeKind, SH.IRI))
            derived = [PROV.wasDerivedFrom]
            if kind in FICTIONAL_KINDS:
                derived.append(LORE.from_universe)
            if kind == "work":
                derived += [LORE.follows, LORE.followed_by, LORE.storyPosition]
            if kind in ("work", "event"):
                derived += [LORE.storyRank, LORE.storyPrecedes]
                derived += [LORE.storyOutermost, LORE.storyStage]
            self.close(shape, [RDF.type, *derived])
        statement = self.record(Statement, "Statement", "statement", class_iri(Statement))
        self.close(statement, [RDF.type, PROV.wasDerivedFrom])
        note = self.record(Note, "Note", "note", class_iri(Note))
        self.close(note, [RDF.type, PROV.wasDerivedFrom])
        universe = self.record(UniverseInfo, "Universe", "universe", class_iri(UniverseInfo))
        self.close(universe, [RDF.type])
        for nested_model in nested_models():
            name = nested_model.__name__
            nested = self.record(nested_model, name, name.lower(), None)
            self.close(nested, [RDF.type, PROV.wasDerivedFrom])
        for rel in RELATIONS.values():
            self.relation_shapes(rel)
        return self.g


@cache
def shapes_turtle() -> str:
    """The shapes as Turtle: what ``lorekit shapes`` writes and lorekit ships."""
    return turtle(_Builder().build(), (SH.NodeShape,))


def shacl_shapes() -> Graph:
    """The lorekit SHACL shapes as an rdflib graph (a fresh copy each call)."""
    return parsed_turtle(shapes_turtle())


@dataclass(frozen=True)
class ShaclViolation:
    """One SHACL result, with its terms written short (``john-wick:eve``)."""

    focus: str
    """The node that breaks the shape."""
    path: str | None
    """The property, when the shape is about one."""
    value: str | None
    """The offending value, when there is one."""
    message: str
    """What is wrong, in words."""
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        shown = f" (value: {self.value})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


@dataclass(frozen=True)
class ShaclReport:
    """What :func:`validate_shacl` found."""

    conforms: bool
    violations: tuple[ShaclViolation, ...]

    def __str__(self) -> str:
        if self.conforms:
            return "conforms to the lorekit shapes"
        return "\n".join(str(v) for v in self.violations)


def validate_shacl(data: LoreGraph | Graph | str | Path) -> ShaclReport:
    """Check RDF against the lorekit shapes with pySHACL.

    ``data`` is a graph, an RDF file (any lorekit import format, produced by
    lorekit or by another tool), or a universe (a :class:`LoreGraph`, or the
    path of YAML data, which is loaded and exported first). The ontology is
    mixed in, so ``sh:class lore:Entity`` accepts every kind.

    Raises
    ------
    RDFError
        When an RDF file cannot be parsed.
    LoadError
        When YAML data does not load.
    """
    from pyshacl import validate

    from .._core.formats import RDF_FORMATS
    from .._graph.graph import LoreGraph
    from .._load.reader import entry_for
    from .._load.universe import load
    from .ontology import ontology
    from .read import parse_rdf

    if isinstance(data, LoreGraph):
        graph = data.to_rdf()
    elif isinstance(data, Graph):
        graph = data
    else:
        path = Path(data)
        entry = entry_for(path)  # the loader's registry says what format a file is in
        if entry is not None and entry.name in RDF_FORMATS:
            graph = parse_rdf(path)[0]  # checked as it is: another tool's RDF need not load
        else:
            graph = load(path).to_rdf()
    conforms, results, _ = validate(
        graph,
        shacl_graph=shacl_shapes(),
        ont_graph=ontology(),
        inference="none",
        allow_warnings=True,
    )
    names = graph.namespace_manager

    def short(node: Node | None) -> str | None:
        return None if node is None else node.n3(names)

    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        found.append(
            ShaclViolation(
                focus=short(results.value(result, SH.focusNode)) or "",
                path=short(results.value(result, SH.resultPath)),
                value=short(results.value(result, SH.value)),
                message="; ".join(messages),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    found.sort(key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))
    return ShaclReport(conforms=bool(conforms), violations=tuple(found))
