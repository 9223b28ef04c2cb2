"""The ``lorekit`` command: a thin layer that parses, calls the library and prints.

Each module of this package holds one group of commands; importing them here
registers them on :func:`main`.
"""

from . import _html, _link, _query, _rdf, _remote, _serve, _story, _synth  # noqa: F401  (registers the commands)
from ._app import main

__all__ = ["main"]
