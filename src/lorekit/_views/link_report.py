"""What the linker found in a text, and its renderings: JSON-ready data, HTML, YAML.

:class:`LinkReport` holds the :class:`Mention`, :class:`Ambiguity` and
:class:`Candidate` entries of one text; :func:`report_html` and
:func:`report_yaml` write its linked page and its statement skeletons.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .._core.errors import SchemaError
from .._core.model import SLUG_PATTERN, EntityBase, Source, Work

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph

__all__ = [
    "Ambiguity",
    "Candidate",
    "LinkReport",
    "Mention",
    "Via",
    "report_html",
    "report_yaml",
]

Via = Literal["name", "alias", "partial"]
"""How a mention was recognised: the entity's name, an alias, or a partial name."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a text names an entity; ``text[start:end]`` is the mention."""

    entity: EntityBase
    start: int
    end: int
    text: str
    """The words as the text writes them."""
    paragraph: int
    """1-based paragraph (block) number, as in a ``¶`` locator."""
    sentence: str
    """The sentence the mention stands in, spacing collapsed."""
    via: Via = "name"
    """How it was recognised: the entity's name, an alias, or a partial name."""


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A name that could mean several entities: reported, never guessed."""

    text: str
    start: int
    end: int
    paragraph: int
    sentence: str
    candidates: tuple[EntityBase, ...]
    """The entities of the graph it could mean."""
    others: tuple[str, ...] = ()
    """Full names in the text, unknown to the graph, that it could be short for."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name in the text that matches no entity: perhaps lore the graph lacks."""

    name: str
    """The longest form the text used."""
    count: int
    """How often the text used it, in any of its forms."""
    first_paragraph: int
    variants: tuple[str, ...] = ()
    """Every form of the name the text used, the name first ("Marquis" for
    "Marquis Vincent de Gramont")."""


@dataclass(frozen=True)
class LinkReport:
    """What :func:`link_text` found in a text."""

    text: str
    mentions: tuple[Mention, ...]
    ambiguous: tuple[Ambiguity, ...]
    candidates: tuple[Candidate, ...]
    paragraphs: tuple[tuple[int, int], ...]
    """``(start, end)`` of each paragraph: paragraph ``n`` is ``paragraphs[n - 1]``."""
    lore: LoreGraph = field(repr=False, compare=False)

    def by_entity(self) -> list[tuple[EntityBase, list[Mention]]]:
        """Each mentioned entity with its mentions, in order of first mention."""
        grouped: dict[str, tuple[EntityBase, list[Mention]]] = {}
        for m in self.mentions:
            grouped.setdefault(m.entity.id, (m.entity, []))[1].append(m)
        return list(grouped.values())

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""

        def ref(e: EntityBase) -> dict[str, str]:
            return {"id": e.id, "name": e.name, "kind": e.kind}

        def place(x: Mention | Ambiguity) -> dict[str, Any]:
            return {
                "text": x.text,
                "start": x.start,
                "end": x.end,
                "paragraph": x.paragraph,
                "sentence": x.sentence,
            }

        return {
            "paragraphs": len(self.paragraphs),
            "entities": [
                {**ref(e), "count": len(ms), "paragraphs": sorted({m.paragraph for m in ms})}
                for e, ms in self.by_entity()
            ],
            "mentions": [{**ref(m.entity), **place(m), "via": m.via} for m in self.mentions],
            "ambiguous": [
                {**place(a), "candidates": [ref(e) for e in a.candidates], "others": list(a.others)}
                for a in self.ambiguous
            ],
            "candidates": [
                {
                    "name": c.name,
                    "count": c.count,
                    "first_paragraph": c.first_paragraph,
                    "variants": list(c.variants or (c.name,)),
                }
                for c in self.candidates
            ],
        }

    def to_html(self, *, page: str = "lore.html", title: str = "Lore mentions") -> str:
        """A standalone page of the text with each mention linked to ``page#id``.

        Every piece of the text is escaped, so the page carries no markup of
        its input; ambiguous names are marked with what they could mean.
        """
        return report_html(self, page=page, title=title)

    def to_yaml(self, source: str) -> str:
        """Statement skeletons citing ``source`` for entities named in the same paragraph.

        Each skeleton says ``predicate: TODO`` for the user to fill in or
        delete; a ``sources:`` stub comes first unless ``source`` is already a
        source or work of the graph. Nothing is written anywhere.

        Raises
        ------
        SchemaError
            When ``source`` is not a valid id (a lowercase slug).
        """
        return report_yaml(self, source)


# --- renderings ------------------------------------------------------------------
def report_html(report: LinkReport, *, page: str, title: str) -> str:
    """A standalone page of the text with each mention linked to ``page#id``.

    Every piece of the text is escaped, so the page carries no markup of
    its input; ambiguous names are marked with what they could mean.
    """
    esc = html.escape
    marks: list[tuple[int, int, str, str]] = []
    for m in report.mentions:
        label = esc(f"{m.entity.name} ({m.entity.kind})")
        href = esc(f"{page}#{m.entity.id}")
        marks.append((m.start, m.end, f'<a class="mention" href="{href}" title="{label}">', "</a>"))
    for amb in report.ambiguous:
        could = " or ".join([e.name for e in amb.candidates] + list(amb.others))
        tag = f'<mark title="{esc("ambiguous: " + could)}">'
        marks.append((amb.start, amb.end, tag, "</mark>"))
    marks.sort()
    body, k = [], 0
    for number, (start, end) in enumerate(report.paragraphs, 1):
        out, pos = [f'<p id="p{number}"><span class="pn">¶{number}</span> '], start
        while k < len(marks) and marks[k][0] < end:
            a, b, tag, close = marks[k]
            out += [esc(report.text[pos:a]), tag, esc(report.text[a:b]), close]
            pos, k = b, k + 1
        body.append("".join([*out, esc(report.text[pos:end]), "</p>"]))
    unknown = "".join(
        f"<li>{esc(c.name)} <small>×{c.count}, first ¶{c.first_paragraph}"
        + "".join(f"; also “{esc(v)}”" for v in c.variants[1:])
        + "</small></li>"
        for c in report.candidates
    )
    summary = (
        f"{len(report.mentions)} mentions of {len(report.by_entity())} entities in "
        f"{len(report.paragraphs)} paragraphs; {len(report.ambiguous)} ambiguous; "
        f"{len(report.candidates)} names the graph does not know."
    )
    return _PAGE.format(
        title=esc(title),
        summary=esc(summary),
        body="\n".join(body),
        unknown=f"<h2>Not in the graph</h2><ul>{unknown}</ul>" if unknown else "",
    )


def report_yaml(report: LinkReport, source: str) -> str:
    """The YAML skeletons of :meth:`LinkReport.to_yaml`."""
    if not re.fullmatch(SLUG_PATTERN, source):
        raise SchemaError(
            f"{source!r} is not a valid id: use lowercase words joined by hyphens",
            value=source,
        )
    pairs: dict[tuple[str, str], tuple[list[int], list[str]]] = {}
    by_paragraph: dict[int, list[Mention]] = {}
    for m in report.mentions:
        if m.entity.id != source and not isinstance(m.entity, Source):
            by_paragraph.setdefault(m.paragraph, []).append(m)
    for number, here in by_paragraph.items():
        order = list(dict.fromkeys(m.entity.id for m in here))
        sentences: dict[str, set[str]] = {}  # sentence -> ids, in text order
        for m in here:
            sentences.setdefault(m.sentence, set()).add(m.entity.id)
        for i, a in enumerate(order):
            for b in order[i + 1 :]:
                paras, said = pairs.setdefault((b, a) if (b, a) in pairs else (a, b), ([], []))
                paras.append(number)
                both = [s for s, ids in sentences.items() if {a, b} <= ids]
                if both and not said:
                    said.append(f"¶{number}: {both[0]}")
    lines = [
        f"# Statement skeletons citing {source!r}, from `lorekit link --as-source`.",
        "# Fill in each predicate (see docs/data-format.md), delete what the text",
        "# does not state, then add the rest to your data files.",
    ]
    known = report.lore.entity(source) if source in report.lore else None
    if isinstance(known, Source | Work):
        lines.append(f"# {source!r} is already in the graph: {_line(known.name)}")
    else:
        lines += [
            "sources:",
            f"  - id: {source}",
            "    name: TODO",
            "    category: review  # review, article, wiki, interview, book, transcript, other",
        ]
    lines.append("statements:" if pairs else "statements: []")
    relations: dict[str, list[str]] = {}
    ordered = sorted(pairs.items(), key=lambda item: not item[1][1])  # stable: text order
    for k, ((a, b), (paras, said)) in enumerate(ordered):
        if not said and (k == 0 or ordered[k - 1][1][1]):
            lines.append("  # --- named in the same paragraph, not in the same sentence ---")
        if a not in relations:
            relations[a] = [f"{r.other.id}\t{r}" for r in report.lore.relations(a)]
        between = [r.split("\t", 1)[1] for r in relations[a] if r.startswith(b + "\t")]
        if said and (k == 0 or ordered[k - 1][1][1] != said):
            lines.append(f"  # {_line(said[0])}")
        lines += [f"  # already in the graph: {_line('; '.join(between))}"] if between else []
        cited = ", ".join(f'"{source} ¶{n}"' for n in paras)
        lines.append(f"  - {{subject: {a}, predicate: TODO, object: {b}, sources: [{cited}]}}")
    if report.candidates:
        lines.append("# Names the graph does not know (add entities for those that matter):")
        for c in report.candidates:
            also = "".join(f'; also "{v}"' for v in c.variants[1:])
            lines.append("#   " + _line(f"{c.name} ({c.count}×, first ¶{c.first_paragraph}{also})"))
    return "\n".join(lines) + "\n"


def _line(text: str, width: int = 110) -> str:
    """One line for a YAML comment: spacing collapsed, cut at ``width``."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<style>
body{{font:16px/1.55 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}}
p{{white-space:pre-wrap}} .pn{{color:#999;font-size:.8em;margin-right:.3em}}
a.mention{{color:#0b5394;background:#e8f0fb;text-decoration:none;border-radius:3px}}
mark{{background:#fde9b6}} small{{color:#777}}
</style></head>
<body><h1>{title}</h1><p>{summary}</p>
{body}
{unknown}
</body></html>
"""
