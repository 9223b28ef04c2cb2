"""The live page: the graph page served on loopback, rebuilt as its data changes.

:class:`LiveServer` loads a universe, serves its page (:func:`~.page.html.live_page`)
at ``http://127.0.0.1:PORT/`` and watches the data with `watchfiles
<https://watchfiles.helpmanual.io>`_. Each change rebuilds the page and bumps
its version; the page's script listens to ``/events`` (Server-Sent Events)
and reloads itself when the version moves on, keeping the selection (in the
address) and the view. When the data is broken, ``/`` is a page listing the
errors (``file:line: message``, as text) with the same script, so the tab
comes back to the graph once they are fixed.

Only this machine can read it:

- the socket is bound to 127.0.0.1, never to another address;
- a request whose ``Host`` is not ``127.0.0.1:PORT`` or ``localhost:PORT`` is
  refused (421), so a page of another site that points its own name at
  127.0.0.1 (DNS rebinding) gets nothing;
- no ``Access-Control-Allow-*`` header is ever sent, so another origin's
  script cannot read an answer; ``Cross-Origin-Resource-Policy: same-origin``
  and ``frame-ancestors 'none'`` keep it out of other sites' pages too.

This is a view that loads: the one place outside ``load()`` that reads files,
because watching them is its job.

Examples
--------
>>> import urllib.request
>>> with LiveServer() as server:
...     page = urllib.request.urlopen(server.url).read().decode()
>>> server.url.startswith("http://127.0.0.1:") and 'id="lore-version"' in page
True
"""

from __future__ import annotations

import html
import http.server
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._core.errors import DataFileError, LoadError, LoreError, ServeError
from .._graph.timeline import Order, check_order
from .._load.universe import bundled_data_path, load
from .page.html import live_page, live_script, page_policy

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["LiveServer"]

_HEARTBEAT = 15.0  # seconds between SSE comments: a closed tab is noticed by the next write
_POLL = 0.5  # seconds an events stream waits before it looks at the stop flag again

_ERROR_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1b1b1b; background: #fff; }
h1 { font-size: 1.4rem; color: #a01818; }
ol { padding-left: 1.5rem; }
li { font-family: ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
     margin: .3rem 0; }
.hint { color: #555; }
"""


def error_page(errors: Sequence[LoreError], *, version: int) -> str:
    """The page served while the data is broken: every error, as text.

    Examples
    --------
    >>> from lorekit import SchemaError
    >>> page = error_page([SchemaError("<b>bad</b>", file="a.yaml", line=2)], version=1)
    >>> "a.yaml:2: &lt;b&gt;bad&lt;/b&gt;" in page and "<b>" not in page
    True
    """
    script = live_script()
    csp = page_policy([script], [_ERROR_STYLE], live=True)
    n = len(errors)
    items = "\n".join(f"<li>{html.escape(str(e), quote=True)}</li>" for e in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="lorekit">\n'
        "<title>lorekit: the data has errors</title>\n"
        '<link rel="icon" href="data:,">\n'
        f"<style>{_ERROR_STYLE}</style>\n</head>\n"
        '<body data-state="error">\n'
        f"<h1>The data has {n} error{'s' if n != 1 else ''}; nothing was loaded</h1>\n"
        f'<ol id="errors">\n{items}\n</ol>\n'
        '<p class="hint">This page comes back to the graph as soon as the files are fixed.</p>\n'
        f'<script type="application/json" id="lore-version">{int(version)}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


class _State:
    """The page being served and its version; waits for the next one."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.version = 0
        self.page = b""
        self.errors: list[LoreError] = []
        self.stopping = False

    def publish(self, page: str, errors: list[LoreError]) -> None:
        with self.changed:
            self.version += 1
            self.page = page.encode("utf-8")
            self.errors = errors
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "lorekit"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, *, head: bool) -> None:
        allowed = {f"127.0.0.1:{self.server.port}", f"localhost:{self.server.port}"}
        if self.headers.get("Host", "").lower() not in allowed:
            self._plain(421, "this server answers only to 127.0.0.1 and localhost\n", head=head)
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._page(head=head)
        elif path == "/events" and not head:
            self._events()
        else:
            self._plain(404, "not found\n", head=head)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")

    def _plain(self, status: int, text: str, *, head: bool) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _page(self, *, head: bool) -> None:
        state = self.server.state
        with state.changed:
            body = state.page
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """The version of the page, now and each time it changes, until the tab goes."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        sent = -1
        idle = 0.0
        try:
            while True:
                with state.changed:
                    if state.version == sent and not state.stopping:
                        state.changed.wait(_POLL)
                    if state.stopping:
                        return
                    version = state.version
                if version != sent:
                    self.wfile.write(f"retry: 1000\nevent: version\ndata: {version}\n\n".encode())
                    self.wfile.flush()
                    sent, idle = version, 0.0
                else:
                    idle += _POLL
                    if idle >= _HEARTBEAT:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                        idle = 0.0
        except OSError:  # the tab went away
            return

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the library never prints


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, port: int, state: _State) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state
        self.port = int(self.server_address[1])


class LiveServer:
    """The graph page of a universe, served on 127.0.0.1 and rebuilt on every change.

    Parameters
    ----------
    data
        A directory of YAML files, one YAML file or an RDF file (as for
        :func:`lorekit.load`); the bundled universe when omitted.
    port
        The port on 127.0.0.1; ``0`` picks a free one (see :attr:`url`).
    title
        The page's heading; the universe's name by default.
    as_of
        Keep only what a viewer knows after this work (see
        :meth:`LoreGraph.as_of`), in ``order``: each rebuild cuts the new data.
    order
        The order of ``as_of``: ``"release"`` (the default) or ``"story"``.
    at
        Open the page at this point of the story (a work or event), as
        :func:`lorekit.LoreGraph.to_html` does.

    Raises
    ------
    DataFileError
        When ``data`` does not exist.
    ServeError
        When the port cannot be taken.

    Notes
    -----
    Use it as a context manager, or call :meth:`start` and :meth:`close`;
    :meth:`wait` blocks until :meth:`close` (or Ctrl-C). Broken data does not
    stop it: the page lists the errors until the files are fixed. So does an
    ``as_of`` or ``at`` that names nothing in the data (yet).

    Examples
    --------
    >>> with LiveServer(port=0) as server:
    ...     server.version, server.errors
    (1, [])
    """

    def __init__(
        self,
        data: str | Path | None = None,
        *,
        port: int = 0,
        title: str | None = None,
        as_of: str | None = None,
        order: Order = "release",
        at: str | None = None,
    ) -> None:
        self.data = bundled_data_path() if data is None else Path(data)
        if not self.data.exists():
            raise DataFileError("no such file or directory", file=self.data)
        self.title = title
        self.as_of, self.order, self.at = as_of, check_order(order), at
        self._state = _State()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._watching = threading.Event()
        self._building = threading.Lock()
        self._built_from: list[tuple[str, int, int]] = []
        try:
            self._http = _HTTPServer(port, self._state)
        except OSError as exc:
            raise ServeError(
                f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}", value=port
            ) from exc
        try:
            self.rebuild()
        except BaseException:
            self._http.server_close()  # nothing left listening on a failed start
            raise

    @property
    def port(self) -> int:
        """The port the page is served on."""
        return self._http.port

    @property
    def url(self) -> str:
        """The page's address, ``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def version(self) -> int:
        """How many times the page has been built: 1 at the start, one more per change."""
        return self._state.version

    @property
    def errors(self) -> list[LoreError]:
        """What is wrong with the data now; empty when the page shows the graph."""
        return list(self._state.errors)

    def rebuild(self) -> None:
        """Load the data again and publish the new page (or the page of its errors)."""
        with self._building:
            version = self._state.version + 1
            self._built_from = self._fingerprint()
            try:
                lore = load(self.data)
                if self.as_of is not None:
                    lore = lore.as_of(self.as_of, order=self.order)
                page = live_page(lore, version=version, title=self.title, at=self.at)
            except LoadError as exc:
                errors = list(exc.errors)
            except LoreError as exc:
                errors = [exc]
            else:
                self._state.publish(page, [])
                return
            self._state.publish(error_page(errors, version=version), errors)

    def start(self) -> LiveServer:
        """Serve and watch in background threads; returns once the files are watched."""
        if not self._threads:
            self._threads = [
                threading.Thread(
                    target=self._http.serve_forever, name="lorekit-serve", daemon=True
                ),
                threading.Thread(target=self._watch, name="lorekit-watch", daemon=True),
            ]
            for thread in self._threads:
                thread.start()
            self._watching.wait(10)
        return self

    def _fingerprint(self) -> list[tuple[str, int, int]]:
        """Each data file with its modification time and size, to tell an edit."""
        files = sorted(self.data.rglob("*")) if self.data.is_dir() else [self.data]
        found = []
        for file in files:
            try:
                info = file.stat()
            except OSError:
                continue
            found.append((str(file), info.st_mtime_ns, info.st_size))
        return found

    def _watch(self) -> None:
        import watchfiles

        # A single file is watched through its directory: editors often save
        # by writing a new file and renaming it over the old one.
        target = self.data.resolve()
        watched = target if target.is_dir() else target.parent
        usual = watchfiles.DefaultFilter()

        def relevant(change: watchfiles.Change, path: str) -> bool:
            return usual(change, path) and (target.is_dir() or Path(path) == target)

        for changes in watchfiles.watch(
            watched,
            watch_filter=relevant,
            stop_event=self._stop,
            debounce=400,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if not self._watching.is_set():
                # the first answer comes once the watch is in place: catch an
                # edit made between the first build and then
                self._watching.set()
                if changes or self._fingerprint() != self._built_from:
                    self.rebuild()
            elif changes:
                self.rebuild()

    def wait(self) -> None:
        """Block until :meth:`close` is called from elsewhere, or Ctrl-C."""
        while not self._stop.wait(0.25):
            pass

    def close(self) -> None:
        """Stop watching and serving; open event streams end within a second."""
        self._stop.set()
        self._state.stop()
        if self._threads:
            self._http.shutdown()
        self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
