"""How the page draws each entity kind and each layer: shapes, colours, dashes, names.

One table per thing drawn, read by the legend (:mod:`.data`) and by every
node and edge (:mod:`.records`) alike.

Examples
--------
>>> KIND_STYLES["character"].shape, LAYER_STYLES["reception"].dashes
('dot', (10, 6))
>>> dashes("lore"), dashes("production")
(False, [2, 5])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..._core.relations import EntityKind, Layer

__all__ = ["KIND_STYLES", "LAYER_STYLES", "KindStyle", "LayerStyle", "dashes", "node_colors"]


@dataclass(frozen=True)
class KindStyle:
    """How entities of one kind are drawn and named on the page."""

    label: str
    plural: str
    shape: str
    """A vis-network shape; ``box`` and ``ellipse`` carry their label inside."""
    color: str
    border: str
    font: str | None = None
    """Label colour for shapes that hold their label."""


KIND_STYLES: Mapping[EntityKind, KindStyle] = MappingProxyType(
    {
        # Okabe-Ito colours, told apart by shape as well as by colour.
        "character": KindStyle("Character", "Characters", "dot", "#D55E00", "#8F3F00"),
        "faction": KindStyle("Faction", "Factions", "hexagon", "#0072B2", "#004C77"),
        "title": KindStyle("Title", "Titles", "star", "#E69F00", "#9A6A00"),
        "place": KindStyle("Place", "Places", "triangle", "#009E73", "#006A4D"),
        "work": KindStyle("Work", "Works", "square", "#56B4E9", "#2B7FB0"),
        "event": KindStyle("Event", "Events", "triangleDown", "#CC79A7", "#8E4A72"),
        "person": KindStyle("Person", "People", "diamond", "#8A6A45", "#5C4429"),
        "concept": KindStyle("Concept", "Concepts", "ellipse", "#F3EBA0", "#A39422", "#3F3A0A"),
        "source": KindStyle("Source", "Sources", "box", "#E5E7EB", "#6B7280", "#1F2937"),
    }
)
"""Shape, colour and names of each entity kind, used by the nodes and the legend."""


@dataclass(frozen=True)
class LayerStyle:
    """How the statements of one layer are drawn."""

    label: str
    hint: str
    color: str
    dashes: tuple[int, ...] | None


LAYER_STYLES: Mapping[Layer, LayerStyle] = MappingProxyType(
    {
        "lore": LayerStyle("Lore", "in the story world", "#4B5563", None),
        "production": LayerStyle("Production", "the real world of the works", "#B45309", (2, 5)),
        "reception": LayerStyle("Reception", "what critics say", "#7C3AED", (10, 6)),
    }
)
"""Line colour and dash pattern of each layer: lore solid, production dotted,
reception dashed."""


def dashes(layer: Layer) -> list[int] | bool:
    """The vis-network ``dashes`` of a layer's edges: a pattern, or ``False`` for solid."""
    pattern = LAYER_STYLES[layer].dashes
    return list(pattern) if pattern else False


def node_colors(style: KindStyle) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A node's ``color`` and, for shapes that hold their label, its ``font``."""
    color = {
        "background": style.color,
        "border": style.border,
        "highlight": {"background": style.color, "border": "#111827"},
        "hover": {"background": style.color, "border": "#111827"},
    }
    return color, None if style.font is None else {"color": style.font, "strokeWidth": 0}
