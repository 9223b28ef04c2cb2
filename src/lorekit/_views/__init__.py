"""The view layer: what users read and ask, built on the graph and RDF.

The offline graph page (:mod:`.page`), linking a text to the graph
(:mod:`.link`), and SPARQL engines behind one interface (:mod:`.sparql`:
rdflib, Oxigraph and remote endpoints, plus pushing to a store), the graph
formats for Gephi, Cytoscape and spreadsheets (:mod:`.graph_formats`), and
notebooks: HTML tables and the inline page (:mod:`.notebook`), pandas frames
(:mod:`.frames`). Nothing below imports a view, except the conveniences the
import contract lists (``to_html``, ``_repr_html_``, ``page``, the frames).
"""
