"""JSON-LD that reads as plain JSON: the lorekit ``@context`` and a compact writer.

The context (shipped as ``vocab/context.jsonld``, written by ``lorekit
context``, published at :data:`~lorekit._rdf.vocab.CONTEXT_URL`) names every
property after the model field or predicate it carries, coerces ids and
typed values, and marks multi-valued properties as sets. With it, an export
is a list of objects a web developer reads without knowing RDF::

    {"id": "eve-macarro", "type": "Character", "name": "Eve Macarro",
     "member_of": ["ruska-roma"], ...}

The writer embeds the context (so no tool needs the network to read the
file) followed by ``{"@base": <universe IRI>}``, which turns ids into
universe IRIs. Its output is deterministic, and parses back to a graph
isomorphic to :meth:`LoreGraph.to_rdf`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from .._core.relations import RELATIONS
from .vocab import (
    LORE_NS,
    RECORD_MODELS,
    WD,
    WDT,
    FieldSpec,
    class_iri,
    inverse_names,
    nested_models,
    record_fields,
)

__all__ = ["jsonld_context", "to_jsonld"]

_PREFIXES: Mapping[str, str] = {
    "lore": LORE_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": str(SDO),
    "wd": str(WD),
    "wdt": str(WDT),
}

# Derived properties the export adds for convenience; not model fields.
_DERIVED: Mapping[str, dict[str, Any]] = {
    "derived_from": {"@id": "prov:wasDerivedFrom", "@type": "@id", "@container": "@set"},
    "follows": {"@id": "lore:follows", "@type": "@id"},
    "followed_by": {"@id": "lore:followed_by", "@type": "@id"},
    "from_universe": {"@id": "lore:from_universe", "@type": "@id"},
    "story_rank": {"@id": "lore:storyRank", "@type": "xsd:integer"},
    "story_precedes": {"@id": "lore:storyPrecedes", "@type": "@id", "@container": "@set"},
}


def _compact(iri: str) -> str:
    for prefix, ns in _PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _field_term(spec: FieldSpec) -> dict[str, Any] | str:
    term: dict[str, Any] = {"@id": _compact(spec.prop)}
    if spec.kind in ("ref", "wikidata"):
        term["@type"] = "@id"
    elif spec.kind == "predicate":
        term["@type"] = "@vocab"
    elif spec.kind in ("date", "int", "float", "bool"):
        assert spec.datatype is not None
        term["@type"] = _compact(spec.datatype)
    if spec.many:
        term["@container"] = "@set"
    return term if len(term) > 1 else term["@id"]


@cache
def _context() -> dict[str, Any]:
    ctx: dict[str, Any] = {"@version": 1.1, **_PREFIXES, "id": "@id", "type": "@type"}
    for model in (*RECORD_MODELS, *nested_models()):
        iri = class_iri(model)
        ctx[iri[len(LORE_NS) :] if iri.startswith(LORE_NS) else model.__name__] = _compact(iri)
    for model in (*RECORD_MODELS, *nested_models()):
        for spec in record_fields(model):
            term = _field_term(spec)
            if ctx.setdefault(spec.name, term) != term:
                raise TypeError(f"field {spec.name!r} maps to two JSON-LD terms")
    for name in sorted([*RELATIONS, *inverse_names()]):
        term = {"@id": f"lore:{name}", "@type": "@id", "@container": "@set"}
        if ctx.setdefault(name, term) != term:
            raise TypeError(f"predicate {name!r} clashes with a field of the same name")
    for name, term in _DERIVED.items():
        ctx.setdefault(name, term)
    return ctx


def jsonld_context() -> dict[str, Any]:
    """The lorekit JSON-LD context, as a document: ``{"@context": {...}}``.

    Examples
    --------
    >>> ctx = jsonld_context()["@context"]
    >>> ctx["member_of"]
    {'@id': 'lore:member_of', '@type': '@id', '@container': '@set'}
    >>> ctx["name"], ctx["Character"]
    ('rdfs:label', 'lore:Character')
    """
    return {"@context": json.loads(json.dumps(_context()))}


class _Compactor:
    def __init__(self, graph: Graph, base: str) -> None:
        self.graph = graph
        self.base = base
        ctx = _context()
        self.terms: dict[str, tuple[str, dict[str, Any]]] = {}
        self.classes: dict[str, str] = {}
        for key, value in ctx.items():
            if key.startswith("@") or key in _PREFIXES or key in ("id", "type"):
                continue
            definition = value if isinstance(value, dict) else {"@id": value}
            iri = self.expand(definition["@id"])
            if key[0].isupper():
                self.classes.setdefault(iri, key)
            else:
                self.terms.setdefault(iri, (key, definition))
        self.referenced: dict[Node, int] = {}
        for obj in graph.objects():
            if isinstance(obj, BNode):
                self.referenced[obj] = self.referenced.get(obj, 0) + 1

    @staticmethod
    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return _PREFIXES[prefix] + local if prefix in _PREFIXES else curie

    def iri(self, node: URIRef, coercion: str | None) -> str:
        text = str(node)
        if coercion == "@vocab" and text in self.terms:
            return self.terms[text][0]
        if text.startswith(self.base) and ":" not in text[len(self.base) :]:
            return text[len(self.base) :] or text
        return _compact(text)

    def literal(self, lit: Literal, definition: dict[str, Any]) -> Any:
        datatype = lit.datatype
        coerced = definition.get("@type")
        if lit.language is None and datatype in (None, XSD.string) and coerced is None:
            return str(lit)
        if datatype is not None and coerced == _compact(datatype):
            value = lit.toPython()
            if isinstance(value, bool | int | float) and datatype != XSD.date:
                return value
            return str(lit)
        out: dict[str, Any] = {"@value": str(lit)}
        if lit.language is not None:
            out["@language"] = lit.language
        elif datatype is not None:
            out["@type"] = _compact(datatype)
        return out

    def value(self, obj: Node, definition: dict[str, Any]) -> Any:
        coercion = definition.get("@type")
        if isinstance(obj, Literal):
            return self.literal(obj, definition)
        if isinstance(obj, BNode) and self.referenced.get(obj) == 1:
            return self.node(obj, embedded=True)
        if isinstance(obj, BNode):
            return {"@id": f"_:{obj}"}
        assert isinstance(obj, URIRef)
        if coercion in ("@id", "@vocab"):
            return self.iri(obj, coercion)
        return {"@id": self.iri(obj, None)}

    def node(self, subject: Node, *, embedded: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if isinstance(subject, URIRef):
            out["id"] = self.iri(subject, "@id")
        elif not embedded:
            out["id"] = f"_:{subject}"
        types = sorted(
            self.classes.get(str(t)) or _compact(str(t))
            for t in self.graph.objects(subject, RDF.type)
        )
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        props: dict[str, tuple[dict[str, Any], list[Node]]] = {}
        for pred, obj in self.graph.predicate_objects(subject):
            if pred == RDF.type:
                continue
            key, definition = self.terms.get(str(pred)) or (_compact(str(pred)), {})
            props.setdefault(key, (definition, []))[1].append(obj)
        for key in sorted(props, key=_key_order):
            definition, objs = props[key]
            values = [self.value(o, definition) for o in sorted(objs, key=lambda n: n.n3())]
            many = definition.get("@container") == "@set" or len(values) > 1
            out[key] = values if many else values[0]
        return out


def _key_order(key: str) -> tuple[int, str]:
    first = ("name", "aliases", "description", "subject", "predicate", "object", "about", "text")
    return (first.index(key), key) if key in first else (len(first), key)


def to_jsonld(graph: Graph, base: str) -> str:
    """Write ``graph`` (a universe's export) as compact JSON-LD.

    Top-level nodes come in IRI order, the universe first; blank nodes used
    once (citations, ratings) are nested where they are used.
    """
    compactor = _Compactor(graph, base)
    order = [class_iri(m) for m in RECORD_MODELS]

    def group(subject: Node) -> int:
        types = set(graph.objects(subject, RDF.type))
        return next((i for i, c in enumerate(order) if c in types), len(order))

    subjects = sorted(
        {s for s in graph.subjects() if compactor.referenced.get(s) != 1 or isinstance(s, URIRef)},
        key=lambda s: (group(s), isinstance(s, BNode), str(s)),
    )
    doc = {
        "@context": [_context(), {"@base": base}],
        "@graph": [compactor.node(s) for s in subjects],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
