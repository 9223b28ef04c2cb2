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
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from .._core.relations import RELATIONS
from .triples import Lit, Obj, Triple
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

__all__ = ["jsonld", "jsonld_context", "to_jsonld"]

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
    "story_position": {"@id": "lore:storyPosition", "@type": "xsd:integer"},
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


def _context_tables() -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, str]]:
    """The context's terms by IRI (name and definition) and its class names by IRI."""
    terms: dict[str, tuple[str, dict[str, Any]]] = {}
    classes: dict[str, str] = {}
    for key, value in _context().items():
        if key.startswith("@") or key in _PREFIXES or key in ("id", "type"):
            continue
        definition = value if isinstance(value, dict) else {"@id": value}
        iri = _Compactor.expand(definition["@id"])
        if key[0].isupper():
            classes.setdefault(iri, key)
        else:
            terms.setdefault(iri, (key, definition))
    return terms, classes


class _Compactor:
    def __init__(self, graph: Graph, base: str) -> None:
        self.graph = graph
        self.base = base
        self.terms, self.classes = _context_tables()
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


def jsonld(found: Iterable[Triple], base: str) -> str:
    """Compact JSON-LD straight from the mapping's triples, without an rdflib graph.

    The same document :func:`to_jsonld` writes from :func:`~lorekit._rdf.export.to_rdf`'s
    graph, byte for byte: nodes in the same order, the same keys, values sorted
    as rdflib's terms sort (by their N3 form).

    Examples
    --------
    >>> from lorekit import load
    >>> from lorekit._rdf.export import to_rdf
    >>> from lorekit._rdf.triples import triples
    >>> lore, base = load(), "https://w3id.org/lorekit/universe/john-wick/"
    >>> jsonld(triples(lore.universe, base), base) == to_jsonld(to_rdf(lore), base)
    True
    """
    return _TripleCompactor(found, base).document()


_TYPE = str(RDF.type)
_STRING = str(XSD.string)
_DATE = str(XSD.date)


class _TripleCompactor:
    """:class:`_Compactor` over the neutral triples of :mod:`lorekit._rdf.triples`."""

    def __init__(self, found: Iterable[Triple], base: str) -> None:
        self.base = base
        self.terms, self.classes = _context_tables()
        self.subjects: dict[str, dict[str, dict[Obj, None]]] = {}
        subjects = self.subjects
        for s, p, o in found:
            props = subjects.get(s)
            if props is None:
                props = subjects[s] = {}
            objs = props.get(p)
            if objs is None:
                objs = props[p] = {}
            objs[o] = None
        self.referenced: dict[str, int] = {}
        for props in subjects.values():
            for objs in props.values():
                for o in objs:
                    if isinstance(o, str) and o.startswith("_:"):
                        self.referenced[o] = self.referenced.get(o, 0) + 1
        self.compact_cache: dict[str, str] = {}

    def document(self) -> str:
        order = [str(class_iri(m)) for m in RECORD_MODELS]

        def group(subject: str) -> int:
            types = self.subjects[subject].get(_TYPE, {})
            return next((i for i, c in enumerate(order) if c in types), len(order))

        referenced = self.referenced
        chosen = [s for s in self.subjects if referenced.get(s) != 1 or not s.startswith("_:")]
        chosen.sort(key=lambda s: (group(s), s.startswith("_:"), s[2:] if s[:2] == "_:" else s))
        doc = {
            "@context": [_context(), {"@base": self.base}],
            "@graph": [self.node(s) for s in chosen],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def compact(self, iri: str) -> str:
        found = self.compact_cache.get(iri)
        if found is None:
            found = self.compact_cache[iri] = _compact(iri)
        return found

    def iri(self, text: str, coercion: str | None) -> str:
        if coercion == "@vocab" and text in self.terms:
            return self.terms[text][0]
        base = self.base
        if text.startswith(base) and ":" not in text[len(base) :]:
            return text[len(base) :] or text
        return self.compact(text)

    def literal(self, lit: Lit, definition: dict[str, Any]) -> Any:
        value, lexical, datatype = lit
        coerced = definition.get("@type")
        if datatype in (None, _STRING) and coerced is None:
            return lexical
        if datatype is not None and coerced == self.compact(datatype):
            if isinstance(value, bool | int | float) and datatype != _DATE:
                return value
            return lexical
        out: dict[str, Any] = {"@value": lexical}
        if datatype is not None:
            out["@type"] = self.compact(datatype)
        return out

    def value(self, obj: Obj, definition: dict[str, Any]) -> Any:
        if not isinstance(obj, str):
            return self.literal(obj, definition)
        if obj.startswith("_:"):
            if self.referenced.get(obj) == 1:
                return self.node(obj, embedded=True)
            return {"@id": obj}
        coercion = definition.get("@type")
        if coercion in ("@id", "@vocab"):
            return self.iri(obj, coercion)
        return {"@id": self.iri(obj, None)}

    def node(self, subject: str, *, embedded: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not subject.startswith("_:"):
            out["id"] = self.iri(subject, "@id")
        elif not embedded:
            out["id"] = subject
        props = self.subjects.get(subject, {})
        types = sorted(self.classes.get(t) or self.compact(t) for t in props.get(_TYPE, ()))  # type: ignore[arg-type]
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        keyed: dict[str, tuple[dict[str, Any], list[Obj]]] = {}
        for pred, pred_objs in props.items():
            if pred == _TYPE:
                continue
            key, definition = self.terms.get(pred) or (self.compact(pred), {})
            keyed.setdefault(key, (definition, []))[1].extend(pred_objs)
        for key in sorted(keyed, key=_key_order):
            definition, objs = keyed[key]
            if len(objs) > 1:
                objs = sorted(objs, key=_n3)
            values = [self.value(o, definition) for o in objs]
            many = definition.get("@container") == "@set" or len(values) > 1
            out[key] = values if many else values[0]
        return out


def _n3(obj: Obj) -> str:
    """The N3 form rdflib sorts terms by."""
    if isinstance(obj, str):
        return obj if obj.startswith("_:") else f"<{obj}>"
    _, lexical, datatype = obj
    return Literal(lexical, datatype=None if datatype is None else URIRef(datatype)).n3()
