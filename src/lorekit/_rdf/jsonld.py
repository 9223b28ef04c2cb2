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
import math
from collections.abc import Iterable, Mapping
from functools import cache
from json.encoder import encode_basestring as _encode  # C, as json.dumps escapes
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
    as rdflib's terms sort (by their N3 form), laid out as ``json.dumps(doc,
    indent=2, ensure_ascii=False)`` lays it out. Each node's text is written
    from its triples, strings escaped by :mod:`json`'s own encoder, without
    the document's objects: ``json.dumps`` with an indent runs in Python, and
    the objects cost most of the memory.

    Examples
    --------
    >>> from lorekit import load
    >>> from lorekit._rdf.export import to_rdf
    >>> from lorekit._rdf.triples import triples
    >>> lore, base = load(), "https://w3id.org/lorekit/universe/john-wick/"
    >>> jsonld(triples(lore.universe, base), base) == to_jsonld(to_rdf(lore), base)
    True
    """
    return _Writer(found, base).document()


_TYPE = str(RDF.type)
_STRING = str(XSD.string)
_DATE = str(XSD.date)
_ORDER: dict[Obj, int] = {str(class_iri(m)): i for i, m in enumerate(RECORD_MODELS)}
"""Classes whose members come first, in this order (as :func:`to_jsonld`'s)."""


class _Many(list[Obj]):
    """The objects of a subject's predicate when there are more than one (maybe repeats)."""


_Props = dict[str, "Obj | _Many"]
"""Predicate IRI → its object, or its objects in the order they came."""
_Shape = list[tuple[str, str, tuple[str, ...] | None, str | None, dict[str, str] | None, bool]]
"""A node's properties in the order written: ``"key": ``, its predicate IRI (or,
rarely, each of the IRIs that share the key), the term's ``@type`` coercion, the
texts of IRIs under it, and whether it is a ``@set``."""


def _group(found: Iterable[Triple]) -> dict[str, _Props]:
    """The triples by subject and predicate.

    The mapping gives a node's triples mostly in a run, with the same subject
    string: a run costs an identity test, not a lookup. Most predicates have
    one object, kept as it is.
    """
    subjects: dict[str, _Props] = {}
    last_s = ""
    props: _Props = {}
    for s, p, o in found:
        if s is not last_s:
            got = subjects.get(s)
            if got is None:
                got = subjects[s] = {}
            props, last_s = got, s
        had = props.setdefault(p, o)
        if had is not o:
            if isinstance(had, _Many):
                had.append(o)
            else:
                props[p] = _Many((had, o))
    return subjects


def _distinct(objs: Obj | _Many) -> list[Obj]:
    """A predicate's objects without repeats, in the order they came."""
    return list(dict.fromkeys(objs)) if isinstance(objs, _Many) else [objs]


def _references(subjects: dict[str, _Props]) -> dict[str, int]:
    """How many distinct triples have each blank node as their object."""
    referenced: dict[str, int] = {}
    for props in subjects.values():
        for objs in props.values():
            for o in _distinct(objs):
                if isinstance(o, str) and o.startswith("_:"):
                    referenced[o] = referenced.get(o, 0) + 1
    return referenced


def _scalar(value: bool | int | float) -> str:
    """A number or a boolean as :mod:`json` writes it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


class _Writer:
    """:func:`to_jsonld`'s document over the neutral triples of :mod:`lorekit._rdf.triples`,
    written as text node by node.

    A blank node used by one triple is nested where it is used, any other is
    a top-level node. The mapping's blank nodes are each used once, so the
    writer first assumes so, without counting, and checks it as it goes:
    when a blank node turns out to be used twice, or one is never reached,
    it counts the uses and writes the document again.
    """

    def __init__(self, found: Iterable[Triple], base: str) -> None:
        self.base = base
        self.terms, self.classes = _context_tables()
        self.subjects = _group(found)
        self.referenced: dict[str, int] | None = None
        """Uses of each blank node; ``None`` while every one is taken to be used once."""
        self.met: set[str] = set()
        """The blank nodes met as objects, when ``referenced`` is ``None``."""
        self.repeated = False
        """Whether a blank node was met twice, when ``referenced`` is ``None``."""
        self.nested = 0
        """How many blank nodes with triples were nested so far."""
        self.blanks = 0
        """How many blank node objects were met so far."""
        self.compact_cache: dict[str, str] = {}
        self.texts: dict[str | None, dict[str, str]] = {"@id": {}, "@vocab": {}}
        """The JSON text of each IRI object met, by the term's coercion."""
        self.type_texts: dict[Any, str] = {}
        self.shapes: dict[tuple[str, ...], _Shape] = {}
        self.inlined: dict[tuple[Any, ...], str] = {}
        """The text of each nested node without blank nodes, by its level and triples:
        many are alike (the same citation on many records)."""
        self.pads = ["\n" + "  " * n for n in range(8)]
        """A line break and the indent of each level."""

    def document(self) -> str:
        head = json.dumps({"@context": [_context(), {"@base": self.base}]}, indent=2,
                          ensure_ascii=False)  # fmt: skip
        body = self.graph()
        if self.repeated or self.nested != sum(1 for s in self.subjects if s.startswith("_:")):
            self.referenced = _references(self.subjects)  # not each used once: count
            self.inlined.clear()
            body = self.graph()
        return head[: -len("\n}")] + ',\n  "@graph": ' + body + "\n}\n"

    def graph(self) -> str:
        """The ``@graph`` list: top-level nodes by kind, then IRI; the universe first."""
        subjects, referenced = self.subjects, self.referenced
        if referenced is None:
            chosen = [s for s in subjects if not s.startswith("_:")]
        else:
            chosen = [s for s in subjects if referenced.get(s) != 1 or not s.startswith("_:")]
        last = len(_ORDER)

        def rank(subject: str) -> int:
            types = subjects[subject].get(_TYPE)
            if types is None:
                return last
            if isinstance(types, _Many):
                return min([_ORDER.get(t, last) for t in types])
            return _ORDER.get(types, last)

        chosen.sort(key=lambda s: (rank(s), s.startswith("_:"), s[2:] if s[:2] == "_:" else s))
        nodes = [self.node(s, subjects[s], 2, embedded=False) for s in chosen]
        return "[\n    " + ",\n    ".join(nodes) + "\n  ]" if nodes else "[]"

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

    def shape(self, props: _Props) -> _Shape:
        """The keys of a node with these predicates, in order; nodes alike share it."""
        preds = tuple(props)
        found = self.shapes.get(preds)
        if found is not None:
            return found
        keyed: dict[str, tuple[dict[str, Any], list[str]]] = {}
        for pred in preds:
            if pred != _TYPE:
                key, definition = self.terms.get(pred) or (self.compact(pred), {})
                keyed.setdefault(key, (definition, []))[1].append(pred)
        found = self.shapes[preds] = []
        for key in sorted(keyed, key=_key_order):
            definition, group = keyed[key]
            coercion = definition.get("@type")
            found.append((_encode(key) + ": ", group[0], None if len(group) == 1 else tuple(group),
                          coercion, self.texts.get(coercion),
                          definition.get("@container") == "@set"))  # fmt: skip
        return found

    def types(self, types: Obj | _Many, level: int) -> str:
        """The ``"type"`` member of a node whose keys are at ``level``."""
        key = (level, *types) if isinstance(types, _Many) else types
        text = self.type_texts.get(key)
        if text is None:
            names = sorted(self.class_name(t) for t in _distinct(types))
            if len(names) == 1:
                text = '"type": ' + _encode(names[0])
            else:
                pad = self.pads[level + 1]
                text = '"type": [' + pad + ("," + pad).join(map(_encode, names))
                text += self.pads[level] + "]"
            self.type_texts[key] = text
        return text

    def class_name(self, obj: Obj) -> str:
        text = obj if isinstance(obj, str) else obj[1]  # a literal: as rdflib's str() of it
        return self.classes.get(text) or self.compact(text)

    def node(self, subject: str, props: _Props, level: int, *, embedded: bool) -> str:
        """A node's JSON object, its braces at ``level``, its keys one deeper."""
        pads = self.pads
        while len(pads) < level + 4:
            pads.append("\n" + "  " * len(pads))
        inner = pads[level + 1]
        items: list[str] = []
        if not subject.startswith("_:"):
            items.append('"id": ' + _encode(self.iri(subject, "@id")))
        elif not embedded:
            items.append('"id": ' + _encode(subject))
        types = props.get(_TYPE)
        if types is not None:
            items.append(self.types(types, level + 1))
        for key, pred, preds, coercion, texts, always_many in self.shape(props):
            got = (
                props[pred]
                if preds is None
                else _Many(o for p in preds for o in _distinct(props[p]))
            )
            if not isinstance(got, _Many):  # one object: most properties
                at = level + 2 if always_many else level + 1
                if isinstance(got, str):
                    text = None if texts is None else texts.get(got)
                    if text is None:
                        text = self.value(got, coercion, at)
                elif coercion is None and got[2] is None:
                    text = _encode(got[1])
                else:
                    text = self.literal(got, coercion, at)
                if always_many:
                    pad = pads[level + 2]
                    items.append(key + "[" + pad + text + inner + "]")
                else:
                    items.append(key + text)
                continue
            objs = got if preds is not None else list(dict.fromkeys(got))
            if len(objs) > 1:
                objs = sorted(objs, key=_n3)
            many = always_many or len(objs) > 1
            at = level + 2 if many else level + 1
            values = []
            for o in objs:
                if isinstance(o, str):
                    text = None if texts is None else texts.get(o)
                    values.append(self.value(o, coercion, at) if text is None else text)
                elif coercion is None and o[2] is None:
                    values.append(_encode(o[1]))
                else:
                    values.append(self.literal(o, coercion, at))
            if many:
                pad = pads[level + 2]
                items.append(key + "[" + pad + ("," + pad).join(values) + inner + "]")
            else:
                items.append(key + values[0])
        if not items:
            return "{}"
        return "{" + inner + ("," + inner).join(items) + pads[level] + "}"

    def value(self, obj: str, coercion: str | None, level: int) -> str:
        """An IRI or blank node object, its text at ``level``."""
        if obj.startswith("_:"):
            self.blanks += 1
            referenced = self.referenced
            if referenced is None:
                if obj in self.met:
                    self.repeated = True  # the document is written again
                self.met.add(obj)
            elif referenced.get(obj) != 1:
                return self.reference(obj, level)
            props = self.subjects.get(obj)
            if props is None:
                return "{}"
            self.nested += 1
            return self.inline(obj, props, level)
        if coercion == "@id" or coercion == "@vocab":
            text = self.texts[coercion][obj] = _encode(self.iri(obj, coercion))
            return text
        return self.reference(self.iri(obj, None), level)

    def inline(self, obj: str, props: _Props, level: int) -> str:
        """A nested node; one without blank nodes in it is written once for all alike."""
        key: tuple[Any, ...] | None = (level, *props.items())
        try:
            text = self.inlined.get(key)  # type: ignore[arg-type]
        except TypeError:  # objects in a list
            key = text = None
        if text is None:
            blanks = self.blanks
            text = self.node(obj, props, level, embedded=True)
            if key is not None and self.blanks == blanks:
                self.inlined[key] = text
        return text

    def reference(self, iri: str, level: int) -> str:
        """``{"@id": iri}`` at ``level``."""
        return "{" + self.pads[level + 1] + '"@id": ' + _encode(iri) + self.pads[level] + "}"

    def literal(self, lit: Lit, coerced: str | None, level: int) -> str:
        value, lexical, datatype = lit
        if datatype in (None, _STRING) and coerced is None:
            return _encode(lexical)
        if datatype is not None and coerced == self.compact(datatype):
            if isinstance(value, bool | int | float) and datatype != _DATE:
                return _scalar(value)
            return _encode(lexical)
        pad = self.pads[level + 1]
        text = "{" + pad + '"@value": ' + _encode(lexical)
        if datatype is not None:
            text += "," + pad + '"@type": ' + _encode(self.compact(datatype))
        return text + self.pads[level] + "}"


def _n3(obj: Obj) -> str:
    """The N3 form rdflib sorts terms by."""
    if isinstance(obj, str):
        return obj if obj.startswith("_:") else f"<{obj}>"
    _, lexical, datatype = obj
    return Literal(lexical, datatype=None if datatype is None else URIRef(datatype)).n3()
