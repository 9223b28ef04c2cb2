"""Readers: found by suffix or name, imported lazily, and open to other packages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

import lorekit
from lorekit import LoadError
from lorekit._core.formats import RDF_FORMATS
from lorekit._core.model import ENTITY_MODELS, Statement
from lorekit._load import reader as registry
from lorekit._load.explain import explain
from lorekit._load.reader import Origin, Reader, Record, Records, reader_for, reader_named, register
from lorekit._rdf.export import serialize_rdf

ROOT = Path(__file__).resolve().parents[1]


class JsonLinesReader(Reader):
    """A third party's format: one JSON record a line, entities tagged with their kind."""

    suffixes = (".jsonl",)

    def read(self, path: Path, into: Records, *, fast: bool = False) -> None:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            data = json.loads(line)
            origin = Origin(str(path), number)
            model = Statement if "predicate" in data else ENTITY_MODELS[data["kind"]]
            try:
                record = model.model_validate(data)
            except ValidationError as exc:
                for error in exc.errors():
                    message = f"line record: {explain(error, model)}"
                    into.problems.append(lorekit.SchemaError(message, file=str(path), line=number))
                continue
            if isinstance(record, Statement):
                into.statements.append(Record(record, data, origin))
            else:
                into.entities.append(Record(record, data, origin))


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registrations made by a test end with it."""
    monkeypatch.setattr(registry, "_ENTRIES", dict(registry._ENTRIES))
    monkeypatch.setattr(registry, "_BY_SUFFIX", dict(registry._BY_SUFFIX))
    monkeypatch.setattr(registry, "_MADE", dict(registry._MADE))
    monkeypatch.setattr(registry, "_entry_points_read", registry._entry_points_read)
    yield


def jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = (
    {"kind": "character", "id": "eve", "name": "Eve"},
    {"kind": "faction", "id": "roma", "name": "Ruska Roma"},
    {"kind": "source", "id": "wiki", "name": "The wiki"},
    {"subject": "eve", "predicate": "member_of", "object": "roma", "sources": ["wiki"]},
)


def test_built_in_readers_by_suffix_and_name() -> None:
    assert reader_for(Path("a/b.yaml")).name == "yaml"
    assert reader_for(Path("a/b.YML")) is reader_named("yaml")
    for key, fmt in RDF_FORMATS.items():
        for suffix in fmt.suffixes:
            assert reader_for(Path(f"u{suffix}")).name == key
        assert reader_named(key).suffixes == fmt.suffixes


def test_loading_yaml_never_imports_the_rdf_layer() -> None:
    code = (
        "import sys, lorekit\n"
        "from pathlib import Path\n"
        "from lorekit._load.reader import entry_for, known_readers\n"
        "lorekit.load()\n"
        "assert entry_for(Path('u.ttl')).module == 'lorekit._rdf.read'\n"
        "assert len(known_readers()) >= 7\n"
        "print(sorted(m for m in sys.modules if m.startswith(('lorekit._rdf', 'rdflib'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_unknown_suffix_names_the_file_and_the_known_formats(tmp_path: Path) -> None:
    path = tmp_path / "lore.csv"
    path.write_text("id,name\neve,Eve\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        lorekit.load(path)
    [error] = info.value.errors
    assert error.file == str(path)
    assert error.message.startswith("no reader for '.csv' files; lorekit reads yaml (.yaml, .yml)")
    for fmt in RDF_FORMATS.values():
        assert f"{fmt.key} ({', '.join(fmt.suffixes)})" in error.message


def test_a_missing_file_is_reported_as_before(tmp_path: Path) -> None:
    for name, message in [("nope", "no such file or directory"), ("nope.yaml",
                          "no such file or directory"), ("nope.ttl", "no such file")]:  # fmt: skip
        with pytest.raises(LoadError) as info:
            lorekit.load(tmp_path / name)
        assert [e.message for e in info.value.errors] == [message]


@pytest.mark.usefixtures("clean_registry")
def test_a_reader_registered_at_runtime_is_used_and_checked(tmp_path: Path) -> None:
    register("jsonl", (".jsonl",), __name__, "JsonLinesReader")
    lore = lorekit.load(jsonl(tmp_path / "tiny.jsonl", *RECORDS))
    assert [e.id for e in lore.members("roma")] == ["eve"]
    assert lore.origin(lore.entity("eve")) == Origin(str(tmp_path / "tiny.jsonl"), 1)
    assert lore.name == "tiny"
    # the loader's cross-checks apply to every format, with the reader's lines
    bad = jsonl(tmp_path / "bad.jsonl", *RECORDS[:3],
                {"subject": "eva", "predicate": "member_of", "object": "roma", "sources": ["wiki"]},
                {"kind": "place", "id": "Hotel", "name": "The Continental"})  # fmt: skip
    with pytest.raises(LoadError) as info:
        lorekit.load(bad)
    assert [(e.line, type(e).__name__) for e in info.value.errors] == [
        (4, "UnknownEntityError"),
        (5, "SchemaError"),
    ]
    assert "unknown id 'eva' in subject (did you mean 'eve'?)" in str(info.value)
    assert all(e.file == str(bad) for e in info.value.errors)


@pytest.mark.usefixtures("clean_registry")
def test_a_reader_from_an_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "lore_jsonl-1.0.dist-info").mkdir(parents=True)
    (site / "lore_jsonl-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: lore-jsonl\nVersion: 1.0\n", encoding="utf-8"
    )
    (site / "lore_jsonl-1.0.dist-info" / "entry_points.txt").write_text(
        "[lorekit.readers]\njsonl = lore_jsonl:Reader\n", encoding="utf-8"
    )
    (site / "lore_jsonl.py").write_text(
        f"import sys\nReader = sys.modules[{__name__!r}].JsonLinesReader\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry, "_entry_points_read", False)
    lore = lorekit.load(jsonl(tmp_path / "tiny.jsonl", *RECORDS))
    assert reader_named("jsonl").suffixes == (".jsonl",)
    assert isinstance(reader_named("jsonl"), JsonLinesReader)
    assert lore.entity("eve").name == "Eve"


def _broken(name: str, tmp_path: Path) -> Path:
    """A data file in the format ``name`` with a mistake the loader must place."""
    if name == "yaml":
        path = tmp_path / "bad.yaml"
        path.write_text((ROOT / "tests" / "broken" / "range-violation.yaml").read_text())
        return path
    fmt = RDF_FORMATS[name]  # type: ignore[index]
    text = serialize_rdf(lorekit.load(), fmt.key)
    path = tmp_path / f"bad{fmt.suffixes[0]}"
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut short: a syntax error
    return path


@pytest.mark.parametrize("name", ["yaml", *RDF_FORMATS])
def test_errors_carry_file_and_line_in_every_format(name: str, tmp_path: Path) -> None:
    path = _broken(name, tmp_path)
    with pytest.raises(LoadError) as info:
        lorekit.load(path)
    assert info.value.errors
    for error in info.value.errors:
        assert error.file == str(path)
        assert isinstance(error.line, int) and error.line > 0, error
