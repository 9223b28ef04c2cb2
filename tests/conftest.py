from __future__ import annotations

import pytest

import lorekit

REVIEW = "screen-scribe-ballerina"


@pytest.fixture(scope="session")
def lore() -> lorekit.LoreGraph:
    """The bundled John Wick universe, loaded once."""
    return lorekit.load()
