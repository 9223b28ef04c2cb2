"""Property tests: any valid universe survives model → RDF → model, in every syntax.

The strategy builds random universes that the loader accepts: ids are slugs,
references point at entities of the right kind, statements respect their
predicate's domain and range, every statement and note cites a source or a
work. Statements with a chronology (set_after, causes, during) are left out
of the random ones, because random ones could form a story-order cycle,
which is a load error; the bundled data round-trips them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from rdflib import Graph
from rdflib.compare import isomorphic

import lorekit
from lorekit import ENTITY_KINDS, RELATIONS, LoreGraph, Statement, Universe
from lorekit._core.formats import RDF_SUFFIXES
from lorekit._core.model import ENTITY_MODELS, Citation, EntityBase, Note, UniverseInfo
from lorekit._rdf.canonical import canonical
from lorekit._rdf.export import RdfFormat, serialize_rdf
from lorekit._rdf.vocab import FieldSpec, record_fields

SLUGS = st.from_regex(r"[a-z0-9]{1,5}(-[a-z0-9]{1,3}){0,2}", fullmatch=True)
# Text that every syntax can carry: no control characters but tab and newline
# (XML 1.0 cannot hold the others), no surrogates or unassigned code points.
CHARS = st.characters(
    exclude_categories=("Cs", "Cn", "Cc"), include_characters="\t\n"
) | st.sampled_from("\"'\\{}<>&;#.:")
TEXT = st.text(CHARS, max_size=12)
NAMES = TEXT.filter(lambda t: t.strip() != "")
CHRONOLOGY = {name for name, kind in RELATIONS.items() if kind.chronology is not None}


def _reject(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


@st.composite
def field_value(draw: st.DrawFn, spec: FieldSpec, works: list[str], ids: list[str]) -> Any:
    """A value for one field, generic over the model's field kinds."""
    if spec.kind == "ref":
        return draw(st.sampled_from(works if spec.name == "first_appearance" else ids))
    if spec.kind == "choice":
        return draw(st.sampled_from(spec.choices))
    if spec.kind == "text":
        return draw(NAMES)
    if spec.kind == "date":
        return draw(st.dates())
    if spec.kind == "int":
        return draw(st.integers(1800, 2200))
    if spec.kind == "float":
        return draw(st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
    if spec.kind == "bool":
        return draw(st.booleans())
    if spec.kind == "wikidata":
        return draw(st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True))
    assert spec.nested is not None
    nested = {s.name: draw(field_value(s, works, ids)) for s in record_fields(spec.nested)}
    return nested


@st.composite
def citations(draw: st.DrawFn, cited: list[str], min_size: int) -> list[Citation]:
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(cited), st.none() | NAMES.map(str.strip)),
            min_size=min_size,
            max_size=3,
        )
    )
    return [Citation(source=s, locator=loc or None) for s, loc in pairs]


@st.composite
def universes(draw: st.DrawFn) -> Universe:
    ids = draw(st.lists(SLUGS, min_size=2, max_size=9, unique=True))
    kinds = ["source", *draw(st.lists(st.sampled_from(ENTITY_KINDS), min_size=len(ids) - 1,
                                      max_size=len(ids) - 1))]  # fmt: skip
    kind_of = dict(zip(ids, kinds, strict=True))
    works = [i for i, k in kind_of.items() if k == "work"]
    cited = [i for i, k in kind_of.items() if k in ("source", "work")]
    entities: list[EntityBase] = []
    for ident, kind in kind_of.items():
        data: dict[str, Any] = {"id": ident, "kind": kind, "name": draw(NAMES)}
        for spec in record_fields(ENTITY_MODELS[kind]):
            if spec.name in data or spec.name == "sources":
                continue
            if spec.kind == "ref" and not works:
                continue
            if draw(st.booleans()):
                value = field_value(spec, works, ids)
                data[spec.name] = draw(st.lists(value, max_size=3) if spec.many else value)
        data["sources"] = draw(citations(cited, 0))
        entity = _reject(ENTITY_MODELS[kind], data)
        if entity is None:  # e.g. a rating above its scale: draw the entity without it
            data.pop("rating", None)
            entity = ENTITY_MODELS[kind].model_validate(data)
        entities.append(entity)

    statements: dict[tuple[str, str, str], Statement] = {}
    ends = {
        name: (
            [i for i in ids if kind_of[i] in rel.domain],
            [i for i in ids if kind_of[i] in rel.range],
        )
        for name, rel in RELATIONS.items()
        if name not in CHRONOLOGY
    }
    predicates = sorted(name for name, (subj, obj) in ends.items() if subj and obj)
    for _ in range(draw(st.integers(0, 8)) if predicates else 0):
        name = draw(st.sampled_from(predicates))
        relation = RELATIONS[name]
        subjects, objects = ends[name]
        s, o = draw(st.sampled_from(subjects)), draw(st.sampled_from(objects))
        key = (min(s, o), name, max(s, o)) if relation.symmetric else (s, name, o)
        statements[key] = Statement(
            subject=s,
            predicate=name,
            object=o,
            sources=draw(citations(cited, 1)),
            layer=relation.layer,
            revealed_in=draw(st.sampled_from(works)) if works else None,
            note=draw(st.none() | NAMES),
        )
    notes = [
        Note(
            id=note_id,
            about=draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)),
            text=draw(NAMES),
            sources=draw(citations(cited, 1)),
            layer=draw(st.sampled_from(lorekit.LAYERS)),
            revealed_in=draw(st.sampled_from(works)) if works else None,
        )
        for note_id in draw(st.lists(SLUGS, max_size=3, unique=True))
    ]
    info = UniverseInfo(id=draw(SLUGS), name=draw(NAMES), description=draw(st.none() | TEXT))
    return Universe(
        info=info, entities=tuple(entities), statements=tuple(statements.values()),
        notes=tuple(notes),
    )  # fmt: skip


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _round_trip(universe: Universe, fmt: RdfFormat) -> None:
    original = LoreGraph(universe)
    text = serialize_rdf(original, fmt)
    suffix = {"ttl": ".ttl", "jsonld": ".jsonld", "xml": ".rdf", "nt": ".nt"}[fmt]
    assert suffix in RDF_SUFFIXES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"universe{suffix}"
        path.write_text(text, encoding="utf-8")
        loaded = lorekit.load(path)
    assert loaded.universe == canonical(universe)
    assert isomorphic(loaded.to_rdf(), original.to_rdf())
    assert serialize_rdf(loaded, fmt) == text


@SETTINGS
@given(universes())
def test_turtle_round_trip(universe: Universe) -> None:
    _round_trip(universe, "ttl")


@SETTINGS
@given(universes())
def test_jsonld_round_trip(universe: Universe) -> None:
    _round_trip(universe, "jsonld")


@settings(max_examples=15, deadline=None)
@given(universes())
def test_rdfxml_and_ntriples_round_trip(universe: Universe) -> None:
    _round_trip(universe, "xml")
    _round_trip(universe, "nt")


@settings(max_examples=25, deadline=None)
@given(universes())
def test_canonical_is_idempotent_and_keeps_every_record(universe: Universe) -> None:
    once = canonical(universe)
    assert canonical(once) == once
    assert {e.id for e in once.entities} == {e.id for e in universe.entities}
    assert {s.key for s in once.statements} == {s.key for s in universe.statements}
    assert {n.id for n in once.notes} == {n.id for n in universe.notes}


@settings(max_examples=25, deadline=None)
@given(universes())
def test_text_and_rdflib_sinks_agree(universe: Universe) -> None:
    """Turtle and N-Triples, read back by rdflib, are the rdflib sink's graph."""
    lore = LoreGraph(universe)
    expected = lore.to_rdf()
    for fmt, syntax in (("ttl", "turtle"), ("nt", "nt")):
        back = Graph().parse(data=serialize_rdf(lore, fmt), format=syntax)  # type: ignore[arg-type]
        assert len(back) == len(expected)
        assert isomorphic(back, expected)
