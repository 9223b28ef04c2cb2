"""RDF import: an RDF file read back into the loader's records.

:func:`read_rdf` parses a file (Turtle, N-Triples, JSON-LD, RDF/XML, TriG,
N-Quads) and turns its triples into the same records the YAML reader makes
(:class:`RdfReader` is the loader's reader of every RDF format);
:func:`lorekit.load_universe` then checks them exactly as it checks YAML, so
cross-reference, domain and range, and chronology errors read the same.

What does not fit is reported, never dropped: a syntax error with the line
the parser gives; a triple whose predicate or class is not in the ontology,
a node with no lorekit class, a statement without its reified node, each
named as a triple in short form (``john-wick:eve lore:memberof ...``) with
the line its subject is written on where the syntax lets lorekit find it.
Triples the export derives (``prov:wasDerivedFrom``, schema.org types,
``lore:follows``, ``lore:from_universe``) and an ontology or shapes merged
into the file are skipped.

RDF has no order: records come out sorted (see :func:`lorekit._rdf.export.canonical`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .._core.errors import LoreError, RDFError, UnknownPredicateError
from .._core.formats import RDF_SUFFIXES
from .._core.model import (
    ENTITY_MODELS,
    SLUG_PATTERN,
    EntityBase,
    Note,
    Statement,
    UniverseInfo,
    predicate_hint,
)
from .._core.names import did_you_mean
from .._core.relations import RELATIONS, EntityKind, resolve_predicate
from .._load.explain import explain
from .._load.reader import Origin, Reader, Record, Records
from .canonical import sorted_fields
from .export import SUFFIX_FORMATS
from .parse import safe_parse
from .vocab import (
    DERIVED_PROPERTIES,
    LORE,
    LORE_NS,
    ONTOLOGY_IRI,
    SCHEMA_TYPES,
    SHAPES_NS,
    WD,
    FieldSpec,
    class_iri,
    entity_classes,
    entity_iri,
    quiet_rdflib,
    record_fields,
    term,
)

__all__ = ["RdfReader", "parse_rdf", "read_rdf"]

_SLUG = re.compile(SLUG_PATTERN)


def parse_rdf(path: Path) -> tuple[Graph, str]:
    """Parse an RDF file into one graph (named graphs merged); return it and its text.

    Raises
    ------
    RDFError
        When the file cannot be read or parsed, with the line where the
        parser gives one.
    """
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RDFError(f"not an RDF file suffix; use one of {', '.join(SUFFIX_FORMATS)}", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RDFError("no such file", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RDFError(f"cannot read: {exc}", file=path) from exc
    data = text
    graph = Graph(bind_namespaces="core")
    with quiet_rdflib():
        try:
            if fmt in ("trig", "nquads"):
                ds = Dataset()
                safe_parse(ds, data, fmt, file=path, text=text)
                for prefix, ns in ds.namespaces():
                    graph.bind(prefix, ns, replace=True)
                for s, p, o, _ in ds.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                safe_parse(
                    graph, data, fmt, file=path, public_id=path.resolve().as_uri(), text=text
                )
        except RDFError:
            raise
        except Exception as exc:  # rdflib's parsers raise many types
            raise _syntax_error(exc, fmt, text, path) from exc
    return graph, text


def _syntax_error(exc: Exception, fmt: str, text: str, path: Path) -> RDFError:
    from xml.sax import SAXParseException

    from rdflib.plugins.parsers.notation3 import BadSyntax

    name = {"turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD", "xml": "RDF/XML",
            "trig": "TriG", "nquads": "N-Quads"}[fmt]  # fmt: skip
    if isinstance(exc, BadSyntax):
        return RDFError(f"not valid {name}: {exc._why}", file=path, line=exc.lines + 1)
    if isinstance(exc, SAXParseException):
        return RDFError(
            f"not valid {name}: {exc.getMessage()}", file=path, line=exc.getLineNumber()
        )
    if isinstance(exc, json.JSONDecodeError):
        return RDFError(f"not valid {name}: {exc.msg}", file=path, line=exc.lineno)
    if isinstance(exc, IndexError) and fmt in ("turtle", "trig"):
        # rdflib's Turtle parser reads past the end of a statement the file cuts short
        last = max(len(_lines(text)), 1)
        return RDFError(
            f"not valid {name}: the file ends in the middle of a statement", file=path, line=last
        )
    if fmt in ("nt", "nquads"):
        line = _first_bad_line(text, fmt)
        return RDFError(f"not valid {name}: {_first_line(exc)}", file=path, line=line)
    return RDFError(f"not valid {name}: {_first_line(exc)}", file=path)


def _lines(text: str) -> list[str]:
    r"""The lines of a file as parsers count them: split at line feeds only.

    ``str.splitlines`` also splits at U+2028, U+0085 and form feeds, which RDF
    parsers read as characters of a line, so a line number would drift.

    >>> _lines("a \u2028 b\r\nc\n")
    ['a \u2028 b', 'c']
    """
    return [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")]


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _first_bad_line(text: str, fmt: str) -> int | None:
    """The first line of a line-based file that does not parse on its own."""
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            (Dataset() if fmt == "nquads" else Graph()).parse(data=line + "\n", format=fmt)
        except Exception:
            return number
    return None


class _Lines:
    """Finds the line a node is written on: where the parser gives no lines."""

    def __init__(self, text: str, graph: Graph, base: str) -> None:
        self.base = base
        self.prefixes = [(p, str(ns)) for p, ns in graph.namespaces()]
        self.starts: dict[str, int] = {}
        pattern = re.compile(r'(?:"@?id"\s*:\s*"|about=")([^"]*)"')
        fresh = True  # the line starts a statement: its first token is a subject
        for number, line in enumerate(_lines(text), start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                if fresh:  # not an object continued from the line before
                    self.starts.setdefault(stripped.split(None, 1)[0], number)
                fresh = stripped.endswith((".", "{", "}"))
            for match in pattern.finditer(line):
                self.starts.setdefault(match.group(1), number)

    def __call__(self, node: Node) -> int:
        if not isinstance(node, URIRef):
            return 0
        iri = str(node)
        spellings = [f"<{iri}>", iri]
        if iri.startswith(self.base):
            spellings.append(iri[len(self.base) :])
        spellings += [f"{p}:{iri[len(ns) :]}" for p, ns in self.prefixes if iri.startswith(ns)]
        found = [self.starts[s] for s in spellings if s in self.starts]
        return min(found) if found else 0


_REIFIED = (RDF.subject, RDF.predicate, RDF.object)
_VOCABS = (ONTOLOGY_IRI, SHAPES_NS)


class _Importer:
    """Turns the triples of one RDF file into the loader's records."""

    def __init__(self, graph: Graph, text: str, file: str, records: Records) -> None:
        self.g = graph
        self.file = file
        self.into = records
        self.used: set[tuple[Node, Node, Node]] = set()
        self.records: set[Node] = set()
        self.index: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph:
            self.index[s][p].append(o)
        self.problems: list[LoreError] = []
        self.base = ""
        self.lines: _Lines | None = None
        self.text = text
        self.relation_props = {term(n): n for n in RELATIONS} | {
            term(k.inverse): k.inverse for k in RELATIONS.values() if k.inverse
        }

    # -- helpers
    def n3(self, node: Node) -> str:
        return node.n3(self.g.namespace_manager)

    def triple(self, s: Node, p: Node, o: Node) -> str:
        return f"{self.n3(s)} {self.n3(p)} {self.n3(o)}"

    def line(self, node: Node) -> int | None:
        return (self.lines(node) if self.lines else 0) or None

    def problem(self, message: str, node: Node, value: object = None) -> None:
        self.problems.append(RDFError(message, file=self.file, line=self.line(node), value=value))

    def objects(self, s: Node, p: Node) -> list[Node]:
        found = self.index.get(s)
        return list(found.get(p, ())) if found is not None else []

    def has(self, s: Node, p: Node, o: Node) -> bool:
        return o in self.objects(s, p)

    def take(self, s: Node, p: Node) -> list[Node]:
        objs = sorted(self.objects(s, p), key=_order)
        self.used.update((s, p, o) for o in objs)
        return objs

    def origin(self, node: Node) -> Origin:
        return Origin(self.file, self.line(node) or 0)

    # -- the pass over the graph
    def run(self) -> None:
        self.skip_vocabulary()
        roots = sorted(self.g.subjects(RDF.type, class_iri(UniverseInfo)), key=_order)
        if len(roots) != 1:
            what = "no" if not roots else f"{len(roots)}"
            self.problems.append(
                RDFError(
                    f"{what} node of type lore:Universe; a lorekit export has exactly one, "
                    "whose IRI every entity IRI starts with",
                    file=self.file,
                    line=1 if not roots else None,
                )
            )
            return
        root = roots[0]
        self.base = str(root)
        self.lines = _Lines(self.text, self.g, self.base)
        self.universe(root)
        kinds = entity_classes()
        entities: list[Record[EntityBase]] = []
        for node in sorted({s for c in kinds for s in self.g.subjects(RDF.type, c)}, key=_order):
            rec = self.entity(node, kinds, root)
            if rec is not None:
                entities.append(rec)
        self.into.entities += sorted(entities, key=lambda r: r.model.id)
        statements: list[Record[Statement]] = []
        nodes = set(self.g.subjects(RDF.type, class_iri(Statement)))
        nodes |= set(self.g.subjects(RDF.type, RDF.Statement))
        for node in sorted(nodes, key=_order):
            srec = self.statement(node)
            if srec is not None:
                statements.append(srec)
        self.into.statements += sorted(statements, key=lambda r: r.model.key)
        notes: list[Record[Note]] = []
        for node in sorted(self.g.subjects(RDF.type, class_iri(Note)), key=_order):
            nrec = self.note(node)
            if nrec is not None:
                notes.append(nrec)
        self.into.notes += sorted(notes, key=lambda r: r.model.id)
        self.leftovers()

    def skip_vocabulary(self) -> None:
        """The ontology or the shapes, merged into the file, are not data: skip them."""
        todo: list[Node] = [
            s
            for s in set(self.g.subjects())
            if isinstance(s, URIRef) and str(s).startswith(_VOCABS)
        ]
        seen: set[Node] = set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for p, o in self.g.predicate_objects(subject):
                self.used.add((subject, p, o))
                if isinstance(o, BNode):
                    todo.append(o)

    def ident(self, node: Node, prefix: str, what: str) -> str | None:
        text = str(node)
        start = self.base + prefix
        rest = text[len(start) :] if isinstance(node, URIRef) and text.startswith(start) else ""
        if not _SLUG.match(rest):
            self.problem(
                f"{what} {self.n3(node)}: its IRI must be the universe's IRI <{self.base}> "
                f"followed by {prefix}an id such as 'eve-macarro'",
                node,
                value=text,
            )
            return None
        return rest

    def universe(self, root: Node) -> None:
        self.records.add(root)
        self.used.add((root, RDF.type, class_iri(UniverseInfo)))
        segment = self.base.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        data = self.fields(root, UniverseInfo, "universe")
        data["id"] = segment
        model = self.validate(UniverseInfo, data, root, f"universe {self.n3(root)}")
        if model is not None:
            self.into.infos.append(Record(cast(UniverseInfo, model), data, self.origin(root)))

    def entity(
        self, node: Node, kinds: Mapping[URIRef, EntityKind], root: Node
    ) -> Record[EntityBase] | None:
        self.records.add(node)
        types = [t for t in self.objects(node, RDF.type) if t in kinds]
        if len(types) > 1:
            names = ", ".join(sorted(self.n3(t) for t in types))
            self.problem(f"{self.n3(node)} has several lorekit kinds: {names}", node)
            self.skip(node)
            return None
        kind = kinds[cast(URIRef, types[0])]
        self.used.add((node, RDF.type, types[0]))
        for cls in SCHEMA_TYPES.values():
            if self.has(node, RDF.type, cls):
                self.used.add((node, RDF.type, cls))
        self.use_derived(node)
        ident = self.ident(node, "", kind)
        data = self.fields(node, ENTITY_MODELS[kind], f"{kind} {self.n3(node)}")
        if ident is None:
            return None
        data |= {"id": ident, "kind": kind}
        model = self.validate(ENTITY_MODELS[kind], data, node, f"{kind} {ident!r}")
        if model is None:
            self.into.rejected.add(ident)
            return None
        return Record(cast(EntityBase, model), data, self.origin(node))

    def use_derived(self, node: Node) -> None:
        for prop in DERIVED_PROPERTIES:
            self.take(node, prop)

    def statement(self, node: Node) -> Record[Statement] | None:
        self.records.add(node)
        for cls in (RDF.Statement, class_iri(Statement)):
            self.used.add((node, RDF.type, cls))
        self.use_derived(node)
        raw = [next(iter(self.take(node, prop)), None) for prop in _REIFIED]
        data = self.fields(node, Statement, f"statement {self.n3(node)}")
        ends = [data.get(k) for k in ("subject", "predicate", "object")]
        model = None
        if all(isinstance(e, str) for e in ends):
            s, p, o = cast(list[str], ends)
            label = f"statement '{s} {p} {o}'"
            model = cast(Statement | None, self.validate(Statement, data, node, label))
        if model is None:
            if None not in raw:  # reported above; its plain triple needs no second message
                a, b, c = cast(list[Node], raw)
                self.used.update({(a, b, c), (c, b, a)})
            return None
        plain = self.plain_triple(model)
        if plain is None:
            subject, obj = entity_iri(self.base, s), entity_iri(self.base, o)
            self.problem(
                f"{label}: its statement node {self.n3(node)} is there but the triple "
                f"{self.triple(subject, term(p), obj)} is not; a lorekit export has both",
                node,
            )
            return None
        return Record(model, data, self.origin(node))

    def plain_triple(self, st: Statement) -> tuple[Node, Node, Node] | None:
        s, o = entity_iri(self.base, st.subject), entity_iri(self.base, st.object)
        kind = RELATIONS[st.predicate]
        candidates = [(s, term(st.predicate), o)]
        if kind.symmetric:
            candidates.append((o, term(st.predicate), s))
        elif kind.inverse is not None:
            candidates.append((o, term(kind.inverse), s))
        found = [t for t in candidates if self.has(*t)]
        self.used.update(found)
        return found[0] if found else None

    def note(self, node: Node) -> Record[Note] | None:
        self.records.add(node)
        self.used.add((node, RDF.type, class_iri(Note)))
        self.use_derived(node)
        ident = self.ident(node, "note.", "note")
        data = self.fields(node, Note, f"note {self.n3(node)}")
        if ident is None:
            return None
        data["id"] = ident
        model = self.validate(Note, data, node, f"note {ident!r}")
        return None if model is None else Record(cast(Note, model), data, self.origin(node))

    # -- fields
    def fields(self, node: Node, model: type[BaseModel], label: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for spec in record_fields(model):
            objs = self.take(node, spec.prop)
            if not objs:
                continue
            if not spec.many and len(objs) > 1:
                shown = ", ".join(self.n3(o) for o in objs)
                self.problem(
                    f"{label}: {self.n3(spec.prop)} has {len(objs)} values ({shown}); "
                    f"{spec.name} takes one",
                    node,
                )
                continue
            values = [self.value(node, spec, o, label) for o in objs]
            if spec.many:
                data[spec.name] = [v for v in values if v is not None]
            elif values[0] is not None:
                data[spec.name] = values[0]
        return data

    def value(self, node: Node, spec: FieldSpec, obj: Node, label: str) -> Any:

        def where() -> str:  # only on error: writing terms short costs time
            return f"{label}: {self.triple(node, spec.prop, obj)}"

        if spec.kind == "ref":
            ident = str(obj)[len(self.base) :] if str(obj).startswith(self.base) else ""
            if isinstance(obj, URIRef) and _SLUG.match(ident):
                return ident
            self.problem(f"{where()}: {spec.name} must be an entity of this universe", node)
            return None
        if spec.kind == "wikidata":
            if isinstance(obj, URIRef) and obj.startswith(str(WD)):
                return str(obj)[len(str(WD)) :]
            self.problem(f"{where()}: {spec.name} must be a Wikidata item such as wd:Q43416", node)
            return None
        if spec.kind == "predicate":
            name = str(obj)[len(LORE_NS) :] if str(obj).startswith(LORE_NS) else str(obj)
            try:
                resolve_predicate(name)
            except KeyError:
                self.problems.append(
                    UnknownPredicateError(
                        f"{where()}: {self.n3(obj)} is not a predicate of the lorekit "
                        f"ontology{predicate_hint(name)}",
                        file=self.file,
                        line=self.line(node),
                        value=str(obj),
                    )
                )
                return None
            return name
        if spec.kind == "model":
            assert spec.nested is not None
            cls = class_iri(spec.nested)
            self.records.add(obj)
            if not self.has(obj, RDF.type, cls):
                self.problem(
                    f"{where()}: the {spec.name} node must have rdf:type {self.n3(cls)}", node
                )
                self.skip(obj)
                return None
            self.used.add((obj, RDF.type, cls))
            self.use_derived(obj)
            return self.fields(obj, spec.nested, f"{label}: {spec.name}")
        if not isinstance(obj, RDFLiteral):
            self.problem(f"{where()}: {spec.name} must be a literal, not an IRI", node)
            return None
        if spec.kind in ("text", "choice"):
            return str(obj)
        if spec.kind == "date" and obj.datatype not in (None, XSD.date, XSD.string):
            return str(obj)  # the model rejects it with a clear message
        value = obj.toPython()
        return str(obj) if isinstance(value, RDFLiteral) else value

    def validate(
        self, model: type[BaseModel], data: dict[str, Any], node: Node, label: str
    ) -> BaseModel | None:
        try:
            return sorted_fields(model.model_validate(data))
        except ValidationError as exc:
            for error in exc.errors():
                self.problem(f"{label}: {explain(error, model)}", node, value=error.get("input"))
            return None

    # -- what is left
    def leftovers(self) -> None:
        left: dict[Node, list[tuple[Node, Node, Node]]] = defaultdict(list)
        for triple in self.g:
            if triple not in self.used:
                left[triple[0]].append(triple)
        skipped: set[Node] = set()
        for subject in sorted(left, key=_order):
            if subject in self.records or isinstance(subject, BNode):
                continue
            self.unknown_node(subject)
            skipped |= self.closure(subject)
        for subject in sorted(left, key=_order):
            if subject in skipped or (
                subject not in self.records and not isinstance(subject, BNode)
            ):
                continue
            for s, p, o in sorted(left[subject], key=lambda t: tuple(map(_order, t))):
                self.problem(self.misfit(s, p, o), s, value=(str(s), str(p), str(o)))

    def skip(self, node: Node) -> None:
        """Leave out a node already reported, with its blank nodes: no second message."""
        for part in self.closure(node):
            self.used.update((part, p, o) for p, o in self.g.predicate_objects(part))
        if isinstance(node, URIRef) and str(node).startswith(self.base):
            self.into.rejected.add(str(node)[len(self.base) :])

    def closure(self, node: Node) -> set[Node]:
        """``node`` and the blank nodes it leads to (its citations, its rating)."""
        found: set[Node] = set()
        todo = [node]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo += [o for o in self.g.objects(current) if isinstance(o, BNode)]
        return found

    def unknown_node(self, node: Node) -> None:
        """Report a node lorekit cannot tell the kind of, once, with what it is called."""
        known = sorted(
            self.n3(c) for c in (*entity_classes(), class_iri(Statement), class_iri(Note))
        )
        types = sorted(self.g.objects(node, RDF.type), key=_order)
        wrong = [t for t in types if isinstance(t, URIRef) and t.startswith(LORE_NS)]
        if wrong:
            what = (
                f"has rdf:type {self.n3(wrong[0])}, which is not a class of the lorekit "
                f"ontology{_hint(wrong[0])}"
            )
        elif types:
            shown = ", ".join(self.n3(t) for t in types)
            what = f"has rdf:type {shown} but no lorekit class; give it one of {', '.join(known)}"
        else:
            what = (
                "has no rdf:type, so lorekit cannot tell what it is; give it one of "
                + ", ".join(known)
            )
        n = sum(1 for _ in self.g.predicate_objects(node))
        self.problem(f"{self.n3(node)} {what} (its {n} triples are left out)", node)
        if isinstance(node, URIRef) and str(node).startswith(self.base):
            self.into.rejected.add(str(node)[len(self.base) :])

    def misfit(self, s: Node, p: Node, o: Node) -> str:
        where = self.triple(s, p, o)
        if p == RDF.type and isinstance(o, URIRef) and o.startswith(LORE_NS):
            return f"{where}: {self.n3(o)} is not a class of the lorekit ontology{_hint(o)}"
        if isinstance(p, URIRef) and p.startswith(LORE_NS) and p[len(LORE_NS) :] not in LORE:
            return f"{where}: {self.n3(p)} is not a property of the lorekit ontology{_hint(p)}"
        if p in self.relation_props:
            return (
                f"{where}: no rdf:Statement node gives this statement's sources; every "
                "statement needs one (see docs/rdf.md)"
            )
        return f"{where}: the lorekit ontology has no place for this triple"


def _order(node: Node) -> str:
    """A sort key for nodes: their N-Triples form."""
    return node.n3()


def _hint(iri: URIRef) -> str:
    from .vocab import lore_terms

    local = str(iri)[len(LORE_NS) :]
    return did_you_mean(local, lore_terms(), n=2, show=lambda c: f"lore:{c}")


class RdfReader(Reader):
    """Reads an RDF file exported by lorekit, in any of the RDF formats.

    Registered by the loader (``lorekit._load.reader``) under each format's
    name and suffixes; it has no fast path.
    """

    name = "rdf"
    suffixes = RDF_SUFFIXES

    def read(self, path: Path, into: Records, *, fast: bool = False) -> None:
        read_rdf(path, into)


def read_rdf(path: Path, records: Records) -> None:
    """Read an RDF file into the loader's records: its records, or its problems."""
    display = str(path)
    with quiet_rdflib():
        try:
            graph, text = parse_rdf(path)
        except RDFError as exc:
            records.problems.append(exc)
            return
        importer = _Importer(graph, text, display, records)
        importer.run()
    records.problems += importer.problems
