"""Turtle and N-Triples written straight from the triples, without an rdflib graph.

rdflib's serializers walk a graph term by term: for a large universe that
costs millions of term objects and most of the export's time. The writers
here take the plain triples of :func:`lorekit._rdf.triples.triples`, group
them by subject and predicate, and write the text themselves:

* Turtle follows rdflib's Turtle serializer, byte for byte on lorekit's data:
  the same prefixes (only those used), subjects in the same order (the
  universe, entities by kind, statements, notes; each group by IRI), ``a``
  and ``rdfs:label`` first and then predicates by IRI, objects sorted, blank
  nodes inlined as ``[ … ]`` with the same indentation.
* N-Triples are rdflib's lines (``rdflib.plugins.serializers.nt._nt_row``),
  sorted.

The one difference from rdflib is a fix: rdflib writes a multi-line string
that ends in a backslash and a quote with the quote raw, which closes the
string early and no parser reads; here the final quote is escaped. Control
characters other than line feed and carriage return stay raw, as in rdflib:
both grammars allow them in strings, and rdflib and pyoxigraph read them.

Examples
--------
>>> from lorekit import load
>>> from lorekit._rdf.triples import triples
>>> lore = load()
>>> base = "https://w3id.org/lorekit/universe/john-wick/"
>>> print(turtle(triples(lore.universe, base), base, "john-wick").splitlines()[0])
@prefix john-wick: <https://w3id.org/lorekit/universe/john-wick/> .
>>> len(ntriples(triples(lore.universe, base)).splitlines()) == len(lore.to_rdf())
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from rdflib import Graph
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, RDFS, XSD

from .triples import Lit, Obj, Triple
from .vocab import RECORD_MODELS, bind_prefixes, class_iri, quiet_rdflib

__all__ = ["ntriples", "turtle"]

_Props = dict[str, list[Obj]]
"""Predicate IRI → objects, in the order they came, maybe with repeats."""

_TYPE = str(RDF.type)
_LABEL = str(RDFS.label)
_DECIMAL = str(XSD.decimal)
_TOP = tuple(str(class_iri(m)) for m in RECORD_MODELS)
"""Classes whose members Turtle lists first, in this order (as :func:`.export._turtle`)."""
_PLAIN_TYPES = frozenset(str(XSD[t]) for t in ("integer", "boolean", "decimal"))
"""Datatypes whose literals Turtle writes bare, as rdflib does."""


def _group(triples: Iterable[Triple]) -> tuple[dict[str, _Props], dict[str, _Props]]:
    """The triples by subject and predicate: IRI subjects, and blank nodes by label.

    The mapping gives a node's triples mostly in a run, with the same string
    objects: a run costs an identity test, not a lookup.
    """
    subjects: dict[str, _Props] = {}
    last_s = last_p = ""
    props: _Props = {}
    objects: list[Obj] = []
    for s, p, o in triples:
        if s is not last_s:
            found = subjects.get(s)
            if found is None:
                found = subjects[s] = {}
            props, last_s, last_p = found, s, ""
        if p is not last_p:
            got = props.get(p)
            if got is None:
                got = props[p] = []
            objects, last_p = got, p
        objects.append(o)
    bnodes = {s: props for s, props in subjects.items() if s.startswith("_:")}
    for label in bnodes:
        del subjects[label]
    return subjects, bnodes


# --- N-Triples -------------------------------------------------------------------


def _nt_string(text: str) -> str:
    """A quoted N-Triples string, escaped as rdflib's N-Triples serializer does."""
    if "\\" in text or "\n" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
        text = text.replace("\r", "\\r")
    return f'"{text}"'


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples, one line per distinct triple, lines sorted.

    Each triple's line is written once, without its subject, in its
    subject's list; sorting subject by subject then gives the order of
    sorting all lines: a subject's ``<…>`` or ``_:…`` ends where no other
    subject's does.
    """
    by_subject: dict[str, list[str]] = {}
    last_s = ""
    lines: list[str] = []
    for s, p, o in triples:
        if s is not last_s:
            found = by_subject.get(s)
            if found is None:
                found = by_subject[s] = []
            lines, last_s = found, s
        if isinstance(o, str):
            if o.startswith("_:"):
                lines.append(f"<{p}> {o} .\n")
            else:
                lines.append(f"<{p}> <{o}> .\n")
        else:
            _, lexical, datatype = o
            if datatype is None:
                lines.append(f"<{p}> {_nt_string(lexical)} .\n")
            else:
                lines.append(f"<{p}> {_nt_string(lexical)}^^<{datatype}> .\n")
    subjects = [(s if s.startswith("_:") else f"<{s}>", lines) for s, lines in by_subject.items()]
    subjects.sort(key=lambda sl: sl[0])
    out: list[str] = []
    for s, lines in subjects:
        head = s + " "
        out.append(head + head.join(sorted(set(lines))))  # every line ends with a line break
    return "".join(out)


# --- Turtle ------------------------------------------------------------------------


def _long_string(text: str) -> str:
    """A long (triple-quoted) Turtle string, for text with line breaks."""
    encoded = text.replace("\\", "\\\\")
    if '"""' in text:
        encoded = encoded.replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        run = len(text) - len(text.rstrip('"'))
        if run % 3:  # the last quote is still raw, and would close the string early
            encoded = encoded[:-1] + '\\"'
    return '"""' + encoded.replace("\r", "\\r") + '"""'


def _ttl_string(text: str) -> str:
    """A quoted Turtle string, as rdflib writes it (but see :func:`_long_string`)."""
    if "\n" in text:
        return _long_string(text)
    if "\\" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return f'"{text}"'


_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
"""A local name that needs no escape in Turtle (lorekit's names never do): ASCII
letters, digits, ``_``, ``-`` and ``.``, not starting with ``.`` or ``-``, not
ending with ``.``."""


class _Names:
    """Prefixed names of IRIs, remembering which prefixes were used."""

    def __init__(self, namespaces: Iterable[tuple[str, str]]) -> None:
        # longest namespace first, so that the most specific one wins
        self.namespaces = sorted(namespaces, key=lambda pn: -len(pn[1]))
        self.used: dict[str, str] = {}
        self.cache: dict[str, str] = {}

    def name(self, iri: str) -> str:
        cached = self.cache.get(iri)
        if cached is None:
            cached = self.cache[iri] = self._name(iri)
        return cached

    def _name(self, iri: str) -> str:
        for prefix, ns in self.namespaces:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if _PLAIN_LOCAL.fullmatch(local):
                    self.used[prefix] = ns
                    return f"{prefix}:{local}"
        return f"<{iri}>"


def _namespaces(base: str, universe_id: str) -> list[tuple[str, str]]:
    """The prefixes :func:`lorekit._rdf.export.to_rdf` binds, as rdflib resolves them."""
    graph = Graph(bind_namespaces="core")
    with quiet_rdflib():
        bind_prefixes(graph, base=base, universe_id=universe_id)
        return [(prefix, str(ns)) for prefix, ns in graph.namespaces()]


class _TurtleWriter:
    def __init__(self, bnodes: dict[str, _Props], names: _Names) -> None:
        self.bnodes = bnodes
        self.name = names.name
        self.texts: dict[Obj, str] = {}
        """The Turtle of each IRI and literal object met (not blank nodes, written inline)."""
        self.inlined: dict[tuple[Any, ...], str] = {}

    def literal(self, value: Lit) -> str:
        number, lexical, datatype = value
        if datatype is None:
            return _ttl_string(lexical)
        qname = self.name(datatype)  # a used prefix, even when the literal is bare
        if datatype in _PLAIN_TYPES:
            if datatype != _DECIMAL:
                return lexical
            if math.isfinite(number):
                return lexical if "." in lexical else lexical + ".0"
            with quiet_rdflib():  # not a number: as rdflib writes it
                return RDFLiteral(lexical, datatype=datatype)._literal_n3(
                    use_plain=True, qname_callback=self.name
                )
        return f"{_ttl_string(lexical)}^^{qname}"

    def inline(self, props: _Props, level: int) -> str:
        """``[ … ]``: a blank node written where it is used.

        Many are alike (the same citation on many records): their content and
        level give the same text, written once.
        """
        key = (level, *[(p, *objects) for p, objects in props.items()])
        text = self.inlined.get(key)
        if text is None:
            text = self.inlined[key] = "[" + self.predicates(props, level) + " ]"
        return text

    def predicates(self, props: _Props, level: int) -> str:
        """`` a … ;\\n    p o1,\\n        o2 …``: a node's predicate list at ``level``."""
        order = sorted(props)
        for first in (_LABEL, _TYPE):
            if first in props:
                order.remove(first)
                order.insert(0, first)
        next_predicate = " ;\n" + "    " * (level + 1)
        next_object = ",\n" + "    " * (level + 2)
        texts, bnodes, name = self.texts, self.bnodes, self.name
        parts = []
        for predicate in order:
            objects = props[predicate]
            if len(objects) > 1:  # without repeats, in rdflib's order (one kind of term each)
                objects = sorted(set(objects))  # type: ignore[type-var, unused-ignore]
            written = []
            for o in objects:
                text = texts.get(o)
                if text is None:
                    if isinstance(o, str):
                        nested = bnodes.get(o)
                        if nested is not None:
                            written.append(self.inline(nested, level + 2))
                            continue
                        text = texts[o] = name(o)
                    else:
                        text = texts[o] = self.literal(o)
                written.append(text)
            verb = "a" if predicate == _TYPE else texts.get(predicate)
            if verb is None:
                verb = texts[predicate] = name(predicate)
            parts.append(verb + " " + next_object.join(written))
        return " " + next_predicate.join(parts)


def _rank(props: _Props) -> int:
    """Where a subject's group comes in Turtle: the first of its classes in ``_TOP``."""
    ranks = [_TOP.index(t) for t in props.get(_TYPE, ()) if isinstance(t, str) and t in _TOP]
    return min(ranks, default=len(_TOP))


def turtle(triples: Iterable[Triple], base: str, universe_id: str) -> str:
    """Turtle as rdflib's serializer writes the same triples, with ``_TOP`` classes first.

    ``base`` and ``universe_id`` name the universe's prefix, as
    :func:`lorekit._rdf.vocab.bind_prefixes` binds it.
    """
    iris, bnodes = _group(triples)
    names = _Names(_namespaces(base, universe_id))
    writer = _TurtleWriter(bnodes, names)
    subjects = sorted(iris.items(), key=lambda sp: (_rank(sp[1]), sp[0]))
    body = [f"\n{names.name(s)}{writer.predicates(props, 0)} .\n" for s, props in subjects]
    head = [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(names.used.items())]
    return "".join(head) + "".join(body) + "\n"
