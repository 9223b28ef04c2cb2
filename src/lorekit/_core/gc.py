"""Holding Python's cyclic garbage collector off while a big structure is built.

Loading a universe, exporting it and building its page each allocate millions
of small objects in no cycle. Every batch of allocations would start a
collection that walks every object alive, the loaded universe included: at
10,000 entities that doubled a load and a page, and was a third of an export.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector; its previous state is restored, even on error.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
