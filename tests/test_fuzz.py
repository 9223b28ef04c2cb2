"""Fuzzing every reader: each file either loads or gives a LoreError with a location.

Hypothesis makes YAML universes (generated structures, and a valid universe
mutated as text) and mutates one small universe written in each RDF format.
Mutations insert what a hostile author would: references to a recording
loopback server as JSON-LD contexts, DTDs, entities, a local secret file.
Every case must load or raise a :class:`lorekit.LoreError` whose errors all
name a file; any other exception fails, and so does a case that runs longer
than ``CASE_SECONDS`` (an alarm interrupts it), a network connection (any
host), or the secret showing up in what was loaded.

The runs are short by default (a few hundred cases). For a long run::

    LOREKIT_FUZZ=long python -m pytest tests/test_fuzz.py -p no:cacheprovider \\
        --hypothesis-show-statistics
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import lorekit
from lorekit._core.kinds import SECTIONS
from lorekit._core.model import ENTITY_MODELS, Citation, Note, Statement, UniverseInfo
from lorekit._core.relations import LAYERS, RELATIONS
from lorekit._rdf.export import serialize_rdf

_COMMON = {
    "deadline": None,  # the alarm below bounds a case; Hypothesis' deadline only reports
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "database": None,
}
settings.register_profile("lorekit-fuzz-ci", max_examples=25, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("lorekit-fuzz-long", max_examples=1500, **_COMMON)  # type: ignore[arg-type]
FUZZ = settings(settings.get_profile(f"lorekit-fuzz-{os.environ.get('LOREKIT_FUZZ', 'ci')}"))
YAML_FUZZ = settings(FUZZ, max_examples=FUZZ.max_examples * 3)  # YAML cases are cheap

CASE_SECONDS = 10.0
SECRET = "TOPSECRET-c41f"
LOOPBACK = "http://loopback.invalid"  # replaced by the recording server's address

BASE = """\
universe: {id: fuzz, name: Fuzz, description: A small universe with a bit of everything.}
works:
  - {id: saga, name: The Saga, form: franchise}
  - {id: part-one, name: Part One, aliases: [One], category: mainline, release_date: 2001-02-03}
  - {id: part-two, name: Part Two, category: mainline, release_date: 2004-05-06}
characters:
  - {id: ada, name: Ada, aliases: [The Countess], description: "A \\"quoted\\" hero, ünïcode",
     first_appearance: part-one, sources: [part-one]}
  - {id: bo, name: Bo, first_appearance: part-two, sources: [{source: review, locator: ¶2}]}
factions:
  - {id: guild, name: The Guild, category: organisation, sources: [part-one]}
places:
  - {id: keep, name: The Keep, category: city, sources: [part-one]}
people:
  - {id: cy, name: Cy Writer, born: 1970-01-01}
sources:
  - {id: review, name: A Review, author: R. Critic, url: "https://example.org/r",
     published: 2004-06-01}
statements:
  - {subject: ada, predicate: member_of, object: guild, sources: [part-one]}
  - {subject: bo, predicate: enemy_of, object: ada, note: "a <b>note</b> & more",
     revealed_in: part-two, sources: ["review ¶1"]}
  - {subject: guild, predicate: located_in, object: keep, sources: [part-one]}
  - {subject: cy, predicate: plays, object: ada, sources: [part-one]}
  - {subject: part-two, predicate: set_after, object: part-one, sources: [part-two]}
  - {subject: review, predicate: reviews, object: part-two, layer: reception, sources: [review]}
notes:
  - {id: aside, about: [ada, bo], text: They meet once., sources: [part-two]}
"""

RDF_FORMATS = {
    "ttl": "ttl",
    "nt": "nt",
    "jsonld": "jsonld",
    "xml": "rdf",
    "trig": "trig",
    "nq": "nq",
}


# --- the harness ---------------------------------------------------------------


class _Overtime(BaseException):
    """Raised by the alarm; a BaseException, so no reader's ``except Exception`` hides it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def guard(loopback: Any) -> Iterator[dict[str, list[str]]]:
    """No connection to anywhere while a case runs: each attempt is recorded and refused."""
    attempts: dict[str, list[str]] = {"connect": [], "http": loopback.requests}
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        attempts["connect"].append(repr(address))
        raise ConnectionRefusedError("the fuzz tests allow no connection")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect)
        yield attempts
    assert real_connect is socket.socket.connect


def _load_or_lore_error(path: Path, guard: dict[str, list[str]]) -> None:
    """The property every reader keeps, checked for one case."""
    lore = None
    try:
        with _time_limit(CASE_SECONDS):
            try:
                lore = lorekit.load(path)
                event("loaded")
            except lorekit.LoreError as exc:
                errors = exc.errors if isinstance(exc, lorekit.LoadError) else [exc]
                event(f"refused: {type(errors[0]).__name__}" if errors else "no errors")
                assert errors, "a LoadError with no errors"
                for error in errors:
                    assert error.file, f"no location: {error!r}"
                    assert SECRET not in str(error)
    except _Overtime:
        raise AssertionError(f"{path.name}: no answer within {CASE_SECONDS} s") from None
    assert guard["connect"] == [] and guard["http"] == [], "a reader reached the network"
    if lore is not None:
        assert SECRET not in serialize_rdf(lore, "nt")


@pytest.fixture()
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("case")


def _case(root: Path, name: str, text: str | bytes) -> Path:
    """A fresh folder holding the case file, and a secret beside it for it to try to read."""
    folder = root / f"c{len(list(root.iterdir()))}"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "secret.jsonld").write_text(f'{{"@context": {{"x": "{SECRET}"}}}}', encoding="utf-8")
    path = folder / name
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    path.write_bytes(text)
    return path


# --- mutations -----------------------------------------------------------------

_HOSTILE = [
    f'"@context": "{LOOPBACK}/c.jsonld", ',
    f'{{"@context": ["{LOOPBACK}/c.jsonld"]}}',
    f'"@import": "{LOOPBACK}/i.jsonld", ',
    '"@context": "secret.jsonld", ',
    '"@context": "file://SECRET_DIR/secret.jsonld", ',
    '"@context": "https://w3id.org/lorekit/context.jsonld", ',
    '<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE rdf:RDF [<!ENTITY s SYSTEM "file://SECRET_DIR/secret.txt">]>',
    f'<!DOCTYPE rdf:RDF SYSTEM "{LOOPBACK}/d.dtd">',
    "&a;",
    "&s;",
    f"<{LOOPBACK}/x>",
    f"@base <{LOOPBACK}/> .\n",
    f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<a:x> owl:imports <{LOOPBACK}/o.ttl> .\n",
    "*a",
    "&a [x, y]",
    "!!python/object:os.system ['true']",
    "{{",
    "\x00",
    "\ufeff",
    "\u2028",
    "\udc80",
    "[" * 3000,  # deeper than Python's recursion limit
    "(" * 3000,
    "{a: " * 3000,
]
_SYNTAX = list("<>\"'{}[](),;:.@#_^\\/ \n\t-=*&!|%?") + [
    "^^",
    "@en",
    "_:b0",
    "a",
    "true",
    "null",
    "1e999",
    "-0",
    "99999999999999999999999",
    "1999-02-30",
    "rdf:type",
    "lore:Character",
    "prov:qualifiedDerivation",
    "@graph",
    "@id",
    "@type",
    "@value",
    "@list",
    "rdf:Description",
    "rdf:about=",
    "rdf:resource=",
    "rdf:parseType=",
    "xml:lang=",
    "- ",
    ": ",
    "---\n",
    "...\n",
]
_token = st.one_of(
    st.sampled_from(_HOSTILE), st.sampled_from(_SYNTAX), st.text(min_size=1, max_size=6)
)
_op = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), _token),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 80)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 80)),
    st.tuples(st.just("swap"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
)


def _mutate(text: str, ops: list[tuple[str, float, Any]], *, url: str, secret_dir: Path) -> str:
    for name, where, arg in ops:
        at = int(where * len(text))
        if name == "insert":
            piece = str(arg).replace(LOOPBACK, url).replace("SECRET_DIR", str(secret_dir))
            text = text[:at] + piece + text[at:]
        elif name == "delete":
            text = text[:at] + text[at + arg :]
        elif name == "repeat":
            text = text[:at] + text[at : at + arg] * 3 + text[at:]
        elif name == "swap":
            other = int(arg * len(text))
            lo, hi = sorted((at, other))
            text = text[:lo] + text[hi : hi + 20] + text[lo + 20 : hi] + text[lo : lo + 20]
        else:
            text = text[:at]
    return text


@functools.cache
def _base_rdf() -> dict[str, str]:
    """The base universe in every RDF format (not a fixture: its repr would be huge)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "universe.yaml"
        path.write_text(BASE, encoding="utf-8")
        lore = lorekit.load(path)
    return {fmt: serialize_rdf(lore, fmt) for fmt in RDF_FORMATS}  # type: ignore[arg-type]


def test_the_base_universe_loads_in_every_format(tmp_path: Path) -> None:
    for fmt, text in _base_rdf().items():
        path = tmp_path / f"u.{RDF_FORMATS[fmt]}"
        path.write_text(text, encoding="utf-8")
        assert len(lorekit.load(path)) == 9


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
@FUZZ
@given(ops=st.lists(_op, min_size=1, max_size=4))
def test_mutated_rdf_loads_or_says_where(
    fmt: str,
    ops: list[tuple[str, float, Any]],
    guard: dict[str, list[str]],
    loopback: Any,
    case_dir: Path,
) -> None:
    path = _case(case_dir, f"u.{RDF_FORMATS[fmt]}", "")
    text = _mutate(_base_rdf()[fmt], ops, url=loopback.url, secret_dir=path.parent)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _load_or_lore_error(path, guard)


@YAML_FUZZ
@given(ops=st.lists(_op, min_size=1, max_size=4))
def test_mutated_yaml_loads_or_says_where(
    ops: list[tuple[str, float, Any]], guard: dict[str, list[str]], loopback: Any, case_dir: Path
) -> None:
    path = _case(case_dir, "universe.yaml", "")
    text = _mutate(BASE, ops, url=loopback.url, secret_dir=path.parent)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _load_or_lore_error(path.parent, guard)


# --- generated YAML universes ---------------------------------------------------

_ids = st.one_of(
    st.sampled_from(["ada", "bo", "guild", "part-one", "part-two", "review", "saga", "x"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
    st.text(max_size=6),
)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.dates(),
    _ids,
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


def _record(fields: list[str], required: dict[str, st.SearchStrategy[Any]]) -> Any:
    optional: dict[str, st.SearchStrategy[Any]] = {f: _value for f in fields if f not in required}
    if "sources" in optional:
        optional["sources"] = st.lists(st.deferred(lambda: _citation), max_size=3) | _value
    if "layer" in optional:
        optional["layer"] = st.deferred(lambda: _layers)
    optional["unknown_field"] = _value
    return st.fixed_dictionaries(required, optional=optional)


_citation = st.one_of(
    _ids,
    st.builds(lambda s, loc: f"{s} ¶{loc}", _ids, st.integers(-1, 99)),
    _record(list(Citation.model_fields), {"source": _ids}),
)
_entities = {
    section: st.lists(
        _record(list(ENTITY_MODELS[kind].model_fields), {"id": _ids, "name": _scalar}), max_size=3
    )
    for section, kind in SECTIONS.items()
}
_predicates = st.sampled_from(sorted(RELATIONS)) | st.text(max_size=10)
_layers = st.sampled_from(list(LAYERS)) | _value
_statement = _record(
    list(Statement.model_fields),
    {"subject": _ids, "predicate": _predicates, "object": _ids},
)
_note = _record(list(Note.model_fields), {"id": _ids, "about": st.lists(_ids, max_size=3)})
_universe = _record(list(UniverseInfo.model_fields), {"id": _ids, "name": _scalar})
_document = st.fixed_dictionaries(
    {},
    optional={
        "universe": _universe | _value,
        **_entities,
        "statements": st.lists(_statement | _value, max_size=4),
        "notes": st.lists(_note, max_size=2),
        "stray": _value,
    },
)


@YAML_FUZZ
@given(documents=st.lists(_document, min_size=1, max_size=3))
def test_generated_yaml_universes_load_or_say_where(
    documents: list[dict[str, Any]],
    guard: dict[str, list[str]],
    case_dir: Path,
) -> None:
    folder = _case(case_dir, "universe.yaml", "universe: {id: fuzz, name: Fuzz}\n").parent
    for number, document in enumerate(documents):
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        (folder / f"part-{number}.yaml").write_text(text, encoding="utf-8")
    _load_or_lore_error(folder, guard)


# --- what the fuzz found, kept as plain cases -------------------------------------


_FUZZ_IRI = "<https://w3id.org/lorekit/universe/fuzz/> <"


@pytest.mark.parametrize(
    ("fmt", "before", "after"),
    [
        ("ttl", "@prefix fuzz: <https://", "@prefix fuzz: <@prefix fuzz: <https://"),
        ("trig", "@prefix fuzz: <https://", '@prefix fuzz: <https://a"b/ '),
        ("nt", _FUZZ_IRI, "<<" + _FUZZ_IRI),
        ("nq", _FUZZ_IRI, "<https://w3id.org/lore{kit}/> <"),
        ("xml", 'rdf:about="https://w3id.org/lorekit/universe/fuzz/ada"', 'rdf:about="a b"'),
        ("jsonld", '"id": "ada"', '"id": "https://example.org/a{b}"'),
    ],
)
def test_an_iri_no_syntax_can_write_is_refused(
    fmt: str, before: str, after: str, tmp_path: Path
) -> None:
    """rdflib's parsers let these through, and the importer then crashed printing them."""
    text = _base_rdf()[fmt]
    assert before in text
    path = tmp_path / f"u.{RDF_FORMATS[fmt]}"
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    (error,) = info.value.errors
    assert error.file == str(path) and "is not an IRI" in error.message


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        ("jsonld", "[" * 100_000 + "]" * 100_000),
        ("jsonld", '{"@graph": ' + "[" * 5000 + "]" * 5000 + "}"),
        ("ttl", "<a:s> <a:p> " + "(" * 100_000 + ")" * 100_000 + " ."),
    ],
)
def test_nesting_deeper_than_the_stack_is_an_rdf_error(
    suffix: str, text: str, tmp_path: Path
) -> None:
    path = tmp_path / f"deep.{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    (error,) = info.value.errors
    assert isinstance(error, lorekit.RDFError) and error.file == str(path)
