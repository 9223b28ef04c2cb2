"""Draw ``docs/img/timeline.svg``: a universe's works in story order and in release order.

Two rows, read left to right: the story order (events included, an event that
happens during a work hangs below it) and the release order with each work's
year. A line joins each work in the two rows, so a prequel or an interquel
(Ballerina) shows as a crossing. Plain SVG, written as text::

    .venv/bin/python scripts/timeline_figure.py
    .venv/bin/python scripts/timeline_figure.py --data data/the-matrix --out /tmp/matrix.svg
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

import lorekit

ROOT = Path(__file__).resolve().parents[1]
COLUMN = 150  # width of one position
LEFT = 120  # room for the row labels
STORY_Y, RELEASE_Y = 70, 260
COLOURS = {"work": "#4aa8e0", "event": "#c85aa0"}


def _label(x: float, y: float, text: str, *, size: int = 12, weight: str = "normal") -> str:
    lines = textwrap.wrap(text, 20) or [""]
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else 1.2}em">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="middle">{spans}</text>'
    )


def _marker(x: float, y: float, kind: str) -> str:
    colour = COLOURS.get(kind, "#888")
    if kind == "event":
        points = f"{x - 8:.0f},{y - 7:.0f} {x + 8:.0f},{y - 7:.0f} {x:.0f},{y + 8:.0f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<rect x="{x - 8:.0f}" y="{y - 8:.0f}" width="16" height="16" fill="{colour}"/>'


def figure(lore: lorekit.LoreGraph) -> str:
    story = lore.timeline("story")
    release = lore.timeline("release")
    # story row: each work or event within no other gets a column; what happens
    # during one (an episode, an event, an event of an episode) hangs above it
    column: dict[str, int] = {}
    top: dict[str, str] = {}  # each item: the item whose column it hangs in
    hung: list[tuple[str, lorekit.Entity]] = []
    for group in story.groups:
        for entry in group:
            container = entry.during.id if entry.during is not None else None
            if container is not None and container in top:
                top[entry.entity.id] = top[container]
                hung.append((top[container], entry.entity))
                continue
            top[entry.entity.id] = entry.entity.id
            column[entry.entity.id] = len(column)
    depth: dict[str, int] = {}
    placed: list[tuple[str, int, lorekit.Entity]] = []
    for owner, entity in hung:
        depth[owner] = depth.get(owner, 0) + 1
        placed.append((owner, depth[owner], entity))
    story_y = 40 * (max(depth.values(), default=0) + 1)
    release_y = story_y + RELEASE_Y - STORY_Y
    story_x = {i: LEFT + COLUMN * (n + 0.5) for i, n in column.items()}
    parts: list[str] = []
    for owner, level, entity in placed:
        x, y = story_x[owner], story_y - 40 * level
        parts.append(
            f'<line x1="{x:.0f}" y1="{y + 8:.0f}" x2="{x:.0f}" y2="{story_y - 8}" '
            'stroke="#c85aa0" stroke-dasharray="3 3"/>'
        )
        parts.append(_marker(x, y, entity.kind))
        parts.append(
            _label(x + 14, y + 4, entity.name, size=11).replace(
                'text-anchor="middle"', 'text-anchor="start"'
            )
        )
    for group in story.groups:
        for entry in group:
            if entry.entity.id in story_x:
                x = story_x[entry.entity.id]
                parts.append(_marker(x, story_y, entry.entity.kind))
                parts.append(_label(x, story_y + 26, entry.entity.name))
    # release row: the works within no other (an episode is released with its series)
    release_x: dict[str, float] = {}
    groups = [[e for e in g if e.during is None and e.entity.id in story_x] for g in release.groups]
    number = 0
    for works in groups:
        if not works:
            continue
        for i, entry in enumerate(works):
            x = LEFT + COLUMN * (number + 0.5) + 24 * i
            release_x[entry.entity.id] = x
            parts.append(_marker(x, release_y, entry.entity.kind))
            date = getattr(entry.entity, "release_date", None)
            name = entry.entity.name + (
                f" ({date.year})" if date and str(date.year) not in entry.entity.name else ""
            )
            parts.append(_label(x, release_y + 26, name))
        number += 1
    joins = [
        f'<line x1="{story_x[i]:.0f}" y1="{story_y + 62}" x2="{x:.0f}" y2="{release_y - 12}" '
        'stroke="#999" stroke-width="1.5"/>'
        for i, x in release_x.items()
    ]
    columns = max(len(column), number)
    width = LEFT + COLUMN * columns + 20
    height = release_y + 90
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" fill="#222">\n'
        f"<title>{escape(lore.name)}: story order and release order</title>\n"
        f'<rect width="{width}" height="{height}" fill="#fff"/>\n'
        f"{_label(50, story_y + 4, 'Story order', size=13, weight='bold')}\n"
        f"{_label(50, release_y + 4, 'Release order', size=13, weight='bold')}\n"
    )
    return head + "\n".join([*joins, *parts]) + "\n</svg>\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="a universe (default: bundled)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "timeline.svg")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(figure(lorekit.load(args.data)), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
