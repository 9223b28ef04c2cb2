"""How long the graph page takes to be drawn and still in headless Chromium.

:func:`draw_seconds` opens a page written by ``LoreGraph.to_html`` in Debian's
Chromium through Playwright, offline, and times it from the request to the
moment the page says it is drawn and still: ``<body data-state="ready">``,
which ``page.js`` sets once its layout has run and vis-network has drawn the
positions with physics off, and then one more painted frame.

Run on its own, it times one file::

    python bench/page_draw.py page.html
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

CHROMIUM = Path(os.environ.get("LOREKIT_CHROMIUM", "/usr/bin/chromium"))
"""The browser the page is timed in; the test suite uses the same one."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_S = 120.0
"""Give up on a page that is not ready by then (an error, not a slow page)."""

_PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def draw_seconds(html_path: Path) -> float | None:
    """Seconds from opening ``html_path`` until the page is drawn and still.

    Returns ``None`` when Playwright or Chromium is missing. Raises Playwright's
    ``TimeoutError`` when the page is not ready within ``TIMEOUT_S``, and
    ``RuntimeError`` when the page reported a script error.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            started = time.perf_counter()
            page.goto(Path(html_path).resolve().as_uri(), wait_until="commit")
            page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_S * 1000)
            page.evaluate(_PAINTED)
            seconds = time.perf_counter() - started
            context.close()
        finally:
            browser.close()
    if errors:
        raise RuntimeError(f"the page reported errors: {errors}")
    return seconds


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        result = draw_seconds(Path(arg))
        print(f"{arg}: " + ("no Chromium or Playwright" if result is None else f"{result:.2f} s"))
