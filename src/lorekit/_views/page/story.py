"""The story-time data of the graph page: what holds, and who is dead, at each point.

:func:`story_data` gives the page its "At: …" selector: the story points
(works and events, in story order, each event under the work or event it is
``during``), and for each point the holding of every statement with a span
(``since``/``until``) and the death state of every character who ``dies_in``
something, as :class:`~lorekit._graph.story_time.StoryTime` answers them.

It is compact: statements with the same span share one answer string, one
character per point (``1`` holds, ``0`` does not hold, ``?`` not determined),
and statements without a span, which hold everywhere, are not listed at all. A
universe without spans or deaths gets no story data, and its page is exactly
what it was before story time.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> data = story_data(lore, lore.statements)
>>> data is None or {"points", "spans", "edges", "dead", "at"} <= set(data)
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..._core.model import EntityBase, Statement

if TYPE_CHECKING:
    from ..._graph.graph import LoreGraph

__all__ = ["STORY_BUDGET", "story_data"]

STORY_BUDGET = 4_000_000
"""Points times answer strings: past it the page leaves the story-time selector
out rather than slow page generation down (``LoreGraph.at`` still answers)."""


def story_data(
    lore: LoreGraph,
    statements: Sequence[Statement],
    *,
    at: str | None = None,
    predicates: Mapping[str, int] | None = None,
) -> dict[str, Any] | None:
    """The page's story-time data, or ``None`` when the universe has no spans or deaths.

    Parameters
    ----------
    lore
        The universe (its :meth:`~lorekit.LoreGraph.story_time` answers).
    statements
        The statements in the order of the page's edges: edge ``s<i>`` is
        ``statements[i]``.
    at
        A story point (id, name or alias of a work or event) the page opens at;
        ``None`` opens it at the whole story.

    Returns
    -------
    dict or None
        ``points`` (``id``, ``name``, ``depth``), ``spans`` (``since``,
        ``until``, ``holds``: one answer character per point), ``edges``
        (pairs of an edge index and a span index), ``dead`` (pairs of a
        character id and an answer string; ``1`` = dead) and ``at`` (the id of
        the preselected point, or ``None``).
    predicates
        How many statements use each predicate, when the caller has counted
        them already: a universe without deaths is then told without a pass.

    Raises
    ------
    UnknownEntityError
        When ``at`` names nothing.
    LoreError
        When ``at`` names something that is not a work or event.
    """
    from ..._graph.story_time import resolve_point

    point = resolve_point(lore, at).id if at is not None else None
    # most universes have neither spans nor deaths: tell that with passes in C (map,
    # attrgetter, any), which take a fraction of a loop's time at 500,000 statements
    has_spans = any(map(attrgetter("since"), statements)) or any(
        map(attrgetter("until"), statements)
    )
    has_deaths = predicates.get("dies_in", 0) > 0 if predicates is not None else None
    if not has_spans and has_deaths is False and point is None:
        return None
    spanned = (
        [(i, st) for i, st in enumerate(statements) if st.since is not None or st.until is not None]
        if has_spans
        else []
    )
    dying = (
        list(dict.fromkeys(st.subject for st in statements if st.predicate == "dies_in"))
        if has_deaths is not False
        else []
    )
    if not spanned and not dying and point is None:
        return None
    story = lore.story_time()
    points = _ordered_points(story.points(), statements)
    ids = [p["id"] for p in points]
    span_of: dict[tuple[str | None, str | None], int] = {}
    for _, st in spanned:
        span_of.setdefault((st.since, st.until), len(span_of))
    if len(ids) * (len(span_of) + len(dying)) > STORY_BUDGET:
        return None
    # rows of answers (the page's codes: 1, 0, ?), built from one precedence row per end of
    # a span: a question per point and span took 13 s at 10,000 entities
    spans = [
        {"since": since, "until": until, "holds": holds}
        for (since, until), holds in zip(span_of, story.span_rows(list(span_of), ids), strict=True)
    ]
    dead = [[c, row] for c, row in zip(dying, story.death_rows(dying, ids), strict=True)]
    return {
        "points": points,
        "at": point,
        "spans": spans,
        "edges": [[i, span_of[(st.since, st.until)]] for i, st in spanned],
        "dead": dead,
    }


def _ordered_points(
    order: Sequence[EntityBase], statements: Sequence[Statement]
) -> list[dict[str, Any]]:
    """The points in story order, each event right after the point it is ``during``.

    A point keeps its place in ``order`` among its siblings; ``depth`` is how
    many ``during`` steps it lies inside, for the selector's indentation.
    """
    name = {p.id: p.name for p in order}
    place = {p.id: i for i, p in enumerate(order)}
    parent: dict[str, str] = {}
    for st in statements:
        if st.predicate == "during" and st.subject in place and st.object in place:
            # of several, the latest-starting container is the closest one
            known = parent.get(st.subject)
            if known is None or place[st.object] > place[known]:
                parent[st.subject] = st.object
    children: dict[str | None, list[str]] = defaultdict(list)
    for p in place:
        children[parent.get(p)].append(p)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def visit(p: str, depth: int) -> None:
        if p in seen:  # a during cycle is the loader's error to report, not ours
            return
        seen.add(p)
        out.append({"id": p, "name": name[p], "depth": depth})
        for child in children.get(p, ()):
            visit(child, depth + 1)

    for p in children.get(None, ()):
        visit(p, 0)
    for p in place:  # anything a cycle kept from the roots
        visit(p, 0)
    return out
