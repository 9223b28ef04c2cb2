"""The live page: a real server on 127.0.0.1, real file edits, a real Chromium tab.

The first tests talk HTTP to the server (Host checks, no CORS, the events
stream, a taken port) and run the real ``lorekit serve`` entry point up to
Ctrl-C. The browser tests open the served page in Debian's Chromium through
Playwright, with every request to another origin refused, edit the YAML files
under it and watch the tab follow: a change shows with the selection kept, a
broken file shows its errors as text, the fix brings the graph back.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lorekit
from lorekit import LiveServer, ServeError
from lorekit._views.page.html import live_page, live_script, to_html
from lorekit._views.serve import error_page

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "john-wick"


@pytest.fixture
def universe(tmp_path: Path) -> Path:
    """A copy of the bundled universe to edit."""
    return Path(shutil.copytree(DATA, tmp_path / "lore"))


@pytest.fixture
def server(universe: Path) -> Iterator[LiveServer]:
    with LiveServer(universe, port=0) as live:
        yield live


def _get(port: int, path: str = "/", host: str | None = None, **headers: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    for key, value in headers.items():
        conn.putheader(key.replace("_", "-"), value)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read() if path != "/events" else b""
    conn.close()
    return response, body


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_for(predicate: Any, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


# --- the page -------------------------------------------------------------------
def test_the_file_page_is_the_live_page_without_its_live_parts(lore: lorekit.LoreGraph) -> None:
    served = live_page(lore, version=7)
    page = to_html(lore)
    assert "EventSource" not in page and "connect-src" not in page and "lore-version" not in page
    live = (
        '<script type="application/json" id="lore-version">7</script>\n'
        f"<script>{live_script()}</script>\n"
    )
    assert served.count(live) == 1
    [csp] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', served)
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp
    # take the script out, and its hash and connect-src from the policy: the file page is left
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    digest = script_src.split()[-1]
    file_csp = csp.replace(" " + digest, "").replace("; connect-src 'self'", "")
    assert served.replace(live, "").replace(csp, file_csp) == page


def test_the_error_page_shows_every_error_as_text() -> None:
    errors = [
        lorekit.SchemaError("<img src=x onerror=alert(1)> is bad", file="a.yaml", line=3),
        lorekit.UnknownEntityError("unknown id 'x'", file="b.yaml", line=9),
    ]
    page = error_page(errors, version=2)
    assert "a.yaml:3: &lt;img src=x onerror=alert(1)&gt; is bad" in page
    assert "b.yaml:9: unknown id &#x27;x&#x27;" in page
    assert "<img" not in page and "2 errors" in page


# --- the server -------------------------------------------------------------------
def test_serves_the_page_and_its_version_on_loopback(server: LiveServer) -> None:
    assert server._http.server_address[0] == "127.0.0.1"
    response, body = _get(server.port, host=f"127.0.0.1:{server.port}")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b'<script type="application/json" id="lore-version">1</script>' in body
    assert b"Eve Macarro" in body
    response, _ = _get(server.port, host=f"localhost:{server.port}")
    assert response.status == 200
    response, _ = _get(server.port, "/nothing", host=f"localhost:{server.port}")
    assert response.status == 404


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "127.0.0.2:{port}", ""],
)
def test_another_host_is_refused(server: LiveServer, host: str) -> None:
    response, body = _get(server.port, host=host.format(port=server.port) or None)
    assert response.status == 421
    assert b"Eve" not in body


def test_no_origin_is_let_read(server: LiveServer) -> None:
    for path in ("/", "/nothing"):
        response, _ = _get(
            server.port, path, host=f"127.0.0.1:{server.port}", Origin="https://evil.example"
        )
        headers = {k.lower() for k, _ in response.getheaders()}
        assert not {h for h in headers if h.startswith("access-control-")}
        assert response.getheader("Cross-Origin-Resource-Policy") == "same-origin"
        assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")


def test_events_announce_each_new_version(server: LiveServer, universe: Path) -> None:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
    sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    stream = sock.makefile("rb")
    assert stream.readline().startswith(b"HTTP/1.0 200")

    def next_version() -> int:
        for line in iter(stream.readline, b""):
            if line.startswith(b"data: "):
                return int(line[6:])
        raise AssertionError("the stream ended")

    assert next_version() == 1
    _edit(universe / "characters.yaml", "Protagonist of Ballerina", "Heroine of Ballerina")
    assert next_version() == 2
    assert server.errors == []
    server.close()  # an open stream does not hold the shutdown
    assert stream.read().strip() == b""  # the stream ends
    sock.close()


def test_a_broken_file_serves_its_errors_then_recovers(server: LiveServer, universe: Path) -> None:
    characters = universe / "characters.yaml"
    _edit(characters, "first_appearance: ballerina", "first_appearance: nowhere-film")
    _wait_for(lambda: server.errors)
    assert server.version == 2
    [error] = server.errors
    assert error.file is not None and error.file.endswith("characters.yaml") and error.line == 9
    _, body = _get(server.port, host=f"127.0.0.1:{server.port}")
    assert b'data-state="error"' in body and b"characters.yaml:9: " in body
    _edit(characters, "first_appearance: nowhere-film", "first_appearance: ballerina")
    _wait_for(lambda: not server.errors)
    assert server.version == 3
    _, body = _get(server.port, host=f"127.0.0.1:{server.port}")
    assert b'id="lore-data"' in body


def test_as_of_and_at_hold_on_every_rebuild(universe: Path) -> None:
    with LiveServer(universe, port=0, as_of="Chapter 2", at="Killing of Santino") as live:
        first = _get(live.port, host=f"127.0.0.1:{live.port}")[1].decode()
        lore = lorekit.load(universe)
        cut = lore.as_of("Chapter 2")
        assert first == live_page(cut, version=1, at="Killing of Santino")
        assert "Eve Macarro" not in first and "Eve Macarro" in live_page(lore, version=1)
        _edit(universe / "characters.yaml", "name: Winston\n", "name: Winston the Manager\n")
        _wait_for(lambda: live.version == 2)
        second = _get(live.port, host=f"127.0.0.1:{live.port}")[1].decode()
    assert "Winston the Manager" in second and "Eve Macarro" not in second
    again = lorekit.load(universe).as_of("Chapter 2")
    assert second == live_page(again, version=2, at="Killing of Santino")


def test_as_of_or_at_naming_nothing_serves_the_error(universe: Path) -> None:
    for options in ({"as_of": "Chapter 9"}, {"at": "Chapter 9"}):
        with LiveServer(universe, port=0, **options) as live:
            [error] = live.errors
            assert "Chapter 9" in str(error)
            body = _get(live.port, host=f"127.0.0.1:{live.port}")[1].decode()
            assert "Chapter 9" in body and 'id="lore-data"' not in body


def test_a_taken_port_is_a_clean_error(server: LiveServer, universe: Path) -> None:
    with pytest.raises(ServeError, match=f"127.0.0.1:{server.port}"):
        LiveServer(universe, port=server.port)


def test_missing_data_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(lorekit.DataFileError, match="missing"):
        LiveServer(tmp_path / "missing")


# --- the command ------------------------------------------------------------------
def _lorekit(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lorekit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("cut", [(), ("--as-of", "Chapter 3", "--order", "story")])
def test_cli_prints_the_address_and_stops_cleanly_on_ctrl_c(
    universe: Path, cut: tuple[str, ...]
) -> None:
    proc = _lorekit("serve", "--data", str(universe), "--port", "0", *cut)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.fullmatch(r"serving (http://127\.0\.0\.1:(\d+)/)\n", line)
        assert match, line
        response, body = _get(int(match.group(2)), host=f"127.0.0.1:{match.group(2)}")
        # in story order Ballerina comes before Chapter 4, after Chapter 3: Eve is not yet known
        assert response.status == 200 and (b"Eve Macarro" in body) == (not cut)
        assert b"John Wick" in body
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err and err.rstrip().endswith("stopped")


def test_cli_port_taken_and_missing_data_are_clean_errors(
    server: LiveServer, tmp_path: Path
) -> None:
    for args in (["--port", str(server.port)], ["--data", str(tmp_path / "nope")]):
        proc = _lorekit("serve", *args)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, err
        assert err.startswith("error: ") and "Traceback" not in err and out == ""


# --- in the browser ----------------------------------------------------------------


_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def tab(browser: Any, server: LiveServer) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """A tab on the served page; any request to another origin is refused and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    seen: dict[str, list[str]] = {"refused": [], "dialogs": [], "errors": []}
    origin = server.url.rstrip("/")

    def route(r: Any) -> None:
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            seen["refused"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.add_init_script(_WATCH)
    yield page, seen
    context.close()


def _live(page: Any, state: str) -> None:
    page.wait_for_selector(f"body[data-state={state}][data-live=connected]", timeout=30_000)


def test_the_tab_follows_edits_keeping_the_selection(
    tab: tuple[Any, dict[str, list[str]]], server: LiveServer, universe: Path
) -> None:
    page, seen = tab
    page.goto(server.url + "#eve-macarro")
    _live(page, "ready")
    assert page.evaluate("lorePage.selected()") == "eve-macarro"
    page.evaluate("lorePage.network.moveTo({position: {x: 40, y: -30}, scale: 1.25})")
    characters = universe / "characters.yaml"

    # an edit: the tab reloads itself, with Eve still selected and the view kept
    with page.expect_navigation(timeout=30_000):
        _edit(characters, "Protagonist of Ballerina", "Edited live: heroine of Ballerina")
    _live(page, "ready")
    assert page.evaluate("loreLive.version") == "2"
    assert page.evaluate("lorePage.selected()") == "eve-macarro"
    assert "Edited live: heroine of Ballerina" in page.locator("#panel").inner_text()
    assert page.evaluate("lorePage.network.getScale()") == pytest.approx(1.25)
    assert page.evaluate("lorePage.network.getViewPosition()") == pytest.approx(
        {"x": 40, "y": -30}, abs=0.5
    )

    # a break: the tab shows the errors, as text, and runs nothing from them
    hostile = "<img src=x onerror=alert(1)>"
    with page.expect_navigation(timeout=30_000):
        _edit(characters, "first_appearance: ballerina", f"first_appearance: '{hostile}'")
    _live(page, "error")
    shown = page.locator("#errors").inner_text()
    assert "characters.yaml:9: " in shown and hostile in shown
    assert page.locator("#errors img").count() == 0

    # the fix: the graph comes back, Eve still selected
    with page.expect_navigation(timeout=30_000):
        _edit(characters, f"first_appearance: '{hostile}'", "first_appearance: ballerina")
    _live(page, "ready")
    assert page.evaluate("lorePage.selected()") == "eve-macarro"
    assert page.evaluate("loreLive.version") == str(server.version) == "4"
    assert page.evaluate("window.__cspViolations") == []
    assert seen == {"refused": [], "dialogs": [], "errors": []}


def test_a_tab_opened_on_broken_data_shows_errors_then_the_graph(
    tab: tuple[Any, dict[str, list[str]]], server: LiveServer, universe: Path
) -> None:
    page, seen = tab
    works = universe / "works.yaml"
    original = works.read_text(encoding="utf-8")
    works.write_text(original + "\n  - this is: [not closed\n", encoding="utf-8")
    _wait_for(lambda: server.errors)
    page.goto(server.url)
    _live(page, "error")
    assert "works.yaml:" in page.locator("#errors").inner_text()
    with page.expect_navigation(timeout=30_000):
        works.write_text(original, encoding="utf-8")
    _live(page, "ready")
    assert page.evaluate("Object.keys(lorePage.network.getPositions()).length") == len(
        lorekit.load(universe)
    )
    assert json.loads(json.dumps(seen)) == {"refused": [], "dialogs": [], "errors": []}
