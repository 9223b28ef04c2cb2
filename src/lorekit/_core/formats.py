"""The formats lorekit reads and writes: tables, no rdflib or networkx needed to read them.

Export, import, the command line and the SPARQL engines all take their format
names, suffixes and media types from :data:`RDF_FORMATS`. The graph formats
(GraphML, GEXF, CSV), which are written but not read back as universes, have a
table of their own, :data:`GRAPH_FORMATS`.

Examples
--------
>>> rdf_format_for_suffix(".TTL").rdflib
'turtle'
>>> [f.key for f in RDF_FORMATS.values() if f.dataset]
['trig', 'nq']
>>> RDF_SUFFIXES[:3]
('.ttl', '.nt', '.jsonld')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = [
    "GRAPH_FORMATS",
    "RDF_FORMATS",
    "RDF_SUFFIXES",
    "GraphFormat",
    "GraphFormatInfo",
    "RdfFormat",
    "RdfFormatInfo",
    "graph_format_for_suffix",
    "rdf_format_for_suffix",
]

RdfFormat = Literal["ttl", "nt", "jsonld", "xml", "trig", "nq"]
"""The short names of the RDF formats, as ``export --format`` takes them."""


@dataclass(frozen=True)
class RdfFormatInfo:
    """One RDF format: its short name, its title, rdflib's name and its suffixes."""

    key: RdfFormat
    title: str
    rdflib: str
    suffixes: tuple[str, ...]
    media_type: str
    dataset: bool = False
    """Whether the format holds named graphs (TriG, N-Quads)."""


RDF_FORMATS: Mapping[RdfFormat, RdfFormatInfo] = {
    f.key: f
    for f in (
        RdfFormatInfo("ttl", "Turtle", "turtle", (".ttl",), "text/turtle"),
        RdfFormatInfo("nt", "N-Triples", "nt", (".nt",), "application/n-triples"),
        RdfFormatInfo(
            "jsonld", "JSON-LD", "json-ld", (".jsonld", ".json-ld"), "application/ld+json"
        ),
        RdfFormatInfo("xml", "RDF/XML", "xml", (".rdf", ".xml"), "application/rdf+xml"),
        RdfFormatInfo("trig", "TriG", "trig", (".trig",), "application/trig", dataset=True),
        RdfFormatInfo("nq", "N-Quads", "nquads", (".nq",), "application/n-quads", dataset=True),
    )
}
"""Every RDF format, by short name, in the order the command line lists them."""

assert tuple(RDF_FORMATS) == get_args(RdfFormat)

RDF_SUFFIXES: tuple[str, ...] = tuple(s for f in RDF_FORMATS.values() for s in f.suffixes)
"""Every file suffix that names an RDF format."""

_BY_SUFFIX = {s: f for f in RDF_FORMATS.values() for s in f.suffixes}


def rdf_format_for_suffix(suffix: str) -> RdfFormatInfo | None:
    """The RDF format a file suffix names (case-insensitive), or None."""
    return _BY_SUFFIX.get(suffix.lower())


# --- graph formats ---------------------------------------------------------------
GraphFormat = Literal["graphml", "gexf", "csv"]
"""The short names of the graph formats (for Gephi, Cytoscape, Neo4j and spreadsheets)."""


@dataclass(frozen=True)
class GraphFormatInfo:
    """One graph format: its short name, its title, its suffixes, and whether it is a directory.

    Examples
    --------
    >>> GRAPH_FORMATS["csv"].directory, graph_format_for_suffix(".GEXF").key
    (True, 'gexf')
    """

    key: GraphFormat
    title: str
    suffixes: tuple[str, ...]
    media_type: str
    directory: bool = False
    """Whether the format is a directory of files (``nodes.csv`` and ``edges.csv``)."""


GRAPH_FORMATS: Mapping[GraphFormat, GraphFormatInfo] = {
    f.key: f
    for f in (
        GraphFormatInfo("graphml", "GraphML", (".graphml",), "application/graphml+xml"),
        GraphFormatInfo("gexf", "GEXF 1.3", (".gexf",), "application/gexf+xml"),
        GraphFormatInfo("csv", "CSV (nodes.csv, edges.csv)", (), "text/csv", directory=True),
    )
}
"""Every graph format, by short name, in the order the command line lists them."""

assert tuple(GRAPH_FORMATS) == get_args(GraphFormat)

_GRAPH_BY_SUFFIX = {s: f for f in GRAPH_FORMATS.values() for s in f.suffixes}


def graph_format_for_suffix(suffix: str) -> GraphFormatInfo | None:
    """The graph format a file suffix names (case-insensitive), or None."""
    return _GRAPH_BY_SUFFIX.get(suffix.lower())
