"""What keeps a big load small: shared citations, ids and field sets, defaults without copies.

Sharing must change no value, so each test checks the values against the
plain pydantic way of making the same records.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from lorekit._core.model import Citation, Interner, Statement
from lorekit._load.defaults import fill_defaults
from lorekit._load.synth import synthesize
from lorekit._load.universe import bundled_data_path, load_universe


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("memory") / "u"
    synthesize(out, entities=400, seed=5)
    return out


def test_a_load_keeps_each_citation_and_field_set_once(synthetic: Path) -> None:
    universe, _ = load_universe(synthetic)
    by_value: dict[Citation, Citation] = {}
    for record in (*universe.entities, *universe.statements, *universe.notes):
        for citation in record.sources:
            first = by_value.setdefault(citation, citation)
            assert first is citation
    assert len(by_value) < sum(len(s.sources) for s in universe.statements)
    shapes = {
        (type(s), frozenset(s.model_fields_set)): s.model_fields_set for s in universe.statements
    }
    assert all(shapes[(type(s), frozenset(s.model_fields_set))] is s.model_fields_set
               for s in universe.statements)  # fmt: skip
    ends: dict[str, str] = {}
    for st in universe.statements:
        for ident in (st.subject, st.object):
            assert ends.setdefault(ident, ident) is ident


def test_shared_records_equal_those_validated_one_by_one(synthetic: Path) -> None:
    universe, _ = load_universe(synthetic)
    for st in universe.statements[:300]:
        alone = Statement.model_validate(st.model_dump())
        assert alone == st
        assert [c.model_fields_set for c in alone.sources] == [
            c.model_fields_set for c in st.sources
        ]


def test_a_citation_invalid_alone_is_reported_as_without_an_interner() -> None:
    data = {"subject": "eve", "predicate": "member_of", "object": "roma",
            "sources": ["Not A Slug ¶1", "w ¶2"]}  # fmt: skip
    with pytest.raises(ValidationError) as plain:
        Statement.model_validate(dict(data))
    with pytest.raises(ValidationError) as shared:
        Statement.model_validate(dict(data), context={"interner": Interner()})
    assert shared.value.errors() == plain.value.errors()


def test_fill_defaults_makes_what_model_copy_makes_and_changes_no_record() -> None:
    universe, _ = load_universe(bundled_data_path())
    entities = {e.id: e for e in universe.entities}
    bare = [
        st.model_copy(update={"layer": None, "revealed_in": None}) for st in universe.statements
    ]
    before = [(st.layer, st.revealed_in, set(st.model_fields_set)) for st in bare]
    filled, _ = fill_defaults(entities, list(bare), [])
    assert [(st.layer, st.revealed_in, set(st.model_fields_set)) for st in bare] == before
    for old, new in zip(bare, filled, strict=True):
        expected = old.model_copy(update={"layer": new.layer, "revealed_in": new.revealed_in})
        assert new == expected
        assert new.model_fields_set == expected.model_fields_set
    assert [st.layer for st in filled] == [st.layer for st in universe.statements]
    assert {st.revealed_in for st in filled} - {None} <= entities.keys()


def test_shared_records_pickle_and_copy_apart(synthetic: Path) -> None:
    universe, _ = load_universe(synthetic)
    again = pickle.loads(pickle.dumps(universe))
    assert again == universe
    st = universe.statements[0]
    other = next(s for s in universe.statements[1:] if s.model_fields_set is st.model_fields_set)
    changed = st.model_copy(update={"note": "a remark"})
    assert "note" in changed.model_fields_set
    assert "note" not in st.model_fields_set and "note" not in other.model_fields_set
