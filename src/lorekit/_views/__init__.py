"""The view layer: what users read and ask, built on the graph and RDF.

The offline graph page (:mod:`.page`), linking a text to the graph
(:mod:`.link`), and SPARQL engines behind one interface (:mod:`.sparql`:
rdflib, Oxigraph and remote endpoints, plus pushing to a store). Nothing
below imports a view.
"""
