"""``python -m lorekit``: the same as the ``lorekit`` command."""

from ._cli import run

run()
