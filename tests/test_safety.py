"""Hostile input cannot reach the network or other files; outputs never destroy their target.

The readers are tried as a hostile file's author would: JSON-LD contexts
that point at a recording loopback server (or at a local file), RDF/XML with
external entities and an entity bomb. The writers are pointed at a private
character device, a FIFO, a socket and symbolic links, all made in a
temporary folder (never the system's own /dev entries).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

import lorekit
from lorekit._cli import main
from lorekit._core.output import write_atomic, write_directory_atomic
from lorekit._rdf.export import serialize_rdf
from lorekit._rdf.vocab import CONTEXT_URL

EXE = Path(sys.executable).parent / "lorekit"
ENV = {
    "PATH": "/usr/bin:/bin",
    "COLUMNS": "200",
    "LC_ALL": "C.UTF-8",
    "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
}


def run(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        env=ENV,
        stdin=subprocess.DEVNULL,
        timeout=60,
        **kw,
    )


@pytest.fixture()
def net(loopback: Any) -> Iterator[Any]:
    """The loopback server, with its record cleared; no test may leave a request in it."""
    loopback.requests.clear()
    yield loopback
    assert loopback.requests == [], "a reader reached the network"


def test_the_loopback_server_records_what_reaches_it(loopback: Any) -> None:
    """The record is not vacuous: a fetch does show up in it."""
    import urllib.request

    loopback.requests.clear()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{loopback.url}/probe.jsonld", timeout=5) as answer:
        assert b"@context" in answer.read()
    assert loopback.requests == ["GET /probe.jsonld"]
    loopback.requests.clear()


# --- JSON-LD: no context is fetched -------------------------------------------


@pytest.fixture(scope="module")
def jsonld_doc() -> dict[str, Any]:
    """The John Wick export as JSON-LD, its context inline."""
    doc: dict[str, Any] = json.loads(serialize_rdf(lorekit.load(), "jsonld"))
    return doc


def _hostile(doc: dict[str, Any], how: str, ref: str) -> dict[str, Any]:
    """``doc`` with a reference to ``ref`` put where ``how`` says; it would still load."""
    doc = json.loads(json.dumps(doc))
    inline = doc["@context"]
    if how == "top":
        doc["@context"] = [ref, *inline]
    elif how == "import":
        doc["@context"][0] = {"@import": ref, **inline[0]}
    elif how == "wrapped":
        doc["@context"] = [{"@context": ref}, *inline]
    elif how == "node":
        doc["@graph"][0]["@context"] = ref
    elif how == "scoped":  # a term's own context, applied where the term is used
        doc["@context"][0]["name"] = {"@id": "rdfs:label", "@context": ref}
    elif how == "type-scoped":
        doc["@context"][0]["Universe"] = {"@id": "lore:Universe", "@context": [ref]}
    elif how == "deep":
        doc["@graph"][1].setdefault("sources", [{}])[0]["@context"] = {"@context": [ref]}
    else:
        raise AssertionError(how)
    return doc


HOW = ["top", "import", "wrapped", "node", "scoped", "type-scoped", "deep"]


@pytest.mark.parametrize("how", HOW)
def test_a_remote_context_is_refused_and_never_fetched(
    how: str, jsonld_doc: dict[str, Any], net: Any, tmp_path: Path
) -> None:
    url = f"{net.url}/{how}.jsonld"
    path = tmp_path / "hostile.jsonld"
    path.write_text(json.dumps(_hostile(jsonld_doc, how, url), indent=1), encoding="utf-8")
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    (error,) = info.value.errors
    assert isinstance(error, lorekit.RDFError)
    assert error.file == str(path) and error.line is not None
    assert url in error.message and "refusing to fetch" in error.message
    assert json.dumps(url) in path.read_text(encoding="utf-8").splitlines()[error.line - 1]


@pytest.mark.parametrize("ref", ["secret.jsonld", "./secret.jsonld", "", "file:///etc/passwd"])
def test_a_relative_or_file_context_is_refused_not_read(
    ref: str, jsonld_doc: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative reference would resolve against the file's own IRI: a local read."""
    (tmp_path / "secret.jsonld").write_text(
        '{"@context": {"name": "http://example.org/SECRET"}}', encoding="utf-8"
    )
    opened: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kw: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kw)

    path = tmp_path / "hostile.jsonld"
    path.write_text(json.dumps(_hostile(jsonld_doc, "top", ref)), encoding="utf-8")
    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(lorekit.LoadError, match="refusing to fetch the JSON-LD context"):
        lorekit.load(path)
    monkeypatch.undo()
    assert not [f for f in opened if "secret" in f or "passwd" in f]


@pytest.mark.parametrize("how", ["top", "import", "scoped", "deep"])
def test_lorekits_own_context_is_resolved_locally(
    how: str, jsonld_doc: dict[str, Any], net: Any, tmp_path: Path
) -> None:
    path = tmp_path / "own.jsonld"
    path.write_text(json.dumps(_hostile(jsonld_doc, how, CONTEXT_URL)), encoding="utf-8")
    lore = lorekit.load(path)
    assert len(lore) == len(lorekit.load())


def test_cli_refuses_a_remote_context_in_one_line(
    jsonld_doc: dict[str, Any], net: Any, tmp_path: Path
) -> None:
    url = f"{net.url}/context.jsonld"
    path = tmp_path / "hostile.jsonld"
    path.write_text(json.dumps(_hostile(jsonld_doc, "top", url), indent=1), encoding="utf-8")
    for args in (["validate"], ["validate", "--shacl"]):
        start = time.monotonic()
        result = run(*args, "--data", str(path))
        assert time.monotonic() - start < 10
        assert result.returncode == 1, result.stdout
        first, *rest = result.stderr.removeprefix("error: ").splitlines()
        assert first.startswith(f"{path}:3: refusing to fetch the JSON-LD context {url}:")
        assert rest in ([], ["1 error; nothing was loaded."])
        assert "Traceback" not in result.stderr and result.stdout == ""


# --- RDF/XML: no entity, no DTD -----------------------------------------------


@pytest.fixture(scope="module")
def rdfxml() -> str:
    return serialize_rdf(lorekit.load(), "xml")


def _with_doctype(xml: str, doctype: str, use: str | None = None) -> str:
    head, rest = xml.split("?>\n", 1)
    out = f"{head}?>\n{doctype}\n{rest}"
    if use is not None:  # into the universe's name, which every command shows
        out = out.replace(">The World of John Wick<", f">{use}<", 1)
    return out


def test_an_external_entity_reads_no_file(rdfxml: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7d1c", encoding="utf-8")
    path = tmp_path / "xxe.rdf"
    doctype = f'<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
    path.write_text(_with_doctype(rdfxml, doctype, "&leak;"), encoding="utf-8")
    for args in (["export"], ["validate", "--shacl"]):
        result = run(*args, "--data", str(path))
        assert result.returncode == 1
        assert "TOP-SECRET" not in result.stdout + result.stderr
        first = result.stderr.removeprefix("error: ").splitlines()[0]
        assert first.startswith(f"{path}:2: refusing an XML document type declaration")


def test_an_entity_bomb_is_answered_within_seconds(rdfxml: str, tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "bomb.rdf"
    doctype = f"<!DOCTYPE rdf:RDF [{''.join(entities)}]>"
    path.write_text(_with_doctype(rdfxml, doctype, "&lol9;"), encoding="utf-8")
    start = time.monotonic()
    result = run("validate", "--data", str(path))
    assert time.monotonic() - start < 5  # before the guard: minutes
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"{path}:2: refusing an XML document")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rdf:RDF SYSTEM "{url}/external.dtd">',
        '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/param.dtd"> %p;]>',
        '<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "{url}/entity.dtd">]>',
        '<!DOCTYPE rdf:RDF PUBLIC "-//lorekit//x//EN" "{url}/public.dtd">',
        "<!DOCTYPE rdf:RDF>",
    ],
)
def test_any_dtd_is_refused_without_a_request(
    doctype: str, rdfxml: str, net: Any, tmp_path: Path
) -> None:
    path = tmp_path / "dtd.rdf"
    path.write_text(_with_doctype(rdfxml, doctype.format(url=net.url)), encoding="utf-8")
    with pytest.raises(lorekit.LoadError) as info:
        lorekit.load(path)
    (error,) = info.value.errors
    assert (error.file, error.line) == (str(path), 2)
    assert "refusing an XML document type declaration" in error.message


def test_a_dtd_after_the_root_is_a_syntax_error(rdfxml: str, tmp_path: Path) -> None:
    """The guard stops at the root element: nothing after it can declare an entity."""
    path = tmp_path / "late.rdf"
    path.write_text(rdfxml.replace("</rdf:RDF>", '<!DOCTYPE x [<!ENTITY a "b">]></rdf:RDF>'))
    with pytest.raises(lorekit.LoadError, match="not valid RDF/XML"):
        lorekit.load(path)


# --- the other formats read nothing else --------------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "nt", "trig", "nq", "jsonld", "xml"])
def test_iris_that_name_the_server_are_not_fetched(fmt: str, net: Any, tmp_path: Path) -> None:
    """IRIs, prefixes, a base and owl:imports are names, never fetched."""
    lore = lorekit.load()
    base = f"{net.url}/universe/"
    text = serialize_rdf(lore, fmt, base=base)  # type: ignore[arg-type]
    if fmt in ("ttl", "trig"):
        text = f"@base <{net.url}/b/> .\n@prefix imp: <{net.url}/p#> .\n" + text
        text += f"\n<{net.url}/o> <http://www.w3.org/2002/07/owl#imports> <{net.url}/i.ttl> .\n"
    suffix = {"xml": "rdf"}.get(fmt, fmt)
    path = tmp_path / f"u.{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        lorekit.load(path)
    except lorekit.LoreError as exc:  # the extra triples may be refused; never fetched
        assert "refusing" not in str(exc)


# --- outputs: devices, FIFOs, sockets, links ----------------------------------


def _device(path: Path, major: int, minor: int) -> Path:
    """A private character device node (a copy of /dev/null or /dev/full)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("mknod is not permitted here")
    return path


def _is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


@pytest.mark.parametrize("command", ["export", "html"])
def test_a_full_device_is_an_output_error_and_stays_a_device(command: str, tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 1, 7)
    result = run(command, "-o", str(full))
    assert result.returncode == 1
    assert result.stderr == f"error: {full}: cannot write: No space left on device\n"
    assert _is_char_device(full)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # no temp file left


def test_a_null_device_is_written_in_place(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", 1, 3)
    result = run("export", "-o", str(null))
    assert result.returncode == 0 and result.stderr == f"wrote {null}\n"
    assert _is_char_device(null)


def test_a_fifo_is_streamed_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("export", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert received == [serialize_rdf(lorekit.load(), "ttl").encode("utf-8")]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_whose_reader_leaves_is_an_output_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as handle:
            handle.read(10)

    reader = threading.Thread(target=read_a_little, daemon=True)
    reader.start()
    with pytest.raises(lorekit.OutputError, match="cannot write: Broken pipe"):
        write_atomic(fifo, "x" * 10_000_000)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused_and_stays(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        with pytest.raises(lorekit.OutputError, match="cannot write"):
            write_atomic(path, "data")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(lorekit.OutputError, match="is a directory"):
        write_atomic(tmp_path, "data")


def test_a_symlink_stays_a_link_and_its_file_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real" / "lore.ttl"
    real.parent.mkdir()
    real.write_text("previous\n", encoding="utf-8")
    real.chmod(0o640)
    hop = tmp_path / "hop.ttl"
    hop.symlink_to(real)
    link = tmp_path / "link.ttl"
    link.symlink_to(hop.name)  # relative, through another link
    result = run("export", "-o", str(link))
    assert result.returncode == 0 and result.stderr == f"wrote {link}\n"
    assert link.is_symlink() and hop.is_symlink()
    assert os.readlink(link) == "hop.ttl" and os.readlink(hop) == str(real)
    assert real.read_text(encoding="utf-8") == serialize_rdf(lorekit.load(), "ttl")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["lore.ttl"]


def test_a_dangling_symlink_gets_its_file(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    write_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "new"


def test_a_link_to_standard_output_writes_into_the_pipe(tmp_path: Path) -> None:
    """What ``-o /dev/stdout`` does, through a private link to the same place."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = run("ontology", "-o", str(link))
    assert result.returncode == 0
    assert result.stdout == _expected("ontology")
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_a_failed_write_leaves_the_old_file_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lore.ttl"
    target.write_bytes(b"old \xe2\x9c\x93\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(lorekit.OutputError, match="No space left on device"):
        write_atomic(target, "new")
    assert target.read_bytes() == b"old \xe2\x9c\x93\n"
    assert [p.name for p in tmp_path.iterdir()] == ["lore.ttl"]


def _commands_with_output() -> dict[str, click.Command]:
    found = {}
    for name, command in main.commands.items():
        if any("-o" in p.opts for p in command.params if isinstance(p, click.Option)):
            found[name] = command
    return found


def test_these_commands_have_an_output_option() -> None:
    assert set(_commands_with_output()) == {
        "export", "ontology", "context", "shapes", "schema", "html", "synth"
    }  # fmt: skip


def _expected(command: str) -> str:
    """What ``lorekit COMMAND`` prints, from the library."""
    from lorekit._rdf.jsonld import jsonld_context
    from lorekit._rdf.ontology import ontology_turtle
    from lorekit._rdf.shacl import shapes_turtle

    if command == "export":
        return serialize_rdf(lorekit.load(), "ttl")
    if command == "html":
        return lorekit.load().to_html()
    if command == "ontology":
        return ontology_turtle()
    if command == "shapes":
        return shapes_turtle()
    document = jsonld_context() if command == "context" else lorekit.data_file_schema()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("command", sorted(set(_commands_with_output()) - {"synth"}))
def test_dash_is_standard_output_on_every_command(command: str, tmp_path: Path) -> None:
    result = run(command, "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []  # no file named "-", no lore.html
    assert result.stdout == _expected(command)


def test_synth_refuses_dash(tmp_path: Path) -> None:
    result = run("synth", "-n", "50", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert "a directory of files cannot go to standard output" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_standard_output_is_an_output_error(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 1, 7)
    with open(full, "w") as stdout:
        result = subprocess.run(
            [str(EXE), "export"], stdout=stdout, stderr=subprocess.PIPE, text=True, env=ENV
        )
    assert result.returncode == 1
    assert result.stderr == "error: standard output: cannot write: No space left on device\n"


# --- directories of output ----------------------------------------------------


def test_a_directory_appears_complete_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out"

    def files() -> Iterator[tuple[str, str]]:
        yield "a.yaml", "a: 1\n"
        raise OSError(28, "No space left on device")

    with pytest.raises(lorekit.OutputError, match="No space left on device"):
        write_directory_atomic(target, files())
    assert list(tmp_path.iterdir()) == []


def test_a_directory_name_cannot_leave_it(tmp_path: Path) -> None:
    for name in ("../escape.yaml", "/tmp/abs.yaml", "a/../../b.yaml"):
        with pytest.raises(lorekit.OutputError, match="not a file name inside"):
            write_directory_atomic(tmp_path / "out", [(name, "x")])
    assert list(tmp_path.iterdir()) == []


def test_a_directory_fills_an_empty_one_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o750)
    link = tmp_path / "link"
    link.symlink_to(real)
    write_directory_atomic(link, [("one.yaml", "x: 1\n")])
    assert link.is_symlink() and (real / "one.yaml").read_text() == "x: 1\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_synth_directory_has_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    assert run("synth", "-n", "50", "-o", str(out)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    assert len(lorekit.load(out)) == 50
