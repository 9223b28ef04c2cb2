from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lorekit

# every lorekit process the tests start keeps its load cache here, not in the user's
# cache directory (tests that set a command's environment pass this on)
_OWN_CACHE = None if os.environ.get("LOREKIT_CACHE_DIR") else tempfile.mkdtemp(prefix="lorekit-")
if _OWN_CACHE is not None:
    os.environ["LOREKIT_CACHE_DIR"] = _OWN_CACHE


@pytest.fixture(scope="session", autouse=True)
def _tidy_cache() -> Iterator[None]:
    yield
    if _OWN_CACHE is not None:
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def lore() -> lorekit.LoreGraph:
    """The bundled John Wick universe, loaded once."""
    return lorekit.load()


@pytest.fixture(scope="session")
def bound_queries() -> list[tuple[str, dict[str, str]]]:
    """queries/ files with values for their parameters, given by name or alias."""
    return [
        ("faction-members.rq", {"faction": "Kikimoras"}),
        ("cast.rq", {"work": "Parabellum"}),
        ("set-between.rq", {"from": "John Wick (2014)", "to": "Ballerina"}),
        ("layer.rq", {"layer": "production"}),
    ]


class Loopback:
    """An HTTP server on 127.0.0.1 that answers anything and records every request.

    It serves a valid JSON-LD context and a DTD, so a reader that fetched would
    succeed: only the record can tell that it happened.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        record = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                record.append(f"{self.command} {self.path}")
                body = b'{"@context": {"name": "http://www.w3.org/2000/01/rdf-schema#label"}}'
                if self.path.endswith(".dtd"):
                    body = b'<!ENTITY leak "fetched">'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def loopback() -> Iterator[Loopback]:
    """The recording server; tests assert ``loopback.requests`` stays empty."""
    server = Loopback()
    yield server
    server.close()


# --- the browser: one fixture for every test that opens a page -----------------------
CHROMIUM = Path(os.environ.get("LOREKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_problem() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set LOREKIT_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    """One headless Chromium (Debian's, through Playwright) for the whole module.

    Under ``CI=true`` a missing browser fails the tests; elsewhere they are
    skipped, and the terminal says so past output capture.
    """
    problem = _browser_problem()
    if problem is not None:
        message = f"the browser tests cannot run: {problem}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        # say so on the terminal, past output capture: a skip alone is easy to miss
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(
                    f"\nSKIPPING the browser tests of {request.module.__name__}: {message}",
                    red=True,
                    bold=True,
                )
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class Terminal:
    """Runs a command with standard error on a pseudo-terminal, as a user at a shell would."""

    @staticmethod
    def env(**extra: str) -> dict[str, str]:
        """This environment without ``CI``, on a terminal that shows progress at once."""
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        return {**env, "TERM": "xterm", "LOREKIT_PROGRESS_DELAY": "0", "COLUMNS": "200", **extra}

    @staticmethod
    def run(args: list[str], env: dict[str, str]) -> tuple[str, str]:
        """Run ``args``; return (its standard output, what the terminal got). It must succeed."""
        master, slave = pty.openpty()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, text=True, env=env)
        os.close(slave)
        seen = b""
        while select.select([master], [], [], 60)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        out, _ = proc.communicate(timeout=60)
        os.close(master)
        assert proc.returncode == 0
        return out, seen.decode("utf-8", "replace")


@pytest.fixture
def terminal() -> Terminal:
    """A pseudo-terminal to run commands on (progress bars show only on one)."""
    return Terminal()
