"""Rendering a :class:`LinkReport`: a linked HTML page and YAML statement skeletons."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from .._core.errors import SchemaError
from .._core.model import SLUG_PATTERN, Source, Work

if TYPE_CHECKING:
    from .link import LinkReport, Mention

__all__ = ["report_html", "report_yaml"]


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
        f"<li>{esc(c.name)} <small>×{c.count}, first ¶{c.first_paragraph}</small></li>"
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
        "# does not state, then add the rest to your data files yourreport.",
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
            lines.append(f"#   {_line(c.name)} ({c.count}×, first ¶{c.first_paragraph})")
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
