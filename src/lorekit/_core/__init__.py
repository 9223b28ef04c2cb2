"""The core layer: what every other layer stands on.

It holds the typed model (:mod:`.model`), the one table of entity kinds
(:mod:`.kinds`), the one registry of relation kinds (:mod:`.relations`), the
error tree (:mod:`.errors`), name folding and "did you mean" suggestions
(:mod:`.names`), the table of RDF formats (:mod:`.formats`), and small helpers
for writing outputs (:mod:`.output`), pausing the garbage collector
(:mod:`.gc`) and showing progress on a terminal (:mod:`.progress`). It
imports nothing else of lorekit.
"""
