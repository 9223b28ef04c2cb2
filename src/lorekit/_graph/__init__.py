"""The graph layer: a validated universe as a graph, and what it answers.

:mod:`.graph` holds :class:`~lorekit.LoreGraph` and its queries; story and
release order are in :mod:`.timeline`, the spoiler horizon in
:mod:`.horizon`, what holds at a point of the story in :mod:`.story_time` and
the continuity checks on it in :mod:`.continuity`, citations and source usage
in :mod:`.provenance`. It imports only the core; its ``to_rdf`` and
``to_html`` conveniences call up into the RDF and view layers, as listed in
the import contract.
"""
