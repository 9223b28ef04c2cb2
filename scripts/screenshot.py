"""Take ``docs/screenshot.png`` from the real John Wick graph page.

Generates the page with lorekit, opens it offline in headless Chromium (Debian's
``chromium``, driven by Playwright) with Eve Macarro selected, and saves a
screenshot::

    .venv/bin/python scripts/screenshot.py
    .venv/bin/python scripts/screenshot.py --entity john-wick --out /tmp/wick.png

Needs the ``test`` extra (Playwright) and ``apt-get install chromium``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import lorekit

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--entity", default="eve-macarro", help="the entity to select")
    parser.add_argument("--data", type=Path, default=None, help="a universe (default: bundled)")
    parser.add_argument("--size", default="1400x860", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.split("x"))

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "lore.html"
        lorekit.load(args.data).to_html(page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(args.chromium), args=ARGS)
            context = browser.new_context(viewport={"width": width, "height": height}, offline=True)

            def refuse(route: Any) -> None:
                if re.match(r"(https?|wss?):", route.request.url):
                    route.abort()
                else:
                    route.continue_()

            context.route("**/*", refuse)
            page = context.new_page()
            fragment = f"#{args.entity}" if args.entity else ""
            page.goto(page_path.as_uri() + fragment)
            page.wait_for_selector("body[data-state=ready]", timeout=30_000)
            page.wait_for_timeout(500)  # let the camera settle
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
