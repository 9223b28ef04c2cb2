"""The loading layer: files in, a validated universe out.

A reader turns one file format into records (:mod:`.reader` holds the
interface and the registry that finds a reader by name or suffix, importing
it only when a file of its format is read). The YAML reader is
:mod:`.yaml_reader` (over :mod:`.yaml`, the careful parser, and
:mod:`.fastyaml`, the fast one); the RDF reader lives in the RDF layer and
is registered by its module's name, so this layer never imports it.
:mod:`.explain` words validation errors, :mod:`.checks` checks references
across records, :mod:`.defaults` fills layers and ``revealed_in``, and
:mod:`.universe` holds :func:`load`, :mod:`.cache` the load cache it reads
and writes when asked, and :mod:`.bundled` where the bundled universe lives.
The JSON Schema of the data files is in :mod:`.schema`; the synthetic
universes of the bench in :mod:`.synth`. It imports the core and the graph
(``load`` returns a :class:`~lorekit.LoreGraph`).
"""
