"""The load cache: a validated universe and its graph, kept between runs.

Loading a big universe (reading every file, validating every record,
checking every reference, building the graph) takes seconds to minutes; its
result depends only on the data files and on lorekit itself. So the first
load of a universe writes its graph to one entry in the user's cache
directory (:func:`cache_dir`: ``platformdirs``' user cache directory, or
``$LOREKIT_CACHE_DIR``), never in the data folder, and later loads read it
back when nothing changed.

- **Keyed by content.** An entry is found by the universe's resolved path
  and is used only when its key matches: a digest of the content and
  relative path of every data file, of lorekit's own source, and of the
  Python and pydantic versions. Editing, adding or removing a data
  file changes the key, and the universe is loaded (and validated) afresh.
- **Only what lorekit wrote.** The graph is a pickle, and a pickle can run
  code when it is read, so an entry carries an HMAC-SHA256 of its key and
  payload under a random per-user key (the ``key`` file in the cache
  directory, readable by its owner only). A payload is unpickled only after
  its HMAC checks out.
- **Never in the way.** An entry is written atomically
  (:func:`~lorekit._core.output.write_atomic`). A missing, corrupt,
  truncated, forged or other-version entry is ignored and rewritten; a cache
  directory that cannot be written is skipped. The cache never changes an
  answer: a graph read back is the graph that was written.

The pickle is made to be read back fast (:func:`_dumps`): each record is
its fields, restored without validating again (the HMAC proves lorekit wrote
it after validating); equal strings and equal citations are written once and
shared when read; where each record was written (only error messages ask)
is unpickled on demand. No networkx graph is kept: the graph holds its own
index of the statements at each entity (:mod:`lorekit._graph.adjacency`),
and builds its networkx graph again when a query first needs it, so a warm
command that does not need networkx never imports it.

Besides the pickle, an entry holds the names and aliases of every entity as
JSON, which :func:`cached_names` reads for shell completion without
unpickling anything (JSON is data, so it needs no HMAC to be read safely).

An entry is laid out as one JSON header line, then the names (JSON), then
the payload (pickle)::

    lorekit-cache {"format": 4, "key": ..., "mac": ..., "names": N, "payload": M, ...}\\n
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import pickle
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.errors import OutputError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .._core.model import Note, Universe, UniverseInfo
    from .._graph.graph import LoreGraph

__all__ = [
    "CACHE_ENV",
    "CACHE_FORMAT",
    "CacheInfo",
    "cache_dir",
    "cache_info",
    "cached_load",
    "cached_names",
    "clear_cache",
    "defer_writes",
    "finish_writes",
]

CACHE_FORMAT = 6
"""The layout of an entry; an entry of another format is ignored and rewritten."""
CACHE_ENV = "LOREKIT_CACHE_DIR"
"""The environment variable that moves the cache directory (tests point it at a tmp dir)."""

_MAGIC = b"lorekit-cache "
_SUFFIX = ".cache"
_KEY_FILE = "key"


def cache_dir() -> Path:
    """Where the cache lives: ``$LOREKIT_CACHE_DIR``, else the user's cache directory.

    Examples
    --------
    >>> import os
    >>> os.environ[CACHE_ENV] = "/tmp/lorekit-doctest-cache"
    >>> cache_dir()
    PosixPath('/tmp/lorekit-doctest-cache')
    >>> del os.environ[CACHE_ENV]
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("lorekit", appauthor=False))


def _entry_path(root: Path) -> Path:
    """The one entry of the universe at ``root`` (a directory or a file)."""
    name = hashlib.blake2b(os.fsencode(root.resolve()), digest_size=16).hexdigest()
    return cache_dir() / f"{name}{_SUFFIX}"


def _code_digest() -> bytes:
    """A digest of what makes a loaded graph: lorekit's source, Python's and pydantic's versions.

    The versions are read from the modules (pydantic is needed to read an entry
    back anyway), not from the installed distributions' metadata, which takes
    longer to find. An entry holds no networkx object, so networkx's version
    does not count.
    """
    from pydantic.version import VERSION
    from pydantic_core import __version__ as core_version

    digest = hashlib.blake2b(digest_size=32)
    digest.update(f"{CACHE_FORMAT}\0{sys.version}\0{VERSION}\0{core_version}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.digest()


def _key(root: Path, files: Sequence[Path]) -> str:
    """The key of a universe: every data file's relative path and content, and the code."""
    digest = hashlib.blake2b(_code_digest(), digest_size=32)
    base = root if root.is_dir() else root.parent
    for file in files:
        digest.update(os.fsencode(file.relative_to(base)) + b"\0")
        digest.update(hashlib.blake2b(file.read_bytes(), digest_size=32).digest())
    return digest.hexdigest()


def _stats(root: Path, files: Sequence[Path]) -> list[list[Any]]:
    """``[path, size, mtime]`` of every data file and, for a directory, of every folder in it.

    Adding, removing or renaming a file changes its folder's modification
    time, so :func:`cached_names` notices a file that is not in the entry.
    Taken before the files are read: a change while they are read makes the
    record stale, never the names.
    """
    paths = [Path(os.path.abspath(f)) for f in files]
    if root.is_dir():
        paths += [Path(folder) for folder, _, _ in os.walk(os.path.abspath(root))]
    return [[str(p), (s := p.stat()).st_size, s.st_mtime_ns] for p in paths]


def _secret(*, create: bool) -> bytes | None:
    """The per-user HMAC key; made (readable by its owner only) when ``create``."""
    path = cache_dir() / _KEY_FILE
    try:
        secret = path.read_bytes()
        return secret if len(secret) >= 32 else None
    except FileNotFoundError:
        if not create:
            return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _secret(create=False)
    secret = os.urandom(32)
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    return secret


def _mac(secret: bytes, key: str, names: bytes | memoryview, payload: bytes | memoryview) -> str:
    mac = hmac.new(secret, key.encode() + b"\0", hashlib.sha256)
    mac.update(len(names).to_bytes(8, "big") + names)
    mac.update(payload)
    return mac.hexdigest()


def _header(line: bytes) -> dict[str, Any] | None:
    """An entry's header line, parsed; ``None`` if it is not one of ours of this format."""
    if not line.startswith(_MAGIC):
        return None
    try:
        header = json.loads(line[len(_MAGIC) :])
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        return None
    names, payload = header.get("names"), header.get("payload")
    if not isinstance(names, int) or not isinstance(payload, int):
        return None
    return header


def _read_header(blob: bytes) -> tuple[dict[str, Any], int] | None:
    """An entry's header and where its body starts; ``None`` if it is not one of ours."""
    end = blob.find(b"\n")
    header = _header(blob[:end]) if end > 0 else None
    if header is None:
        return None
    names, payload = header["names"], header["payload"]
    if len(blob) != end + 1 + names + payload:  # truncated, or more than was written
        return None
    return header, end + 1


def _read(entry: Path, key: str) -> tuple[LoreGraph, dict[str, Any], memoryview] | None:
    """The graph an entry holds, when it is lorekit's own, whole, and of this key.

    Returned with the entry's header and body (names and payload), so that a
    header whose file records went stale can be written again as it is.
    """
    from .._graph.graph import LoreGraph

    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    found = _read_header(blob)
    secret = _secret(create=False)
    if found is None or secret is None:
        return None
    header, start = found
    body = memoryview(blob)[start:]  # slices of it copy nothing
    names, payload = body[: header["names"]], body[header["names"] :]
    if header.get("key") != key:
        return None
    mac = header.get("mac")
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(secret, key, names, payload)):
        return None
    try:
        graph = pickle.loads(payload)
    except Exception:  # written by another build of lorekit: load afresh
        return None
    if not isinstance(graph, LoreGraph):
        return None
    return graph, header, body


_set = object.__setattr__
_SHAPES: dict[frozenset[str], set[str]] = {}
"""One fields set per shape of record, shared by every record read back with it, as the
loader shares them (a set per record would cost hundreds of bytes a statement)."""


def _restore(
    cls: type[BaseModel],
    fields: dict[str, Any],
    fields_set: frozenset[str],
    _new: Callable[[type[BaseModel]], BaseModel] = object.__new__,
    _set: Callable[[object, str, Any], None] = _set,
    _shapes: dict[frozenset[str], set[str]] = _SHAPES,
) -> BaseModel:
    """A model as it was pickled, without validating it again (it was valid when written).

    Called once per record of the universe (hundreds of thousands of times),
    so its helpers are bound as defaults rather than looked up.
    """
    obj = _new(cls)
    _set(obj, "__dict__", fields)
    shared = _shapes.get(fields_set)
    if shared is None:
        shared = _shapes[fields_set] = set(fields_set)
    _set(obj, "__pydantic_fields_set__", shared)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


class _LazyOrigins(Mapping[Any, Any]):
    """A graph's origins (where each record was written), unpickled when first asked for.

    Most commands never ask where a record was written, and at 100,000
    entities unpickling the origins of every record is a sixth of a read.
    Kept inside the signed payload, so it is as trusted as the rest of it.
    """

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._found: dict[Any, Any] = {}

    def _origins(self) -> dict[Any, Any]:
        if self._blob is not None:
            self._found, self._blob = pickle.loads(self._blob), None
        return self._found

    def __getitem__(self, key: Any) -> Any:
        return self._origins()[key]

    def get(self, key: Any, default: Any = None) -> Any:
        """The origin of ``key``, or ``default`` (a dict's lookup, not the mixin's)."""
        return self._origins().get(key, default)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._origins())

    def __len__(self) -> int:
        return len(self._origins())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_LazyOrigins, (pickle.dumps(self._origins(), pickle.HIGHEST_PROTOCOL),))


def _restore_graph(cls: type[object], state: dict[str, Any]) -> Any:
    """A :class:`LoreGraph` as it was pickled (its ``__getstate__``)."""
    graph = object.__new__(cls)
    graph.__dict__.update(state)
    return graph


_CHUNK = 512
"""Statements per separately pickled chunk of :class:`_Statements`."""


def _unpickle(blob: bytes, pool: list[Any]) -> Any:
    """A chunk pickled by :func:`_dumps`: its shared strings and citations are the pool's."""
    unpickler = pickle.Unpickler(io.BytesIO(blob))
    unpickler.persistent_load = pool.__getitem__  # type: ignore[method-assign]  # C to C
    return unpickler.load()


class _Statements:
    """A universe's statements, in chunks unpickled when one of theirs is first asked for.

    A warm ``lorekit show`` at 100,000 entities prints a few dozen of half a
    million statements; unpickling them all was three quarters of its time.
    Each chunk's strings and citations are the pool's objects (the ones the
    entities hold), so a statement read back shares them as the loaded one did.
    """

    __slots__ = ("_chunks", "_items", "_pool")

    def __init__(self, chunks: list[bytes | None], pool: list[Any], size: int) -> None:
        self._chunks = chunks
        self._pool = pool
        self._items: list[Any] = [None] * size

    def get(self, index: int) -> Any:
        """The statement at ``index``, its chunk unpickled if it was not yet."""
        found = self._items[index]
        if found is None:
            self._load(index // _CHUNK)
            found = self._items[index]
        return found

    def _load(self, chunk: int) -> None:
        blob = self._chunks[chunk]
        if blob is not None:
            start = chunk * _CHUNK
            found = _unpickle(blob, self._pool)
            self._items[start : start + len(found)] = found
            self._chunks[chunk] = None

    def all(self) -> tuple[Any, ...]:
        """Every statement, in order (the chunks not yet read are read now)."""
        from .._core.gc import collector_paused

        with collector_paused():
            for chunk in range(len(self._chunks)):
                self._load(chunk)
        return tuple(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (outside the cache) as the statements themselves, read now."""
        return (_Statements._of, (self.all(),))

    @staticmethod
    def _of(statements: tuple[Any, ...]) -> _Statements:
        table = _Statements([None] * -(-len(statements) // _CHUNK), [], 0)
        table._items = list(statements)
        return table


class _Ends(Mapping[str, tuple[Any, ...]]):
    """One side of an :class:`~lorekit._graph.adjacency.Adjacency` read back: each
    entity's statements as their numbers in :class:`_Statements` (packed, four bytes
    each), looked up when asked."""

    __slots__ = ("_found", "_ids", "_table")

    def __init__(self, ids: dict[str, bytes], table: _Statements) -> None:
        self._ids = ids
        self._table = table
        self._found: dict[str, tuple[Any, ...]] = {}

    def __getitem__(self, node: str) -> tuple[Any, ...]:
        found = self._found.get(node)
        if found is None:
            get = self._table.get
            found = self._found[node] = tuple([get(i) for i in array("I", self._ids[node])])
        return found

    def get(self, node: str, default: Any = None) -> Any:
        """``node``'s statements, or ``default`` (a dict's lookup, not the mixin's)."""
        found = self._found.get(node)
        if found is not None:
            return found
        return self[node] if node in self._ids else default

    def __contains__(self, node: object) -> bool:
        return node in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def keys(self) -> Any:
        """Every entity with statements on this side, in the index's order."""
        return self._ids.keys()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Ends, (self._ids, self._table))


class _PathGraphs(dict[Any, Any]):
    """A graph's path graphs (:func:`~lorekit._graph.paths.path_graph`, by kept layers),
    the one of every layer read back from the cache when a path first asks for it.

    Built from every statement, that one took 2.4 s of a warm ``lorekit path`` at
    100,000 entities; unpickled, 0.4 s.
    """

    def __init__(self, blob: bytes) -> None:
        super().__init__()
        self._blob: bytes | None = blob

    def get(self, keep: Any, default: Any = None) -> Any:
        """The path graph of ``keep`` (``None``: every layer), if it is known."""
        if keep is None and self._blob is not None:
            self[None], self._blob = pickle.loads(self._blob), None
        return super().get(keep, default)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, ())  # built again when asked, as LoreGraph pickles it


class _LazyUniverse:
    """A graph's universe read back, restored when the graph first asks for it (a
    :class:`~lorekit._graph.graph.DeferredUniverse`): its info and notes are read
    with the graph, its entities are the graph's own, its statements those of
    :class:`_Statements`."""

    def __init__(
        self,
        fields: dict[str, Any],
        fields_set: set[str],
        by_id: dict[str, Any],
        table: _Statements,
    ) -> None:
        self._fields, self._fields_set, self._by_id, self._table = fields, fields_set, by_id, table

    @property
    def info(self) -> UniverseInfo:
        """What the universe is."""
        info: UniverseInfo = self._fields["info"]
        return info

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note of the universe."""
        notes: tuple[Note, ...] = self._fields["notes"]
        return notes

    def __call__(self) -> Universe:
        from .._core.model import Universe

        fields = {
            **self._fields,
            "entities": tuple(self._by_id.values()),
            "statements": self._table.all(),
        }
        order = Universe.model_fields
        universe = object.__new__(Universe)
        _set(universe, "__dict__", {k: fields[k] for k in order if k in fields})
        _set(universe, "__pydantic_fields_set__", self._fields_set)
        _set(universe, "__pydantic_extra__", None)
        _set(universe, "__pydantic_private__", None)
        return universe

    def __reduce__(self) -> tuple[Any, ...]:
        return (_LazyUniverse, (self._fields, self._fields_set, self._by_id, self._table))


_SCALARS = (str, int, type(None))


def _dumps(graph: LoreGraph) -> memoryview:
    """Pickle a graph; each model as its fields, read back by :func:`_restore`.

    pydantic's own pickling keeps a state dict and a fields-set per record;
    this keeps the fields and one shared set per shape, and reads back about
    a third faster. Equal small models (a citation of the same place, made
    once per fact that cites it) are written once and shared when read back:
    they are frozen, so nothing can tell. The origins are pickled apart, for
    :class:`_LazyOrigins`.

    A whole graph (not a cut or a point of one) keeps its statements apart,
    in chunks (:class:`_Statements`): its index of statements at each entity
    holds their numbers, and its universe is restored when first asked for
    (:class:`_LazyUniverse`). The strings and citations the statements share
    are pickled once, in a pool beside the entities, and each chunk refers
    to them by number.
    """
    from pydantic import BaseModel

    from .._graph.adjacency import Adjacency
    from .._graph.graph import LoreGraph
    from .._graph.paths import path_graph

    shapes: dict[frozenset[str], frozenset[str]] = {}
    leaves: dict[tuple[Any, ...], BaseModel] = {}
    strings: dict[str, str] = {}

    def shared(value: Any) -> Any:
        if type(value) is str:
            return strings.setdefault(value, value)
        if type(value) is tuple:
            return tuple(shared(v) for v in value)
        if isinstance(value, BaseModel) and all(
            type(v) in _SCALARS for v in value.__dict__.values()
        ):
            fields = ((k, type(v), v) for k, v in value.__dict__.items())
            key = (type(value), *fields, *sorted(value.__pydantic_fields_set__))
            return leaves.setdefault(key, value)
        return value

    def fields_of(obj: BaseModel) -> tuple[dict[str, Any], frozenset[str]]:
        fields_set = frozenset(obj.__pydantic_fields_set__)
        return {k: shared(v) for k, v in obj.__dict__.items()}, shapes.setdefault(
            fields_set, fields_set
        )

    def plain_model(obj: Any) -> bool:
        return (
            isinstance(obj, BaseModel)
            and obj.__pydantic_extra__ is None
            and obj.__pydantic_private__ is None
        )

    pool: list[Any] = []
    pooled: dict[int, int] = {}

    class ChunkPickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> int | None:
            return pooled.get(id(obj))

        def reducer_override(self, obj: Any) -> Any:
            if plain_model(obj):
                return (_restore, (type(obj), *fields_of(obj)))
            return NotImplemented

    def dumps(value: Any) -> bytes:
        out = io.BytesIO()
        ChunkPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return out.getvalue()

    def pool_of(value: Any) -> None:
        """Pool a canonical field value (:func:`shared`'s): a string, or a small model."""
        if type(value) is tuple:
            for v in value:
                pool_of(v)
        elif id(value) not in pooled and (
            type(value) is str
            or (
                isinstance(value, BaseModel)
                and all(type(v) in _SCALARS for v in value.__dict__.values())
            )
        ):
            pooled[id(value)] = len(pool)
            pool.append(value)

    def lazy_state(graph: LoreGraph) -> dict[str, Any] | None:
        """The graph's state with its statements in chunks; ``None`` if it is not a whole graph."""
        state = graph.__getstate__()
        universe, by_id, adjacency = state["_universe_ref"], state["_by_id"], state["_adjacency"]
        out, into, removed = adjacency.__getstate__()
        if graph.horizon is not None or graph.point is not None or removed:
            return None
        entities, statements = universe.entities, universe.statements
        if len(by_id) != len(entities) or not all(
            a is b for a, b in zip(by_id.values(), entities, strict=True)
        ):
            return None
        if not all(plain_model(st) for st in statements) or len(statements) >= 2**32:
            return None
        number = {id(st): i for i, st in enumerate(statements)}
        try:
            ends = [{n: array("I", [number[id(st)] for st in sts]).tobytes()
                     for n, sts in side.items()} for side in (out, into)]  # fmt: skip
        except KeyError:  # an index of other statements than the universe's
            return None
        rest = {k: v for k, v in universe.__dict__.items() if k not in ("entities", "statements")}
        for st in statements:
            for v in fields_of(st)[0].values():
                pool_of(v)
        chunks: list[bytes | None] = [
            dumps(statements[i : i + _CHUNK]) for i in range(0, len(statements), _CHUNK)
        ]
        table = _Statements(chunks, pool, len(statements))
        walked = graph._path_graphs.get(None) or path_graph(by_id, adjacency, None)
        state["_path_graphs"] = _PathGraphs(pickle.dumps(walked, pickle.HIGHEST_PROTOCOL))
        fields_set = set(universe.__pydantic_fields_set__)
        state["_universe_ref"] = _LazyUniverse(rest, fields_set, by_id, table)
        state["_adjacency"] = Adjacency(_Ends(ends[0], table), _Ends(ends[1], table))
        return state

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if plain_model(obj):
                return (_restore, (type(obj), *fields_of(obj)))
            if type(obj) is _Statements and None not in obj._chunks:  # none read yet
                return (_Statements, (obj._chunks, obj._pool, len(obj._items)))
            if type(obj) is _PathGraphs and obj._blob is not None:
                return (_PathGraphs, (obj._blob,))
            if type(obj) is LoreGraph and isinstance(obj.__dict__.get("_origins"), dict):
                state = lazy_state(obj) or obj.__getstate__()
                origins = pickle.dumps(state["_origins"], pickle.HIGHEST_PROTOCOL)
                state["_origins"] = _LazyOrigins(origins)
                return (_restore_graph, (LoreGraph, state))
            return NotImplemented

    out = io.BytesIO()
    Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(graph)
    return out.getbuffer()  # a view, not a copy: the payload is most of an entry


def _names(graph: LoreGraph) -> bytes:
    rows = [[e.id, e.name, *e.aliases] for e in graph.entities()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


def _write(entry: Path, key: str, stats: list[list[Any]], graph: LoreGraph) -> None:
    """Write an entry atomically; a cache that cannot be written is skipped."""
    from .._core.output import write_atomic

    try:
        secret = _secret(create=True)
        if secret is None:
            return
        payload = _dumps(graph)
        names = _names(graph)
        header = {
            "format": CACHE_FORMAT,
            "key": key,
            "mac": _mac(secret, key, names, payload),
            "names": len(names),
            "payload": len(payload),
            "universe": graph.name,
            "files": stats,
        }
        head = _MAGIC + json.dumps(header, ensure_ascii=False).encode() + b"\n"
        write_atomic(entry, [head, names, payload])
    except (OSError, OutputError, pickle.PicklingError):
        return


def _write_header(entry: Path, header: dict[str, Any], body: memoryview) -> None:
    """Write an entry again with a new header and the body it had; skipped if it cannot be."""
    from .._core.output import write_atomic

    head = _MAGIC + json.dumps(header, ensure_ascii=False).encode() + b"\n"
    with contextlib.suppress(OSError, OutputError):
        write_atomic(entry, [head, body])


def cached_load(root: Path, files: Sequence[Path], build: Callable[[], LoreGraph]) -> LoreGraph:
    """The graph of the universe at ``root`` from the cache, or ``build()`` it and cache it.

    Parameters
    ----------
    root
        The universe: a directory or one file.
    files
        Its data files; their paths and contents key the entry.
    build
        Loads and validates the universe afresh; called when the entry is
        missing or stale, and its errors pass through untouched.
    """
    try:
        stats = _stats(root, files)
        key = _key(root, files)
    except OSError:  # a file vanished or cannot be read: the loader says so
        return build()
    entry = _entry_path(root)
    found = _read(entry, key)
    if found is None:
        graph = build()
        write = partial(_write, entry, key, stats, graph)
    else:
        graph, header, body = found
        if header.get("files") == stats:
            return graph
        # the same content, touched (or a folder changed): record what the files are now,
        # so that completion trusts the names again
        write = partial(_write_header, entry, {**header, "files": stats}, body)
    if _pending is not None:
        _pending.append(write)
    else:
        write()
    return graph


_pending: list[Callable[[], None]] | None = None
"""Entries waiting to be written, while :func:`defer_writes` holds them."""


def defer_writes() -> None:
    """Hold the entries loads would write until :func:`finish_writes` (the command line's
    way to answer first and write the cache after)."""
    global _pending
    if _pending is None:
        _pending = []


def finish_writes(*, detach: bool = False) -> None:
    """Write the held entries; with ``detach``, in a child process the caller need not wait for.

    The child's standard streams point at the null device, so whoever reads
    the command's output sees its end at once. Where there is no ``fork``
    (Windows), the entries are written here and now.
    """
    global _pending
    writes, _pending = _pending or [], None
    if not writes:
        return
    if detach and hasattr(os, "fork"):
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() != 0:
            return
        try:  # the child: write, and leave without running the parent's exit handlers
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            for write in writes:
                write()
        finally:
            os._exit(0)
    for write in writes:
        write()


def cached_names(root: Path) -> list[list[str]] | None:
    """``[id, name, *aliases]`` of every entity of the universe at ``root``, from its entry.

    Read for shell completion without loading or unpickling anything. ``None``
    when there is no entry, or when a file it was built from, or a folder of
    the universe, has changed since (size or modification time): a data file
    added, removed or renamed changes its folder.
    """
    try:
        with _entry_path(root).open("rb") as stream:
            header = _header(stream.readline())
            if header is None:
                return None
            for name, size, mtime in header.get("files", []):
                stat = Path(name).stat()
                if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
                    return None
            names = json.loads(stream.read(int(header["names"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return names if isinstance(names, list) else None


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds: its directory, and one ``(universe, bytes, path)`` per entry."""

    directory: Path
    entries: tuple[tuple[str, int, Path], ...]

    @property
    def size(self) -> int:
        """Bytes used by every entry."""
        return sum(size for _, size, _ in self.entries)


def cache_info() -> CacheInfo:
    """List the cache's entries.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ[CACHE_ENV] = tempfile.mkdtemp()
    >>> cache_info().entries
    ()
    >>> del os.environ[CACHE_ENV]
    """
    directory = cache_dir()
    entries = []
    for path in sorted(directory.glob(f"*{_SUFFIX}")) if directory.is_dir() else []:
        try:
            with path.open("rb") as stream:
                line = stream.readline()
            universe = str(json.loads(line[len(_MAGIC) :]).get("universe", "?"))
            entries.append((universe, path.stat().st_size, path))
        except (OSError, ValueError, AttributeError):
            entries.append(("(unreadable)", 0, path))
    return CacheInfo(directory, tuple(entries))


def clear_cache() -> int:
    """Remove every entry (and the HMAC key); return how many entries there were.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ[CACHE_ENV] = tempfile.mkdtemp()
    >>> clear_cache()
    0
    >>> del os.environ[CACHE_ENV]
    """
    directory = cache_dir()
    if not directory.is_dir():
        return 0
    entries = list(directory.glob(f"*{_SUFFIX}"))
    for path in [*entries, directory / _KEY_FILE]:  # only what lorekit wrote there
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: someone else's files stay
        directory.rmdir()
    return len(entries)
