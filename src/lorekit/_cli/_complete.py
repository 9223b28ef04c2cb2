"""Shell completion of entity arguments, from the load cache's names.

A completion request runs the program on every Tab, so it must answer at
once: it reads the names and aliases the load cache keeps beside each
universe's graph (:func:`~lorekit._load.cache.cached_names`), without
loading the model or the graph. Only when a universe has no cache entry yet,
or its files changed, is it loaded once (which writes the entry).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

__all__ = ["complete_entity"]

_BASH_SPECIAL = re.compile(r"[^\w./:,+@%=-]")


def _names(data: Path | None) -> list[list[str]]:
    from .._load.bundled import bundled_data_path
    from .._load.cache import cached_names

    root = bundled_data_path() if data is None else Path(data)
    names = cached_names(root)
    if names is not None:
        return names
    from .._core.errors import LoreError
    from .._load.universe import load

    try:
        lore = load(root, cache=True)
    except LoreError:  # a broken universe completes nothing; the command will say why
        return []
    return [[e.id, e.name, *e.aliases] for e in lore.entities()]


def complete_entity(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Entity names, aliases and ids starting with ``incomplete`` (ignoring case and accents)."""
    from .._core.names import normalize_name

    typed = normalize_name(incomplete)
    bash = os.environ.get("_LOREKIT_COMPLETE", "").startswith("bash")
    found: dict[str, str] = {}
    for ident, *labels in _names(ctx.params.get("data")):
        for label in (*labels, ident):
            if label not in found and normalize_name(label).startswith(typed):
                found[label] = ident
    items = []
    for label, ident in found.items():
        # bash inserts a value as it is: escape what its parser would split or quote
        value = _BASH_SPECIAL.sub(r"\\\g<0>", label) if bash else label
        items.append(CompletionItem(value, help=ident if label != ident else None))
    return items
