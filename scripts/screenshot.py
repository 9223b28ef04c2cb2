"""Take the docs' pictures of the real John Wick graph page.

Generates the page with lorekit, opens it offline in headless Chromium (Debian's
``chromium``, driven by Playwright) and saves screenshots. With no arguments it
takes every picture the docs use::

    .venv/bin/python scripts/screenshot.py

- ``docs/screenshot.png``: Eve Macarro selected (the README's picture);
- ``docs/img/graph.png``: the whole graph, nothing selected;
- ``docs/img/eve.png``: Eve Macarro's panel, her relations with their sources;
- ``docs/img/as-of-chapter-3.png``: the graph as of Chapter 3 (release order),
  which hides Ballerina, Eve and Chapter 4;
- ``docs/img/story-time-early.png`` and ``docs/img/story-time-late.png``: the
  page at two points of the story (the "At" selector), Winston and his
  neighbourhood, at
  Chapter 3 and at the duel at Sacré-Cœur (Chapter 4), after the Continental is
  demolished and Charon killed.

Only the story-time pictures, of another universe, entity and points (for a
universe whose data has no spans yet)::

    .venv/bin/python scripts/screenshot.py --story --data tests/story-page/branches.yaml \
        --entity hero --points left finale

One custom picture::

    .venv/bin/python scripts/screenshot.py --entity john-wick --out /tmp/wick.png

Needs the ``test`` extra (Playwright) and ``apt-get install chromium``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lorekit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Shot:
    """One picture: where it goes, what is selected, what else to do first."""

    out: Path
    entity: str | None = None
    point: str | None = None
    """A story point to open the page at (the address bar's ``#entity@point``)."""
    prepare: Callable[[Any], None] | None = None
    clip_panel: bool = False


def _as_of_chapter_3(page: Any) -> None:
    value = page.evaluate(
        """() => Array.from(document.querySelectorAll('#horizon-select option'))
            .find((o) => o.value.startsWith('release:') && o.text.includes('Chapter 3')).value"""
    )
    page.evaluate("(v) => window.lorePage.setHorizon(v)", value)
    page.click("#fit")


SHOTS = [
    Shot(DOCS / "screenshot.png", entity="eve-macarro"),
    Shot(DOCS / "img" / "graph.png"),
    Shot(DOCS / "img" / "eve.png", entity="eve-macarro", clip_panel=True),
    Shot(DOCS / "img" / "as-of-chapter-3.png", prepare=_as_of_chapter_3),
]

STORY_FILES = (DOCS / "img" / "story-time-early.png", DOCS / "img" / "story-time-late.png")


def _neighbourhood(page: Any) -> None:
    page.check("#hood-on")
    page.wait_for_timeout(500)
    page.evaluate("() => lorePage.network.fit({nodes: lorePage.shownNodeIds().map(lorePage.idOf)})")


def story_shots(entity: str, points: tuple[str, str]) -> list[Shot]:
    """The two story-time pictures: ``entity`` and its neighbours, at each of ``points``."""
    return [
        Shot(out, entity=entity, point=p, prepare=_neighbourhood)
        for out, p in zip(STORY_FILES, points, strict=True)
    ]


STORY_ENTITY, STORY_POINTS = "winston", ("john-wick-chapter-3", "duel-at-sacre-coeur")
STORY_SHOTS = story_shots(STORY_ENTITY, STORY_POINTS)


def take(shots: list[Shot], *, data: Path | None, size: str, chromium: Path) -> None:
    from playwright.sync_api import sync_playwright

    width, height = (int(x) for x in size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "lore.html"
        lorekit.load(data).to_html(page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
            for shot in shots:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, offline=True
                )

                def refuse(route: Any) -> None:
                    if re.match(r"(https?|wss?):", route.request.url):
                        route.abort()
                    else:
                        route.continue_()

                context.route("**/*", refuse)
                page = context.new_page()
                fragment = f"#{shot.entity or ''}" + (f"@{shot.point}" if shot.point else "")
                fragment = "" if fragment == "#" else fragment
                page.goto(page_path.as_uri() + fragment)
                page.wait_for_selector("body[data-state=ready]", timeout=30_000)
                if shot.prepare is not None:
                    shot.prepare(page)
                page.wait_for_timeout(800)  # let the camera settle
                shot.out.parent.mkdir(parents=True, exist_ok=True)
                if shot.clip_panel:
                    page.locator("#panel").screenshot(path=str(shot.out))
                else:
                    page.screenshot(path=str(shot.out))
                context.close()
                print(f"wrote {shot.out}", file=sys.stderr)
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="one picture (default: all)")
    parser.add_argument(
        "--entity", default=None, help="the entity to select, with --out or --story"
    )
    parser.add_argument("--story", action="store_true", help="only the two story-time pictures")
    parser.add_argument(
        "--points", nargs=2, default=None, metavar="POINT", help="the story points, with --story"
    )
    parser.add_argument("--data", type=Path, default=None, help="a universe (default: bundled)")
    parser.add_argument("--size", default="1400x860", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if args.story:
        first, last = args.points or STORY_POINTS
        shots = story_shots(args.entity or STORY_ENTITY, (first, last))
    elif args.out is None:
        shots = SHOTS + STORY_SHOTS
    else:
        shots = [Shot(args.out, entity=args.entity or "eve-macarro")]
    take(shots, data=args.data, size=args.size, chromium=args.chromium)
    return 0


if __name__ == "__main__":
    sys.exit(main())
