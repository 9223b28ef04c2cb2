"""pandas DataFrames of relations and query results, behind the ``lorekit[pandas]`` extra.

pandas is imported only when a frame is asked for; without it the call raises
:class:`ModuleNotFoundError` saying what to install. The columns come from the
mappings the other views use: :func:`relations_frame` of a whole universe has
the columns of the exported edges (:mod:`.graph_formats`, plus the two ends'
names), and :meth:`QueryResult.to_dataframe <lorekit.QueryResult.to_dataframe>`
the plain values of :meth:`~lorekit.QueryResult.records`, as kglab turns a
SPARQL result into a frame.

Examples
--------
>>> from lorekit import load
>>> frame = relations_frame(load(), "Eve Macarro")
>>> list(frame.columns)[:4]
['entity', 'relation', 'other', 'other_name']
>>> frame.loc[frame.predicate == "portrayed_by", "other_name"].tolist()
['Ana de Armas']
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from .graph_formats import EDGE_COLUMNS, edge_records
from .page.records import layer_of

if TYPE_CHECKING:
    from .._core.relations import Layer
    from .._graph.graph import EntityRef, LoreGraph
    from .._graph.relation import Relation
    from .notebook import Rows

__all__ = [
    "RELATION_COLUMNS",
    "query_frame",
    "relation_rows",
    "relations_dataframe",
    "relations_frame",
]

RELATION_COLUMNS = (
    "entity",
    "relation",
    "other",
    "other_name",
    "other_kind",
    "predicate",
    "inverse",
    "layer",
    "sources",
    "note",
)
"""The columns of a frame of relations read from one entity."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise ModuleNotFoundError(
            "DataFrames need pandas: pip install 'lorekit[pandas]'", name="pandas"
        ) from exc
    return pandas


def relation_rows(relations: Sequence[Relation]) -> list[dict[str, Any]]:
    """Relations as rows of :data:`RELATION_COLUMNS` (the frame's data, without pandas)."""
    return [
        {
            "entity": r.entity.id,
            "relation": r.label,
            "other": r.other.id,
            "other_name": r.other.name,
            "other_kind": r.other.kind,
            "predicate": r.statement.predicate,
            "inverse": r.inverse,
            "layer": layer_of(r.statement),
            "sources": "; ".join(str(c) for c in r.statement.sources),
            "note": r.statement.note or "",
        }
        for r in relations
    ]


def relations_dataframe(relations: Sequence[Relation]) -> Any:
    """Relations as a DataFrame of :data:`RELATION_COLUMNS`, one row each."""
    return _pandas().DataFrame(relation_rows(relations), columns=list(RELATION_COLUMNS))


def relations_frame(
    lore: LoreGraph,
    entity: EntityRef | None = None,
    predicate: str | None = None,
    *,
    layer: Layer | Collection[Layer] | None = None,
) -> Any:
    """Relations as a pandas DataFrame: of one entity, or every statement of the universe.

    With ``entity``, the rows are :meth:`LoreGraph.relations` (same filters),
    read from that entity (:data:`RELATION_COLUMNS`). Without it, one row per
    statement with the columns of the exported edges (``id``, ``source``,
    ``target``, ``predicate``, ``reading``, ``layer``, ``sources``, ``note``)
    and the names of both ends (``source_name``, ``target_name``).

    Raises
    ------
    ModuleNotFoundError
        When pandas is not installed (``pip install 'lorekit[pandas]'``).

    Examples
    --------
    >>> from lorekit import load
    >>> frame = relations_frame(load())
    >>> frame.groupby("layer").size().to_dict()["reception"] > 0
    True
    """
    pandas = _pandas()
    if entity is not None:
        return relations_dataframe(lore.relations(entity, predicate, layer=layer))
    if predicate is not None:
        predicate = _predicate_named(predicate)
    layers = None if layer is None else frozenset([layer] if isinstance(layer, str) else layer)
    rows = []
    for edge in edge_records(lore):
        if (predicate is None or edge["predicate"] == predicate) and (
            layers is None or edge["layer"] in layers
        ):
            source, target = lore.entity(edge["source"]), lore.entity(edge["target"])
            rows.append({**edge, "source_name": source.name, "target_name": target.name})
    return pandas.DataFrame(rows, columns=[*EDGE_COLUMNS, "source_name", "target_name"])


def _predicate_named(predicate: str) -> str:
    """The registry name of a predicate as written (either reading), as relations() takes it."""
    from .._core.errors import UnknownPredicateError
    from .._core.model import predicate_hint
    from .._core.relations import resolve_predicate

    try:
        return resolve_predicate(predicate)[0]
    except KeyError:
        raise UnknownPredicateError(
            f"unknown predicate {predicate!r}{predicate_hint(predicate)}", value=predicate
        ) from None


def query_frame(result: Rows) -> Any:
    """A SPARQL result as a DataFrame: a column per variable, plain values (see ``records``).

    Raises
    ------
    ModuleNotFoundError
        When pandas is not installed (``pip install 'lorekit[pandas]'``).
    """
    return _pandas().DataFrame(result.records(), columns=list(result.variables))
