"""The universe as a plain property graph: GraphML, GEXF 1.3 and CSV, for Gephi and friends.

One mapping, :func:`node_records` and :func:`edge_records`, feeds every graph
format (and :func:`~lorekit.relations_frame`):

- a node per entity: ``id``, ``name``, ``kind``, ``description``;
- an edge per statement, from its subject to its object: ``id`` (the
  statement's key, ``subject.predicate.object``, as its RDF IRI ends),
  ``source``, ``target``, ``predicate``, ``reading`` (how it reads forwards),
  ``layer``, ``sources`` (its citations, ``"; "``-joined) and ``note``.

A missing description or note is the empty string, so every node and every
edge has every column. Writers:

- :func:`to_graphml`: GraphML, by networkx (Cytoscape, yEd, igraph, Gephi);
- :func:`to_gexf`: GEXF 1.3 (Gephi), written here with the standard library.
  networkx's GEXF 1.3 writer puts a mistyped XML Schema instance namespace
  and the day's date in the file, and keeps our edge ids in an attribute of
  its own, so its output neither validates nor repeats byte for byte;
- :func:`csv_files`: ``nodes.csv`` and ``edges.csv``, the shape Neo4j's
  ``LOAD CSV`` and spreadsheets take.

Every value is data: the XML formats escape markup and write every character
outside ASCII (bidi controls too) as a character reference; CSV quotes as
the csv module does. XML 1.0 cannot hold the C0 control characters other than
tab and newlines: a record holding one is an :class:`~lorekit.OutputError`
rather than a file no reader opens.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> eve = next(n for n in node_records(lore) if n["id"] == "eve-macarro")
>>> eve["name"], eve["kind"]
('Eve Macarro', 'character')
>>> edge = next(e for e in edge_records(lore) if e["predicate"] == "portrayed_by")
>>> sorted(edge)
['id', 'layer', 'note', 'predicate', 'reading', 'source', 'sources', 'target']
>>> to_gexf(lore).startswith('<?xml version="1.0" encoding="UTF-8"?>')
True
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._core.errors import OutputError
from .._core.relations import RELATIONS
from .page.records import layer_of

if TYPE_CHECKING:
    from pathlib import Path

    from .._core.formats import GraphFormat
    from .._graph.graph import LoreGraph

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "csv_files",
    "edge_records",
    "node_records",
    "to_gexf",
    "to_graphml",
    "write_graph",
]

NODE_COLUMNS = ("id", "name", "kind", "description")
"""The columns of a node, in the order the CSV writes them."""

EDGE_COLUMNS = ("id", "source", "target", "predicate", "reading", "layer", "sources", "note")
"""The columns of an edge, in the order the CSV writes them."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GEXF_NS = "http://gexf.net/1.3"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def node_records(lore: LoreGraph) -> Iterator[dict[str, str]]:
    """Each entity as ``{id, name, kind, description}``, in data order."""
    for entity in lore.entities():
        yield {
            "id": entity.id,
            "name": entity.name,
            "kind": entity.kind,
            "description": entity.description or "",
        }


def edge_records(lore: LoreGraph) -> Iterator[dict[str, str]]:
    """Each statement as ``{id, source, target, predicate, reading, layer, sources, note}``."""
    for st in lore.statements:
        yield {
            "id": ".".join(st.key),
            "source": st.subject,
            "target": st.object,
            "predicate": st.predicate,
            "reading": RELATIONS[st.predicate].reading(inverse=False),
            "layer": layer_of(st),
            "sources": "; ".join(str(c) for c in st.sources),
            "note": st.note or "",
        }


def _xml_safe(record: dict[str, str], what: str) -> dict[str, str]:
    for column, value in record.items():
        bad = _NOT_XML.search(value)
        if bad is not None:
            raise OutputError(
                f"{what} {record['id']!r}: its {column} holds U+{ord(bad.group()):04X}, "
                "which XML 1.0 cannot carry; use the csv format, or remove the character"
            )
    return record


def to_graphml(lore: LoreGraph) -> str:
    """The universe as GraphML: a directed multigraph, every column a string key.

    Examples
    --------
    >>> from lorekit import load
    >>> '<key id="d0" for="node" attr.name="name" attr.type="string"' in to_graphml(load())
    True
    """
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in node_records(lore):
        node = _xml_safe(node, "entity")
        graph.add_node(node["id"], **{k: node[k] for k in NODE_COLUMNS[1:]})
    for edge in edge_records(lore):
        edge = _xml_safe(edge, "statement")
        graph.add_edge(
            edge["source"], edge["target"], key=edge["id"], **{k: edge[k] for k in EDGE_COLUMNS[3:]}
        )
    lines = nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"


def to_gexf(lore: LoreGraph) -> str:
    """The universe as GEXF 1.3: labels are names and readings, every column an attribute.

    Examples
    --------
    >>> from lorekit import load
    >>> '<node id="eve-macarro" label="Eve Macarro">' in to_gexf(load())
    True
    """
    root = ET.Element(
        "gexf",
        {
            "xmlns": _GEXF_NS,
            "xmlns:xsi": _XSI_NS,
            "xsi:schemaLocation": f"{_GEXF_NS} {_GEXF_NS}/gexf.xsd",
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "lorekit"
    ET.SubElement(meta, "description").text = _xml_safe(
        {"id": lore.info.id, "name": lore.name}, "universe"
    )["name"]
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    for cls, columns in (("node", NODE_COLUMNS[1:]), ("edge", EDGE_COLUMNS[3:])):
        attributes = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        for column in columns:
            ET.SubElement(
                attributes, "attribute", {"id": column, "title": column, "type": "string"}
            )
    nodes = ET.SubElement(graph, "nodes")
    for node in node_records(lore):
        node = _xml_safe(node, "entity")
        element = ET.SubElement(nodes, "node", {"id": node["id"], "label": node["name"]})
        _attvalues(element, node, NODE_COLUMNS[1:])
    edges = ET.SubElement(graph, "edges")
    for edge in edge_records(lore):
        edge = _xml_safe(edge, "statement")
        element = ET.SubElement(
            edges,
            "edge",
            {
                "id": edge["id"],
                "source": edge["source"],
                "target": edge["target"],
                "label": edge["reading"],
            },
        )
        _attvalues(element, edge, EDGE_COLUMNS[3:])
    ET.indent(root)
    # ASCII, as networkx writes GraphML: every other character, bidi controls included,
    # is a character reference, so no editor reorders the file's text as it shows it
    text: str = ET.tostring(root, encoding="us-ascii", xml_declaration=False).decode("ascii")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _attvalues(element: ET.Element, record: dict[str, str], columns: tuple[str, ...]) -> None:
    values = ET.SubElement(element, "attvalues")
    for column in columns:
        ET.SubElement(values, "attvalue", {"for": column, "value": record[column]})


def _csv(rows: Iterator[dict[str, str]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def csv_files(lore: LoreGraph) -> list[tuple[str, str]]:
    """``nodes.csv`` and ``edges.csv`` as ``(name, text)`` pairs: RFC 4180, a header row each.

    Examples
    --------
    >>> from lorekit import load
    >>> [(name, text.splitlines()[0]) for name, text in csv_files(load())]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('nodes.csv', 'id,name,kind,description'),
     ('edges.csv', 'id,source,target,predicate,reading,layer,sources,note')]
    """
    return [
        ("nodes.csv", _csv(node_records(lore), NODE_COLUMNS)),
        ("edges.csv", _csv(edge_records(lore), EDGE_COLUMNS)),
    ]


def write_graph(lore: LoreGraph, fmt: GraphFormat, path: str | Path) -> None:
    """Write ``lore`` in a graph format to ``path``: a file, or for csv a new directory.

    Either way the output appears complete or not at all.

    Raises
    ------
    OutputError
        When it cannot be written (for csv: when ``path`` is a directory that
        is not empty), or an XML format cannot carry a character of the data.
    """
    from .._core.output import write_atomic, write_directory_atomic

    if fmt == "csv":
        write_directory_atomic(path, csv_files(lore))
    elif fmt == "graphml":
        write_atomic(path, to_graphml(lore))
    else:
        write_atomic(path, to_gexf(lore))
