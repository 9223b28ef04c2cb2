"""SPARQL over a universe: the query files, and the engines that run them."""
