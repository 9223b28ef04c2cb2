"""The graph page: one self-contained HTML file to explore a universe offline.

:func:`to_html` (and :meth:`LoreGraph.to_html`) writes a page a reader opens by
double-clicking it: no server, no network, nothing fetched. It carries the
vis-network library bundled with pyvis, the lorekit page (``assets/``:
``page.html``, ``page.css``, ``layout.js``, ``page.js``) and the universe as
JSON (:mod:`.data`; the nodes and edges written by :mod:`.records`), with the
garbage collector paused: at 10,000 entities and 50,000 statements the data is
most of the page's cost.

We do not go through ``pyvis.network.Network``: its ``add_node`` and
``add_edge`` look ids up in lists (quadratic at scale), its template loads
Bootstrap from a CDN and renders tooltips as HTML, and importing it pulls in
IPython. pyvis is used for what it ships: the vis-network build, read from the
installed package (without importing it) and inlined.

Safety
------
Every string of the data is text, never markup:

- the data sits in ``<script type="application/json">`` with ``<``, ``>``,
  ``&``, U+2028 and U+2029 written as ``\\u003c`` and so on, so no value can
  close the element or open a comment;
- the page script builds every element with ``createElement`` and
  ``textContent``; vis-network (9.x) shows string tooltips as text and draws
  labels on a canvas;
- the only markup made from data is the ``<title>``, HTML-escaped, and the
  template's slots are filled in one pass, so data cannot fill a slot;
- a Content-Security-Policy allows only this page's own scripts and styles,
  by their SHA-256 hashes, and no network at all: an injected script or event
  handler would be refused even if one got in.

Layout
------
The page lays the graph out once as it opens (``layout.js``: a deterministic
force layout with a Barnes-Hut quadtree and a bounded number of cooling steps,
each connected part on its own, then packed, then labels pushed apart), and
vis-network draws it with physics off. Nothing moves after that unless the
reader drags it, and the same data gives the same picture every time.
Computing it in Python would need numpy or take seconds; in the page it takes
about a second at 2,000 entities. A graph of more than 20,000 statements is
first drawn with bare edges, as labels and arrowheads would be too small to see
anyway and vis-network would measure every label; an edge gets them once the
reader zooms in close enough to read labels near it.

Examples
--------
>>> from lorekit import load
>>> page = to_html(load())
>>> page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._core.gc import collector_paused
from ..._core.output import write_atomic
from .data import page_parts
from .records import compact_json

if TYPE_CHECKING:
    from ..._graph.graph import LoreGraph

__all__ = ["live_page", "live_script", "page_policy", "render_page", "script_json", "to_html"]

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SLOT = re.compile(r"\{\{(\w+)\}\}")


def _script_safe(text: str) -> str:
    """JSON text made safe inside a ``<script>`` element (see :func:`script_json`)."""
    # str.replace scans a many-megabyte string far faster than a regex with a
    # callback; the order does not matter, no escape holds another's character.
    for char, escape in _JSON_ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    return text


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever its strings hold.

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return _script_safe(compact_json(value))


def _inline_script(code: str) -> str:
    """Script text that cannot end its element early (none of ours does; be sure)."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "\\x3C!--")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    """The vis-network build that ships inside the installed pyvis package."""
    spec = find_spec("pyvis")  # finds the package without running its __init__
    locations = list(spec.submodule_search_locations or []) if spec else []
    found = sorted(
        (p for loc in locations for p in Path(loc).glob("lib/vis-*/vis-network.min.js")),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not found:
        raise ModuleNotFoundError(
            "the graph page needs pyvis (for its vis-network build): pip install 'pyvis>=0.3.2'",
            name="pyvis",
        )
    return found[-1].read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return (resources.files(__package__) / "assets" / name).read_text(encoding="utf-8")


def live_script() -> str:
    """The script of a served page (``lorekit serve``): reload when the data changes.

    It reads the page's version from the ``lore-version`` element, listens to
    the server's ``/events`` and reloads the page when another version is
    announced; the selection lives in the address (``#slug``) and the view is
    kept in the tab's session storage, so both survive the reload.
    """
    return _inline_script(_asset("live.js"))


def page_policy(scripts: list[str], styles: list[str], *, live: bool) -> str:
    """The page's Content-Security-Policy: its own scripts and styles, by hash."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "img-src data:",
            *(["connect-src 'self'"] if live else []),
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


@lru_cache(maxsize=2)
def _shell(live: bool = False) -> tuple[str, dict[str, str]]:
    """The template and its slots that do not depend on the data, made once.

    The scripts and the style are the same for every page, and hashing
    vis-network for the policy is a good part of a small page's cost. A live
    page (served by ``lorekit serve``) adds :func:`live_script` and may talk
    to its own origin; the file page has neither, and its ``live`` slot is empty.
    """
    scripts = [
        _inline_script(_vis_network_js()),
        _inline_script(_asset("layout.js")),
        _inline_script(_asset("page.js")),
    ]
    if live:
        scripts.append(live_script())
    styles = [_asset("page.css")]
    slots = {
        # hashes and keywords only: nothing to escape in the attribute
        "csp": page_policy(scripts, styles, live=live),
        "style": styles[0],
        "vis_js": scripts[0],
        "layout_js": scripts[1],
        "page_js": scripts[2],
        "live": f"<script>{scripts[3]}</script>\n" if live else "",
    }
    return _asset("page.html"), slots


def render_page(data: Mapping[str, Any]) -> str:
    """The page for data made by :func:`page_data`, with everything inline."""
    return _fill(str(data["title"]), script_json(data))


_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The bidi controls (marks, embeddings, overrides, isolates) that can reorder text around them."""


def _tab_title(title: str) -> str:
    """A title for the ``<title>`` element, where markup cannot isolate it.

    A title with a bidi control is wrapped in U+2068 FIRST STRONG ISOLATE and
    U+2069 POP DIRECTIONAL ISOLATE, so what it reorders stays inside it (the page
    script does the same for ``document.title``).

    >>> _tab_title("Wick <3")
    'Wick <3'
    >>> _tab_title("\u202eabc") == "\u2068\u202eabc\u2069"
    True
    """
    return f"\u2068{title}\u2069" if _BIDI.search(title) else title


def _fill(title: str, data_json: str, *, version: int | None = None) -> str:
    """The template with its slots filled; ``data_json`` is already script-safe.

    With a ``version``, the live page of ``lorekit serve``: the version goes in
    a JSON element ahead of :func:`live_script`.
    """
    template, shell = _shell(version is not None)
    slots = {**shell, "title": html.escape(_tab_title(title), quote=True), "data": data_json}
    if version is not None:
        slots["live"] = (
            f'<script type="application/json" id="lore-version">{int(version)}</script>\n'
            + shell["live"]
        )
    # One pass over the template: values are never scanned for slots themselves.
    return _SLOT.sub(lambda m: slots[m.group(1)], template)


def to_html(
    lore: LoreGraph,
    path: str | Path | None = None,
    *,
    title: str | None = None,
    at: str | None = None,
) -> str:
    """The graph page of a universe; written to ``path`` (atomically) when given.

    Parameters
    ----------
    lore
        The universe.
    path
        Where to write the page; nothing is written when omitted.
    title
        The page's heading; the universe's name by default.
    at
        A story point (id, name or alias of a work or event) the page opens
        at, in its "At: …" selector; by default the whole story.

    Returns
    -------
    str
        The page, one self-contained HTML document.

    Raises
    ------
    OutputError
        When ``path`` cannot be written.
    UnknownEntityError
        When ``at`` names nothing.
    LoreError
        When ``at`` names something that is not a work or event.
    """
    page = _page(lore, title=title, at=at)
    if path is not None:
        write_atomic(path, page)
    return page


def live_page(
    lore: LoreGraph, *, version: int, title: str | None = None, at: str | None = None
) -> str:
    """The page that ``lorekit serve`` serves: :func:`to_html` plus :func:`live_script`.

    ``at`` opens it at that point of the story, as :func:`to_html`'s does.

    Its policy also allows a connection to its own origin, for the server's
    events; everything else is the file page's, byte for byte.

    Examples
    --------
    >>> from lorekit import load
    >>> page = live_page(load(), version=3)
    >>> '<script type="application/json" id="lore-version">3</script>' in page
    True
    >>> "connect-src 'self'" in page and "connect-src" not in to_html(load())
    True
    """
    return _page(lore, title=title, at=at, version=version)


def _page(
    lore: LoreGraph, *, title: str | None, at: str | None = None, version: int | None = None
) -> str:
    with collector_paused():
        parts = page_parts(lore, title=title, at=at)
        # the text of script_json(page_data(...)): the nodes and edges, written once, go in as
        # they are written
        data = "".join(
            [
                compact_json(parts.head)[:-1],
                ',"nodes":',
                parts.nodes_json(),
                ',"edges":',
                parts.edges_json(),
                ",",
                compact_json(parts.tail)[1:],
            ]
        )
        return _fill(str(parts.head["title"]), _script_safe(data), version=version)
