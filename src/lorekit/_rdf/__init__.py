"""The RDF layer: the vocabulary, and the universe to and from RDF.

:mod:`.vocab` names every IRI; :mod:`.triples` is the one model-to-triples
mapping, which both sinks consume: the Turtle and N-Triples writers of
:mod:`.text` and the rdflib graph of :mod:`.export` (every other format);
:mod:`.read` reads RDF back into the loader's records;
:mod:`.ontology`, :mod:`.jsonld` and :mod:`.shacl` describe and check the
data. It imports the core, the graph and the loading layer's reader
interface.
"""
