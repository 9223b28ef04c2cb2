"""Startup: each command imports only what it needs; completion; progress only on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MODEL, GRAPH = "lorekit._core.model", "networkx"
RDF = ("rdflib", "pyshacl", "pyoxigraph", "lorekit._rdf", "lorekit._views.page", "pyvis")

# run the real command line in a fresh interpreter, then report what it imported
_PROBE = """\
import atexit, json, sys
where = sys.argv[1]
def report():
    with open(where, "w") as out:
        json.dump(sorted(sys.modules), out)
atexit.register(report)
sys.argv = ["lorekit", *sys.argv[2:]]
from lorekit._cli import main
main()
"""


def _imported(tmp_path: Path, *args: str, **env: str) -> tuple[set[str], str]:
    import json

    report = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(report), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LOREKIT_CACHE_DIR": str(tmp_path / "cache"), **env},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(report.read_text(encoding="utf-8"))), result.stdout


def _complete(words: str, shell: str = "bash") -> dict[str, str]:
    return {"_LOREKIT_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1)}  # fmt: skip


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["show", "--help"]])
def test_help_and_version_import_no_model_graph_or_rdf(tmp_path: Path, args: list[str]) -> None:
    modules, out = _imported(tmp_path, *args)
    assert out  # it did answer
    assert not {MODEL, GRAPH, "pydantic", *RDF} & modules


def test_a_query_command_imports_the_model_but_no_rdf_and_warm_no_networkx(
    tmp_path: Path,
) -> None:
    # cold: the universe is read, its story order checked (with networkx), and cached
    modules, cold = _imported(tmp_path, "show", "Eve Macarro")
    assert cold.startswith("Eve Macarro")
    assert {MODEL, "lorekit._graph.graph", GRAPH} <= modules
    assert not set(RDF) & modules
    # warm: the graph read back answers from its own index, without networkx
    modules, warm = _imported(tmp_path, "show", "Eve Macarro")
    assert warm == cold
    assert {MODEL, "lorekit._graph.graph"} <= modules
    assert not {GRAPH, *RDF} & modules
    # a path is walked over the index too; a query that needs networkx imports it
    modules, out = _imported(tmp_path, "path", "Eve Macarro", "John Wick")
    assert out.startswith("Eve Macarro —member of→ Ruska Roma")
    assert GRAPH not in modules
    modules, out = _imported(tmp_path, "timeline")
    assert "Ballerina" in out
    assert GRAPH in modules


def test_field_descriptions_are_the_docstrings_pydantic_would_read() -> None:
    """The model reads its field docstrings itself (pydantic's inspect cost a third of
    its import); they must be what ``use_attribute_docstrings`` gives."""
    from pydantic import BaseModel
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    from lorekit._core import model
    from lorekit._load import schema

    models = [schema._Universe] + [
        m for m in vars(model).values()
        if isinstance(m, type) and issubclass(m, model._Base) and m is not model._Base
    ]  # fmt: skip
    described = 0
    for cls in models:
        for name, info in cls.model_fields.items():
            owner = next(
                k for k in cls.__mro__ if name in vars(k).get("__annotations__", {})
            )  # the class that wrote the field (a field redefined there has its own doc)
            assert issubclass(owner, BaseModel)
            expected = extract_docstrings_from_cls(owner, use_inspect=True).get(name)
            assert info.description == expected, (cls.__name__, name)
            described += expected is not None
    assert described > 60


def test_completion_offers_names_aliases_and_ids_without_loading(tmp_path: Path) -> None:
    # the first request loads the universe once, to fill the cache
    _, first = _imported(tmp_path, **_complete("lorekit show Ev"))
    modules, out = _imported(tmp_path, **_complete("lorekit show Ev"))
    assert out == first
    offered = [line.partition(",")[2] for line in out.splitlines()]
    assert offered[:3] == ["Eve\\ Macarro", "Eve", "eve-macarro"]
    assert not {MODEL, GRAPH, "pydantic", *RDF} & modules
    # names fold case and accents, and the other entity arguments complete too
    _, out = _imported(tmp_path, **_complete("lorekit path eve WINS"))
    assert "plain,Winston" in out.splitlines()
    _, out = _imported(tmp_path, **_complete("lorekit relations ev", shell="zsh"))
    assert out.splitlines()[:3] == ["plain", "Eve Macarro", "eve-macarro"]


def test_completion_reads_the_universe_given_by_data(tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(
        "universe: {id: tiny, name: Tiny}\n"
        "characters:\n  - {id: evelyn-salt, name: Evelyn Salt, aliases: [Salt]}\n",
        encoding="utf-8",
    )
    _, out = _imported(tmp_path, **_complete(f"lorekit show --data {data} Ev"))
    assert out.splitlines() == ["plain,Evelyn\\ Salt", "plain,evelyn-salt"]
    _, out = _imported(tmp_path, **_complete(f"lorekit show --data {data} sa"))
    assert out.splitlines() == ["plain,Salt"]


# --- progress -----------------------------------------------------------------

_WORK = """\
import time
from lorekit._core.progress import progress
with progress("counting sheep", total=3) as advance:
    for _ in range(3):
        time.sleep(0.2)
        advance(1)
print("done")
"""


def test_progress_shows_on_a_terminal(terminal: Any) -> None:
    out, shown = terminal.run([sys.executable, "-c", _WORK], terminal.env())
    assert out == "done\n"
    assert "counting sheep" in shown


def test_progress_is_silent_under_ci_even_on_a_terminal(terminal: Any) -> None:
    out, shown = terminal.run([sys.executable, "-c", _WORK], terminal.env(CI="true"))
    assert out == "done\n" and shown == ""


def test_progress_waits_before_showing(terminal: Any) -> None:
    _, shown = terminal.run(
        [sys.executable, "-c", _WORK], terminal.env(LOREKIT_PROGRESS_DELAY="30")
    )
    assert shown == ""  # the work ended long before the bar was due


def test_progress_is_silent_when_piped(terminal: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WORK],
        capture_output=True,
        text=True,
        env=terminal.env(),
        timeout=60,
    )
    assert result.stdout == "done\n" and result.stderr == ""


def test_commands_show_progress_on_a_terminal(tmp_path: Path, terminal: Any) -> None:
    exe = str(Path(sys.executable).parent / "lorekit")
    env = terminal.env(LOREKIT_CACHE_DIR=str(tmp_path / "cache"))
    out, shown = terminal.run([exe, "synth", "-n", "300", "-o", str(tmp_path / "u")], env)
    assert "writing 300 entities" in shown
    out, shown = terminal.run([exe, "validate", "--data", str(tmp_path / "u")], env)
    assert out.startswith("ok: ") and "loading the universe" in shown
    out, shown = terminal.run(
        [exe, "export", "--data", str(tmp_path / "u"), "-o", str(tmp_path / "u.ttl")], env
    )
    assert "exporting ttl" in shown
    piped = subprocess.run([exe, "validate", "--data", str(tmp_path / "u")], env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == ""
