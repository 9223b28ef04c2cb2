"""The load cache: the same graph back, keyed by content, and never trusted blindly."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lorekit
from lorekit._load import cache as cache_mod
from lorekit._load import universe as universe_mod

EXE = Path(sys.executable).parent / "lorekit"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(cache_mod.CACHE_ENV, str(where))
    return where


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "jw"
    shutil.copytree(lorekit.bundled_data_path(), copy)
    return copy


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every universe read afresh (not from the cache) while the test runs."""
    seen: list[Path] = []
    real = universe_mod.load_universe

    def counting(path: str | Path) -> object:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(universe_mod, "load_universe", counting)
    return seen


def _answers(lore: lorekit.LoreGraph) -> object:
    """What a user can ask of a graph, as plain data."""
    eve = lore.entity("Eve")
    return (
        [e.model_dump() for e in lore.entities()],
        [(e.model_fields_set, type(e)) for e in lore.entities()],
        [s.model_dump(exclude_unset=True) for s in lore.statements],
        [s.model_dump() for s in lore.statements],
        [n.model_dump() for n in lore.notes],
        [(r.label, r.other.id, r.statement.model_dump()) for r in lore.relations(eve)],
        str(lore.path("Eve Macarro", "John Wick")),
        [e.id for e in lore.members("Ruska Roma")],
        [(e.entity.id, e.position) for e in lore.timeline("story").entries()],
        [lore.origin(s) for s in lore.statements],
        lore.universe.info.model_dump(),
        dict(lore._origins),
        sorted(lore._graph.nodes(data=True)),
        sorted(lore._graph.edges(keys=True, data=True)),
        [(e, type(e.sources)) for e in lore.entities()],
    )


def test_a_graph_from_the_cache_is_the_graph_that_was_loaded(
    cache_dir: Path, data: Path, builds: list[Path]
) -> None:
    fresh = lorekit.load(data)
    first = lorekit.load(data, cache=True)
    second = lorekit.load(data, cache=True)
    assert builds == [data, data]  # the plain load, and the first cached one; not the second
    assert _answers(second) == _answers(first) == _answers(fresh)
    assert lorekit.load(data, cache=False) is not second
    assert [p.suffix for p in cache_dir.iterdir()].count(".cache") == 1
    assert not any(p.name.endswith(".cache") for p in data.rglob("*"))  # never in the data


def test_the_bundled_universe_is_cached_too(cache_dir: Path, builds: list[Path]) -> None:
    lorekit.load(cache=True)
    again = lorekit.load(cache=True)
    assert len(builds) == 1
    assert again.entity("Eve").id == "eve-macarro"


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_changing_any_data_file_loads_afresh(
    cache_dir: Path, data: Path, builds: list[Path], change: str
) -> None:
    lorekit.load(data, cache=True)
    notes = data / "reception.yaml"
    if change == "edit":
        notes.write_text(notes.read_text(encoding="utf-8").replace("Eve", "Eve!", 1), "utf-8")
    elif change == "add":
        (data / "more.yaml").write_text(
            "characters:\n  - id: new-one\n    name: New One\n", encoding="utf-8"
        )
    elif change == "remove":
        notes.unlink()
    else:
        notes.rename(notes.with_name("reception-renamed.yaml"))
    lore = lorekit.load(data, cache=True)
    assert len(builds) == 2
    assert ("new-one" in lore) if change == "add" else True
    assert _answers(lore) == _answers(lorekit.load(data))
    lorekit.load(data, cache=True)
    assert len(builds) == 2 + 1  # the new content is cached in turn


def _entry(cache_dir: Path) -> Path:
    (entry,) = cache_dir.glob("*.cache")
    return entry


@pytest.mark.parametrize(
    "damage",
    ["truncate", "empty", "garbage", "flip a payload byte", "other format", "other key"],
)
def test_a_damaged_entry_is_rebuilt_silently(
    cache_dir: Path, data: Path, builds: list[Path], damage: str
) -> None:
    expected = _answers(lorekit.load(data, cache=True))
    entry = _entry(cache_dir)
    blob = entry.read_bytes()
    head, _, body = blob.partition(b"\n")
    header = json.loads(head[len(b"lorekit-cache ") :])
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif damage == "flip a payload byte":
        entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
    elif damage == "other format":
        header["format"] += 1
        entry.write_bytes(b"lorekit-cache " + json.dumps(header).encode() + b"\n" + body)
    else:
        header["key"] = "0" * 64
        entry.write_bytes(b"lorekit-cache " + json.dumps(header).encode() + b"\n" + body)
    lore = lorekit.load(data, cache=True)
    assert len(builds) == 2
    assert _answers(lore) == expected
    assert entry.read_bytes() != b"" and lorekit.load(data, cache=True) is not None
    assert len(builds) == 2  # the rewritten entry is good again


class _Trap:
    """A pickle that, if ever unpickled, leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_payload_lorekit_did_not_sign_is_never_unpickled(
    cache_dir: Path, data: Path, builds: list[Path], tmp_path: Path
) -> None:
    lorekit.load(data, cache=True)
    entry = _entry(cache_dir)
    head, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(head[len(b"lorekit-cache ") :])
    names = body[: header["names"]]
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Trap(marker))
    header["payload"] = len(payload)  # a well-formed entry, with the right key, but forged
    entry.write_bytes(b"lorekit-cache " + json.dumps(header).encode() + b"\n" + names + payload)
    lore = lorekit.load(data, cache=True)
    assert not marker.exists()
    assert len(builds) == 2 and lore.entity("Eve").id == "eve-macarro"
    # without the per-user key, no entry is trusted
    lorekit.load(data, cache=True)
    (cache_dir / "key").unlink()
    lorekit.load(data, cache=True)
    assert len(builds) == 3
    assert (cache_dir / "key").stat().st_mode & 0o077 == 0  # made again, owner only


def test_an_unwritable_cache_directory_is_skipped(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cache_mod.CACHE_ENV, str(blocker / "cache"))
    assert lorekit.load(data, cache=True).entity("Eve").id == "eve-macarro"


def test_load_errors_pass_through_and_are_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("characters:\n  - id: Not A Slug\n    name: x\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(lorekit.LoadError):
            lorekit.load(bad, cache=True)
    assert not list(cache_dir.glob("*.cache"))


def test_cached_names_and_their_staleness(cache_dir: Path, data: Path) -> None:
    assert cache_mod.cached_names(data) is None
    lorekit.load(data, cache=True)
    names = cache_mod.cached_names(data)
    assert names is not None and ["eve-macarro", "Eve Macarro", "Eve", "Macarro"] in names
    notes = data / "reception.yaml"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_mod.cached_names(data) is None


def test_cached_names_notice_an_added_file(cache_dir: Path, data: Path) -> None:
    (data / "more").mkdir()
    lorekit.load(data, cache=True)
    assert cache_mod.cached_names(data) is not None
    (data / "more" / "kit.yaml").write_text(
        'characters:\n  - {id: kit, name: Kit, sources: ["screen-scribe-ballerina ¶2"]}\n',
        encoding="utf-8",
    )
    assert cache_mod.cached_names(data) is None  # the folder changed: the names may be stale
    lorekit.load(data, cache=True)
    names = cache_mod.cached_names(data)
    assert names is not None and ["kit", "Kit"] in names


def test_a_touched_file_is_recorded_again_without_a_build(
    cache_dir: Path, data: Path, builds: list[Path]
) -> None:
    lorekit.load(data, cache=True)
    stat = (data / "reception.yaml").stat()
    os.utime(data / "reception.yaml", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert cache_mod.cached_names(data) is None
    lorekit.load(data, cache=True)  # the same content: read from the cache
    assert builds == [data]
    names = cache_mod.cached_names(data)
    assert names is not None and ["eve-macarro", "Eve Macarro", "Eve", "Macarro"] in names


def test_info_and_clear(cache_dir: Path, data: Path) -> None:
    assert cache_mod.clear_cache() == 0
    lorekit.load(data, cache=True)
    lorekit.load(cache=True)
    info = cache_mod.cache_info()
    assert info.directory == cache_dir and info.size > 0
    assert sorted(name for name, _, _ in info.entries) == ["The World of John Wick"] * 2
    (cache_dir / "someone-elses.txt").write_text("kept", encoding="utf-8")
    assert cache_mod.clear_cache() == 2
    assert [p.name for p in cache_dir.iterdir()] == ["someone-elses.txt"]


# --- the command line ------------------------------------------------------


def run(*args: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             cache_mod.CACHE_ENV: str(cache), **env},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )  # fmt: skip


def test_commands_use_the_cache_unless_told_not_to(tmp_path: Path, data: Path) -> None:
    where = tmp_path / "c"
    plain = run("--no-cache", "show", "Eve", "--json", "--data", str(data), cache=where)
    assert plain.returncode == 0, plain.stderr
    assert not where.exists()  # --no-cache neither reads nor writes
    cold = run("show", "Eve", "--json", "--data", str(data), cache=where)
    warm = run("show", "Eve", "--json", "--data", str(data), cache=where)
    assert cold.stdout == warm.stdout == plain.stdout and warm.stderr == ""
    info = run("cache", "info", "--json", cache=where)
    entries = json.loads(info.stdout)["entries"]
    assert [e["universe"] for e in entries] == ["The World of John Wick"]
    cleared = run("cache", "clear", cache=where)
    assert cleared.stdout.startswith("removed 1 cached universe from ")
    assert json.loads(run("cache", "info", "--json", cache=where).stdout)["entries"] == []


def test_a_truncated_entry_is_rebuilt_by_the_command_line(tmp_path: Path, data: Path) -> None:
    where = tmp_path / "c"
    first = run("validate", "--data", str(data), cache=where)
    entry = _entry(where)
    entry.write_bytes(entry.read_bytes()[:1000])
    second = run("validate", "--data", str(data), cache=where)
    assert second.returncode == 0 and second.stderr == ""
    assert second.stdout == first.stdout
    assert entry.stat().st_size > 1000


def test_records_read_back_share_one_fields_set_per_shape(cache_dir: Path, data: Path) -> None:
    lorekit.load(data, cache=True)
    again = lorekit.load(data, cache=True)
    statements = again.universe.statements
    shapes = {frozenset(s.model_fields_set): s.model_fields_set for s in statements}
    assert len(shapes) < len(statements)
    assert all(shapes[frozenset(s.model_fields_set)] is s.model_fields_set for s in statements)
    # shared, yet a copy with a change is a record apart
    first = statements[0]
    twin = next(s for s in statements[1:] if s.model_fields_set is first.model_fields_set)
    changed = first.model_copy(update={"note": "changed"})
    assert "note" in changed.model_fields_set and "note" not in twin.model_fields_set


def test_an_entry_holds_no_networkx_graph_even_after_queries_that_built_one(
    cache_dir: Path, data: Path, builds: list[Path]
) -> None:
    cache_mod.defer_writes()  # as the command line does: the entry is written after the answer
    try:
        lore = lorekit.load(data, cache=True)
        lore.neighbourhood("Eve")  # builds the networkx graph
        lore.timeline("story")  # and the story order, which holds one
        assert lore._nx is not None and lore._story is not None
    finally:
        cache_mod.finish_writes()
    assert b"networkx" not in _entry(cache_dir).read_bytes()
    again = lorekit.load(data, cache=True)
    assert len(builds) == 1
    assert again._nx is None and again._story is None
    assert _answers(again) == _answers(lore)
    # the index shares the universe's statements, as one graph's index does
    ids = {id(s) for s in again.statements}
    assert all(id(r.statement) in ids for e in again.entities() for r in again.relations(e))


def _chunks_read(lore: lorekit.LoreGraph) -> tuple[int, int]:
    """How many of the cached statement chunks a graph has unpickled, of how many."""
    table = lore._adjacency._out._table  # type: ignore[attr-defined]
    return sum(c is None for c in table._chunks), len(table._chunks)


def test_a_cached_graph_reads_only_the_statements_a_show_prints(
    cache_dir: Path, tmp_path: Path, builds: list[Path]
) -> None:
    from lorekit._core.model import Universe
    from lorekit._load.synth import synthesize

    data = synthesize(tmp_path / "synth", entities=1500, seed=7)
    fresh = lorekit.load(data)
    lorekit.load(data, cache=True)
    again = lorekit.load(data, cache=True)
    assert len(builds) == 2
    someone = fresh.entity("character-3")
    # what `lorekit show` asks: the entity, its relations, its notes and sources, the names
    shown = again.entity("character-3")
    relations = again.relations(shown)
    assert [(r.label, r.other.id, r.statement) for r in relations] == [
        (r.label, r.other.id, r.statement) for r in fresh.relations(someone)
    ]
    assert again.sources_of(shown) == fresh.sources_of(someone)
    assert again.notes == fresh.notes and again.info == fresh.info
    assert (again.name, len(again), again.degree(shown)) == (
        fresh.name,
        len(fresh),
        fresh.degree(someone),
    )
    assert not isinstance(again._universe_ref, Universe)  # the statements were never all read
    read, chunks = _chunks_read(again)
    assert chunks >= 10 and read < chunks // 2
    # asked for, the universe is the one that was loaded, and shares the index's statements
    assert again.universe == fresh.universe
    assert _chunks_read(again) == (chunks, chunks)
    ids = {id(s) for s in again.statements}
    assert all(id(r.statement) in ids for e in again.entities() for r in again.relations(e))
    assert again.universe.entities == tuple(again.entities())
    assert again.universe.model_fields_set == fresh.universe.model_fields_set


def test_a_cached_graph_pickles_whole_before_and_after_its_statements_are_read(
    cache_dir: Path, data: Path
) -> None:
    lorekit.load(data, cache=True)
    deferred = lorekit.load(data, cache=True)
    copy = pickle.loads(pickle.dumps(deferred))
    assert _answers(copy) == _answers(deferred) == _answers(lorekit.load(data))
    assert _answers(pickle.loads(pickle.dumps(deferred))) == _answers(deferred)
    partly = lorekit.load(data, cache=True)
    partly.relations("Eve")  # some of its statements read, not all
    assert _chunks_read(partly)[0] >= 1
    assert _answers(pickle.loads(pickle.dumps(partly))) == _answers(deferred)


def test_a_cached_graph_walks_paths_without_building_its_path_graph_again(
    cache_dir: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lorekit._graph import paths

    fresh = lorekit.load(data)
    lorekit.load(data, cache=True)
    again = lorekit.load(data, cache=True)
    built: list[object] = []
    real = paths.path_graph

    def counting(*args: object) -> object:
        built.append(args[-1])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(paths, "path_graph", counting)
    pairs = [("Ana de Armas", "Ian McShane"), ("Eve", "John Wick"), ("Winston", "Caine")]
    for a, b in pairs:
        assert str(again.path(a, b)) == str(fresh.path(a, b))
        assert again.path(a, b) == fresh.path(a, b)
    assert built == [None]  # only the fresh graph built one; the cached one read its own
    assert str(again.path("Eve", "Winston", layers={"lore"})) == str(
        fresh.path("Eve", "Winston", layers={"lore"})
    )
    assert len(built) == 3  # a layer set of its own is built, by each graph
