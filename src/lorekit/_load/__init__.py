"""The loading layer: files in, a validated universe out.

A reader turns one file format into records (:mod:`.reader` holds the
interface and the registry that finds a reader by name or suffix); the
YAML readers live here, others register themselves from their own layer.
The checks that span records, defaults and :func:`load` are in
:mod:`.universe`; the JSON Schema of the data files in :mod:`.schema`; the
synthetic universes of the bench in :mod:`.synth`. It imports the core and
the graph (``load`` returns a :class:`~lorekit.LoreGraph`).
"""
