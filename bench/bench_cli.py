"""The command line as a user meets it: startup, completion, and cold and warm loads.

Each figure is the wall time of a real ``lorekit`` process (the console
script of this interpreter's environment), with the load cache in a fresh
directory of the bench's own, and its peak resident memory from ``wait4``.

- **startup** (the bundled universe; medians of 10 runs each): bare
  ``python -c pass``, ``lorekit --help``, a warm ``lorekit show "Eve
  Macarro"`` and a completion request for ``lorekit show Ev``, each beside
  bare Python.
- **CLI cold / warm** (each size): ``lorekit show ID --data U`` with an empty
  cache (beside the in-process load of the same run), then from the cache
  (beside the cold run; median of 3); and ``lorekit path A B --data U`` from
  the cache (median of 3), which walks every statement.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

EXE = str(Path(sys.executable).parent / "lorekit")


TIME = Path("/usr/bin/time")
"""GNU time reads a child's peak memory; a child forked straight from the bench would
count the bench's own resident pages (shared until it runs the program) as its peak."""
_MARK = "lorekit-bench-maxrss-kb"


def run_once(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process, its output thrown away."""
    timed = [str(TIME), "-f", f"{_MARK} %M", *args] if TIME.exists() else list(args)
    start = time.perf_counter()
    proc = subprocess.Popen(
        timed, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err}")
    peak_kb = float(usage.ru_maxrss)
    for line in err.splitlines():
        if line.startswith(_MARK):
            peak_kb = float(line.split()[1])
    return seconds, peak_kb / 1024


def median_run(args: Sequence[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    results = [run_once(args, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def environment(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_LOREKIT")}
    return {**env, "LOREKIT_CACHE_DIR": str(cache), **extra}


def wait_for_entry(cache: Path, timeout: float = 600) -> None:
    """Wait until the cache holds an entry (a cold run writes it after it answers)."""
    deadline = time.monotonic() + timeout
    while not any(cache.glob("*.cache")):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no cache entry appeared in {cache}")
        time.sleep(0.05)


def completion_env(cache: Path, words: str) -> dict[str, str]:
    return environment(cache, _LOREKIT_COMPLETE="bash_complete", COMP_WORDS=words,
                       COMP_CWORD=str(len(words.split()) - 1))  # fmt: skip


def startup(work: Path, runs: int = 10) -> list[tuple[str, float, float, str]]:
    """(stage, median seconds, peak MB, target) of each startup figure; bare Python first."""
    cache = work / "cache-startup"
    env = environment(cache)
    bare = median_run([sys.executable, "-c", "pass"], env, runs)
    helped = median_run([EXE, "--help"], env, runs)
    run_once([EXE, "show", "Eve Macarro"], env)  # fill the cache
    wait_for_entry(cache)
    show = median_run([EXE, "show", "Eve Macarro"], env, runs)
    completed = median_run([EXE], completion_env(cache, "lorekit show Ev"), runs)
    return [
        ("startup: python -c pass", *bare, "(baseline)"),
        ("startup: lorekit --help", *helped, "< 0.2 s"),
        ("startup: lorekit show (warm)", *show, "< 0.4 s"),
        ("startup: completion of show Ev", *completed, "< 0.25 s"),
    ]


def cold_and_warm(
    data: Path, entity: str, work: Path, log: Callable[[str], None], path: tuple[str, str]
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """``lorekit show ENTITY --data DATA``: cold (empty cache), then warm (median of 3);
    and ``lorekit path A B`` warm (median of 3), a command that walks every statement."""
    cache = work / f"cache-{data.name}"
    env = environment(cache)
    args = [EXE, "show", entity, "--data", str(data)]
    cold = run_once(args, env)
    wait_for_entry(cache)
    log(f"{data.name}: CLI cold {cold[0]:.2f}s")
    warm = median_run(args, env, 3)
    log(f"{data.name}: CLI warm {warm[0]:.2f}s")
    walk = median_run([EXE, "path", *path, "--data", str(data)], env, 3)
    log(f"{data.name}: CLI warm path {walk[0]:.2f}s")
    return cold, warm, walk
