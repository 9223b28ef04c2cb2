"""Throughput of ``lorekit.link_text`` on the John Wick graph.

Repeats the test documents (tests/texts: a synopsis, a review and a wiki page,
about one mention every 35 characters: a dense, pessimistic text) up to the
size asked for, links it once to warm up, then times the best of a few runs.

    python bench/bench_link.py            # 5 MB, best of 3
    python bench/bench_link.py --mb 20 --repeat 5

Prints MB/s and the ratio to the issue's target of 1 MB/s, by wall clock and by
CPU time (the CPU figure is steadier on a busy machine). This is a benchmark,
never a timed test: the suite only checks that it runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import lorekit

TARGET_MB_PER_S = 1.0
TEXTS = Path(__file__).resolve().parents[1] / "tests" / "texts"


def corpus(size: int) -> str:
    """The test documents, repeated as whole documents up to ``size`` bytes of UTF-8."""
    docs = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.iterdir()) if p.is_file()]
    unit = "\n\n".join(docs) + "\n\n"
    copies = max(1, round(size / len(unit.encode("utf-8"))))
    return unit * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="text size in MB (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    args = parser.parse_args()

    lore = lorekit.load()
    text = corpus(int(args.mb * 1_000_000))
    megabytes = len(text.encode("utf-8")) / 1_000_000
    lorekit.link_text(lore, "Eve Macarro warms the matcher up.")  # built once per graph

    wall = cpu = float("inf")
    for _ in range(max(1, args.repeat)):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = lorekit.link_text(lore, text)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    for label, seconds in (("wall clock", wall), ("CPU time", cpu)):
        rate = megabytes / seconds
        print(
            f"{label:>10}: {megabytes:.2f} MB in {seconds:.3f} s = {rate:.2f} MB/s, "
            f"{rate / TARGET_MB_PER_S:.2f}x the {TARGET_MB_PER_S:g} MB/s target"
        )
    print(
        f"{len(report.mentions)} mentions, {len(report.ambiguous)} ambiguous, "
        f"{len(report.candidates)} unknown names"
    )


if __name__ == "__main__":
    main()
