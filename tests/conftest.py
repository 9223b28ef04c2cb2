from __future__ import annotations

import pytest

import lorekit


@pytest.fixture(scope="session")
def lore() -> lorekit.LoreGraph:
    """The bundled John Wick universe, loaded once."""
    return lorekit.load()


@pytest.fixture(scope="session")
def bound_queries() -> list[tuple[str, dict[str, str]]]:
    """queries/ files with values for their parameters, given by name or alias."""
    return [
        ("faction-members.rq", {"faction": "Kikimoras"}),
        ("cast.rq", {"work": "Parabellum"}),
        ("set-between.rq", {"from": "John Wick (2014)", "to": "Ballerina"}),
        ("layer.rq", {"layer": "production"}),
    ]
