"""The benchmark suite runs (at its smallest size only: benchmarks are not tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("LOREKIT_CHROMIUM", "/usr/bin/chromium"))


def test_bench_runs_every_stage_beside_its_baseline(tmp_path: Path) -> None:
    out_json, out_md = tmp_path / "results.json", tmp_path / "bench.md"
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "200,300",
         "--full-up-to", "200", "--json", str(out_json), "--markdown", str(out_md),
         "--readme", str(readme)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(out_json.read_text(encoding="utf-8"))["rows"]
    stages = [r["stage"] for r in rows if r["size"] == 200]
    assert stages == [
        "load + validate + graph",
        "CLI cold (show, empty cache)",
        "CLI warm (show, from the cache)",
        "CLI warm (path, from the cache)",
        "path",
        "members",
        "as_of",
        "at",
        "timeline (story)",
        "set_between",
        "export ttl",
        "export nt",
        "export jsonld",
        "SPARQL faction-members (rdflib)",
        "SPARQL every queries/ file (oxigraph)",
        "page",
        *(["page drawn and still in Chromium"] if CHROMIUM.exists() else []),
        "import mediawiki",
    ]
    # past --full-up-to (the 1M stage) the same stages, the unbounded ones skipped with a reason
    bounded = [r for r in rows if r["size"] == 300]
    assert [r["stage"] for r in bounded] == stages
    skipped = {r["stage"] for r in bounded if r["verdict"] == "skipped"}
    assert skipped == {
        "export jsonld",
        "SPARQL faction-members (rdflib)",
        "SPARQL every queries/ file (oxigraph)",
        "import mediawiki",
    }
    assert all(r["note"].startswith("skipped past") for r in bounded if r["stage"] in skipped)
    for r in bounded:
        if r["stage"] in ("load + validate + graph", "export ttl", "export nt"):
            assert r["baseline_seconds"] is None and "rdflib baseline skipped" in r["note"]
    assert next(r for r in bounded if r["stage"] == "export nt")["items"] > 0
    rows = [r for r in rows if r["size"] != 300]
    startup = [r for r in rows if r["size"] != 200]  # on the bundled universe
    assert [r["stage"] for r in startup] == [
        "startup: python -c pass",
        "startup: lorekit --help",
        "startup: lorekit show (warm)",
        "startup: completion of show Ev",
    ]
    assert all(r["baseline_seconds"] == startup[0]["seconds"] for r in startup[1:])
    for stage in ("CLI cold (show, empty cache)", "CLI warm (show, from the cache)"):
        row = next(r for r in rows if r["stage"] == stage)
        assert row["baseline_seconds"] > 0 and row["verdict"] in ("met", "missed")
    walk = next(r for r in rows if r["stage"] == "CLI warm (path, from the cache)")
    assert walk["baseline_seconds"] > 0 and walk["note"].startswith("lorekit path character-")
    if os.environ.get("CI") == "true":  # CI installs the browser: the draw stage must run there
        assert CHROMIUM.exists()
    by_stage = {r["stage"]: r for r in rows}
    assert by_stage["load + validate + graph"]["extra"]["triples"] > 0
    for stage in ("load + validate + graph", "export ttl", "export nt", "page"):
        assert by_stage[stage]["baseline_seconds"] > 0
        assert by_stage[stage]["verdict"] in ("met", "missed")
    assert all(r["seconds"] > 0 and r["peak_mb"] > 0 for r in rows)
    table = out_md.read_text(encoding="utf-8")
    assert table.startswith("# Benchmarks") and table.count("\n| 200 |") == len(stages)
    assert table.count("\n| 300 |") == len(stages) and "| skipped |" in table
    imported = by_stage["import mediawiki"]
    assert "fresh process" in imported["note"] and imported["peak_mb"] < 1000
    assert not (ROOT / "lib").exists()  # pyvis's stock page copies lib/ into the cwd
    summary = readme.read_text(encoding="utf-8")
    start = summary.index("<!-- bench:start")
    section = summary[start : summary.index("<!-- bench:end -->")]
    assert section.count("\n| ") == len(rows) + 1  # a header and one line per stage, sizes beside
    assert "| load + validate + graph | ratio <= 0.25, peak < 2,500 MB | " in section
    assert summary[:start] == (ROOT / "README.md").read_text(encoding="utf-8")[:start]
