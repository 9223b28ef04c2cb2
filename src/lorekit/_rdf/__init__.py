"""The RDF layer: the vocabulary, and the universe to and from RDF.

:mod:`.vocab` names every IRI; :mod:`.triples` is the one model-to-triples
mapping, which the text writers of :mod:`.text` (Turtle, N-Triples) and the
rdflib graph of :mod:`.export` (and every other format) both consume; :mod:`.read` reads RDF back into the loader's records;
:mod:`.ontology`, :mod:`.jsonld` and :mod:`.shacl` describe and check the
data. It imports the core, the graph and the loading layer's reader
interface.
"""
