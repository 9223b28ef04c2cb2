"""An imported hostile wiki, written as the graph page and opened in real headless Chromium.

The export (``tests/import/wiki-hostile.xml``, written for the purpose in the
export-0.11 format) has page titles, a site name and field values that try to
end a script element, add ``<img onerror>``/``<svg onload>`` markup, break out
of quotes and turn text around with U+202E. Each payload would set
``window.pwned`` or open a dialog if it ran; on the page they must stay text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import lorekit

EXPORT = Path(__file__).resolve().parent / "import" / "wiki-hostile.xml"
EXE = shutil.which("lorekit", path=str(Path(sys.executable).parent))
NYX = "nyx-script-script-window-pwned-title-script"
ORDER = "order-of-the-sable-o-neil-redro"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert EXE is not None
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8",
             "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"]},
    )  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, lorekit.LoreGraph]:
    """The hostile export imported, and its page written, by the real command line."""
    work = tmp_path_factory.mktemp("hostile-wiki")
    result = run("import", "mediawiki", str(EXPORT), "-o", str(work / "u"))
    assert result.returncode == 0, result.stderr
    result = run("html", "--data", str(work / "u"), "-o", str(work / "page.html"))
    assert result.returncode == 0, result.stderr
    return work / "page.html", lorekit.load(work / "u")


def test_the_payloads_are_imported_as_text(imported: tuple[Path, lorekit.LoreGraph]) -> None:
    _, lore = imported
    nyx = lore.entity(NYX)
    assert nyx.name == "Nyx </script><script>window.pwned='title'</script>"
    assert nyx.aliases == (
        'The "Script" Redirect </script>',
        "<img src=x onerror=\"window.pwned='name'\">",
        "</script><svg onload=\"window.pwned='alias'\">",
        '"Quoted" O\'Hare',
        "\u202eevil\u202c twin",
    )
    assert nyx.description == (
        "Nyx is a thief who writes <script>window.pwned='lead'</script> on \"walls\" & doors."
    )
    assert lore.entity(ORDER).name == 'Order of the "Sable" O\'Neil \u202eredro'
    assert lore.name == 'Hollow "Lantern" </script> Wiki'


def _open(browser: Any, path: Path) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(offline=True)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    context.route(
        "**/*",
        lambda r: r.abort() if re.match(r"(https?|wss?):", r.request.url) else r.continue_(),
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    return context, page, dialogs, errors


def test_hostile_titles_show_as_text_and_run_nothing(
    browser: Any, imported: tuple[Path, lorekit.LoreGraph]
) -> None:
    path, lore = imported
    context, page, dialogs, errors = _open(browser, path)
    try:
        assert page.title() == lore.name
        assert page.locator("#title").inner_text() == lore.name
        for entity in lore.entities():
            page.evaluate("(id) => { location.hash = id; }", entity.id)
            page.wait_for_function("(id) => lorePage.selected() === id", arg=entity.id)
            assert page.locator("#panel-name").inner_text() == entity.name
            panel = page.locator("#panel").inner_text()
            for alias in entity.aliases:
                assert alias in panel
            if entity.description:
                assert entity.description in panel
        # the search list renders names too
        page.locator("#search").fill("Nyx")
        assert lore.entity(NYX).name in page.locator("#results").inner_text()
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned === undefined")
        assert dialogs == [] and errors == []
        assert page.evaluate("document.querySelectorAll('img, svg image, iframe, a').length") == 0
        assert page.evaluate(
            "[...document.querySelectorAll('*')].some(e => [...e.attributes]"
            ".some(a => a.name.startsWith('on')))"
        ) is False  # fmt: skip
        # the payloads are in the page only inside its data block, never as code
        assert page.evaluate(
            "[...document.scripts].filter(s => s.text.includes('pwned')).map(s => s.type)"
        ) == ["application/json"]  # fmt: skip
    finally:
        context.close()
