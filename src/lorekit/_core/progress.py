"""Progress on long work: a Rich bar on standard error, only where someone watches.

:func:`progress` wraps one piece of work (loading, validating, exporting,
writing the page, synthesising, importing). The bar appears when standard
error is a terminal and the work has lasted more than about a second
(``$LOREKIT_PROGRESS_DELAY`` seconds, default 1), and vanishes when it ends.
It never appears when standard error is piped or redirected, or under
``CI=true``: output stays clean for logs and for other programs. Rich is
imported only when a bar may show.

Work that knows its size passes ``total`` and calls the function it is
handed with each step done; other work shows a pulsing bar and the time.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["progress", "progress_wanted"]

DELAY_ENV = "LOREKIT_PROGRESS_DELAY"


def progress_wanted() -> bool:
    """Whether a bar may show: standard error is a terminal, and not under ``CI=true``.

    Examples
    --------
    >>> import os
    >>> os.environ["CI"] = "true"
    >>> progress_wanted()
    False
    >>> del os.environ["CI"]
    """
    if os.environ.get("CI", "").lower() == "true":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "1")))
    except ValueError:
        return 1.0


def _ignore(steps: int = 1) -> None:
    """Advance a bar that is not shown."""


@contextmanager
def progress(description: str, *, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Show a bar for the work in the ``with`` block; hand it a function to advance by.

    Parameters
    ----------
    description
        What is being done, e.g. ``"loading the universe"``.
    total
        How many steps the work has, when known; the function handed to the
        block advances the bar by its argument (default 1).

    Examples
    --------
    Standard error is not a terminal here, so nothing shows:

    >>> with progress("counting", total=3) as advance:
    ...     for _ in range(3):
    ...         advance(1)
    """
    if not progress_wanted():
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [TextColumn("{task.description}"), BarColumn()]
    if total is not None:
        columns.append(MofNCompleteColumn())
    columns.append(TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task(description, total=total)
    lock = threading.Lock()
    shown = False

    def show() -> None:
        nonlocal shown
        with lock:
            if not finished:
                bar.start()
                shown = True

    finished = False
    timer = threading.Timer(_delay(), show)
    timer.daemon = True
    timer.start()

    def advance(steps: int = 1) -> None:
        bar.advance(task, steps)

    try:
        yield advance
    finally:
        with lock:
            finished = True
        timer.cancel()
        if shown:
            bar.stop()
