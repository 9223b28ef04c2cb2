"""The core layer: what every other layer stands on.

It holds the typed model (:mod:`.model`), the one registry of relation kinds
and the table of entity kinds (:mod:`.relations`), the error tree
(:mod:`.errors`), name folding and "did you mean" suggestions (:mod:`.names`),
and small helpers for writing outputs (:mod:`.output`) and pausing the garbage
collector (:mod:`.gc`). It imports nothing else of lorekit.
"""
