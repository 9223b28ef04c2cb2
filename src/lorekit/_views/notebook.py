"""How lorekit's results show in Jupyter: HTML tables, and the graph page inline.

IPython shows an object by calling its ``_repr_html_``. The classes that hold
results stay thin: :class:`~lorekit.LoreGraph`, :class:`~lorekit.Relations`,
:class:`~lorekit.LorePath` and :class:`~lorekit.Timeline` each have a
``_repr_html_`` of one line that imports this module when called (listed as
exceptions to the layers contract in ``pyproject.toml``, as ``to_html`` is);
:class:`~lorekit.QueryResult` lives in the views already. The HTML is made
here:

- :func:`graph_html`: the universe's name, what it counts by kind and layer,
  and its spoiler horizon;
- :func:`relations_html`, :func:`path_html`, :func:`timeline_html` and
  :func:`query_html`: one table each;
- :class:`InlinePage` (from :meth:`LoreGraph.page`): the whole graph page in
  a sandboxed ``<iframe srcdoc>``, so a notebook shows it with every feature
  of the file and nothing fetched.

Safety
------
Every string from the data is escaped with :func:`html.escape` (quotes too)
and wrapped in ``<bdi>``, so markup stays text and a bidi control reorders
nothing outside its own string. The inline page is the file page, escaped
once more into the ``srcdoc`` attribute; the frame's ``sandbox`` allows
scripts only: the page runs in an opaque origin, cannot reach the notebook,
its cookies or its kernel, and keeps its own Content-Security-Policy (no
network at all).

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> "<bdi>Ruska Roma</bdi>" in relations_html(lore.relations("Eve Macarro", "member_of"))
True
>>> lore.page()._repr_html_().startswith('<iframe sandbox="allow-scripts"')
True
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .._core.relations import LAYERS
from .page.records import layer_of

if TYPE_CHECKING:
    from .._core.model import Citation, EntityBase
    from .._graph.graph import LoreGraph
    from .._graph.relation import LorePath, Relation
    from .._graph.timeline import Timeline

__all__ = [
    "InlinePage",
    "Rows",
    "graph_html",
    "inline_page",
    "path_html",
    "query_html",
    "relations_html",
    "timeline_html",
]

_TABLE = '<table class="lorekit">'


class Rows(Protocol):
    """What a table of query results is read from: :class:`~lorekit.QueryResult`.

    A protocol rather than the class, so this module never imports the SPARQL
    views (and rdflib, for type checking).
    """

    @property
    def variables(self) -> tuple[str, ...]: ...

    def records(self) -> list[dict[str, Any]]: ...


def _text(value: object) -> str:
    """A value of the data as inert HTML: escaped, and isolated for bidi."""
    return f"<bdi>{html.escape(str(value), quote=True)}</bdi>"


def _entity(entity: EntityBase) -> str:
    return f"{_text(entity.name)} <small>({html.escape(entity.kind)})</small>"


def _sources(sources: Iterable[Citation]) -> str:
    return "; ".join(_text(c) for c in sources)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "") -> str:
    """A table from cells that are HTML already; ``head`` is our own words."""
    parts = [_TABLE]
    if caption:
        parts.append(f'<caption style="text-align:left">{caption}</caption>')
    parts.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>")
    parts.append("<tbody>")
    parts += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    parts.append("</tbody></table>")
    return "".join(parts)


def graph_html(lore: LoreGraph) -> str:
    """A universe as a notebook shows it: its name, counts and horizon.

    Examples
    --------
    >>> from lorekit import load
    >>> "<th>statements</th>" in graph_html(load())
    True
    """
    kinds = sorted(Counter(e.kind for e in lore.entities()).items(), key=lambda kv: (-kv[1], kv[0]))
    layers = Counter({layer: 0 for layer in LAYERS})
    layers.update(layer_of(st) for st in lore.statements)
    caption = f"<b>{_text(lore.name)}</b>: {len(lore)} entities, {len(lore.statements)} statements"
    if lore.horizon is not None:
        caption += f" ({_text(lore.horizon)})"
    rows: list[list[str]] = [[html.escape(k), str(n), "", ""] for k, n in kinds]
    for i, (layer, n) in enumerate(layers.items()):
        if i >= len(rows):
            rows.append(["", "", "", ""])
        rows[i][2:] = [html.escape(layer), str(n)]
    return _table(["kind", "entities", "layer", "statements"], rows, caption=caption)


def relations_html(relations: Sequence[Relation]) -> str:
    """Relations as a table: each read from the entity asked about.

    Examples
    --------
    >>> from lorekit import load
    >>> "<th>relation</th>" in relations_html(load().relations("Kikimora"))
    True
    """
    rows = [
        [
            _entity(r.entity),
            _text(r.label),
            _entity(r.other),
            html.escape(layer_of(r.statement)),
            _sources(r.statement.sources),
            _text(r.statement.note or ""),
        ]
        for r in relations
    ]
    caption = f"{len(rows)} relation{'s' if len(rows) != 1 else ''}"
    return _table(["entity", "relation", "with", "layer", "sources", "note"], rows, caption=caption)


def path_html(path: LorePath) -> str:
    """A path as a table of its steps, from start to end.

    Examples
    --------
    >>> from lorekit import load
    >>> "<td>1</td>" in path_html(load().path("Eve", "John Wick"))
    True
    """
    rows = [
        [
            str(i),
            _entity(step.entity),
            _text(step.label),
            _entity(step.other),
            html.escape(layer_of(step.statement)),
            _sources(step.statement.sources),
        ]
        for i, step in enumerate(path.steps, start=1)
    ]
    caption = f"a path of {len(rows)} step{'s' if len(rows) != 1 else ''}"
    return _table(["step", "from", "relation", "to", "layer", "sources"], rows, caption=caption)


def timeline_html(timeline: Timeline) -> str:
    """A timeline as a table: position, what, and what it is tied with or happens during.

    Examples
    --------
    >>> from lorekit import load
    >>> "<th>order unknown against</th>" in timeline_html(load().timeline())
    True
    """

    def names(entities: Iterable[EntityBase]) -> str:
        return ", ".join(_text(e.name) for e in entities)

    rows = [
        [
            str(entry.position + 1),
            _entity(entry.entity),
            names(entry.tied_with),
            "" if entry.during is None else _text(entry.during.name),
            names(entry.unordered_with),
        ]
        for entry in timeline.entries()
    ]
    caption = f"{html.escape(timeline.order)} order"
    if timeline.unplaced:
        caption += "; not placed: " + names(timeline.unplaced)
    head = ["#", "work or event", "tied with", "during", "order unknown against"]
    return _table(head, rows, caption=caption)


def query_html(result: Rows) -> str:
    """A SPARQL result as a table of plain values (ids, names, literals).

    Examples
    --------
    >>> from lorekit import load, run_query, SparqlQuery
    >>> q = SparqlQuery.from_text("SELECT ?x WHERE { VALUES ?x { '<b>' } }")
    >>> "<td><bdi>&lt;b&gt;</bdi></td>" in query_html(run_query(load(), q))
    True
    """
    rows = [["" if v is None else _text(v) for v in record.values()] for record in result.records()]
    caption = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    return _table([_text(v) for v in result.variables], rows, caption=caption)


@dataclass(frozen=True)
class InlinePage:
    """The graph page, shown inline in a notebook: a sandboxed ``<iframe srcdoc>``.

    ``html`` is the page itself, the same document :meth:`LoreGraph.to_html`
    writes; ``height`` is the frame's height in CSS pixels.
    """

    html: str
    height: int = 600

    def _repr_html_(self) -> str:
        # allow-scripts alone: an opaque origin, so the page cannot touch the notebook
        return (
            '<iframe sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ccc" '
            f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )


def inline_page(lore: LoreGraph, *, title: str | None = None, height: int = 600) -> InlinePage:
    """The graph page of ``lore`` to show in a notebook (see :meth:`LoreGraph.page`)."""
    from .page.html import to_html

    if height < 100:
        raise ValueError("height must be at least 100 pixels")
    return InlinePage(to_html(lore, title=title), height=height)
