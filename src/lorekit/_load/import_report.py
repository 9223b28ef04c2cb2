"""What an import did: pages read, records made, and everything left out, with why.

One :class:`ImportReport` is filled by the MediaWiki and the Wikidata
importers alike; :meth:`ImportReport.as_json` is what ``--json`` prints and
:meth:`ImportReport.lines` what the table shows, so the two never disagree.

Examples
--------
>>> r = ImportReport(file="x.xml")
>>> r.pages = 3
>>> r.unmapped_field("species", "Human")
>>> r.unmapped_field("species", "Elf")
>>> r.as_json()["unmapped_fields"]
[{'field': 'species', 'count': 2, 'example': 'Human'}]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ImportReport"]


@dataclass
class ImportReport:
    """The account of one import, for the user to read and act on."""

    file: str
    """The file imported."""
    pages: int = 0
    """Pages (or Wikidata items, or result rows) read."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """``(title, reason)`` of pages that did not become entities."""
    entities: Counter[str] = field(default_factory=Counter)
    """Entities made, by kind (stubs included)."""
    statements: Counter[str] = field(default_factory=Counter)
    """Statements made, by predicate."""
    stubs: list[tuple[str, str, str]] = field(default_factory=list)
    """``(id, kind, linked from)`` of entities made from a link to a page not in the export."""
    redirects: list[tuple[str, str]] = field(default_factory=list)
    """``(alias, entity id)``: redirects that became aliases."""
    unmapped: dict[str, list[Any]] = field(default_factory=dict)
    """Field name -> [count, example value] of fields the mapping does not know."""
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    """``(page, field, link)`` of links that lead to no entity."""
    dropped: list[tuple[str, str, str, str]] = field(default_factory=list)
    """``(page, field, value, reason)`` of values that made nothing."""
    merged: list[tuple[str, str]] = field(default_factory=list)
    """``(imported name, existing id)``: entities matched in the universe merged into."""
    conflicts: list[str] = field(default_factory=list)
    """What the universe merged into contradicts; left out, never forced in."""
    files: list[str] = field(default_factory=list)
    """The files written."""

    def unmapped_field(self, name: str, example: str) -> None:
        """Count one use of a field the mapping does not know."""
        seen = self.unmapped.setdefault(name, [0, example[:80]])
        seen[0] += 1

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "file": self.file,
            "pages_read": self.pages,
            "entities": dict(sorted(self.entities.items())),
            "statements": dict(sorted(self.statements.items())),
            "stubs": [{"id": i, "kind": k, "linked_from": f} for i, k, f in self.stubs],
            "redirects": [{"alias": a, "entity": e} for a, e in self.redirects],
            "unmapped_fields": [
                {"field": f, "count": c, "example": x}
                for f, (c, x) in sorted(self.unmapped.items(), key=lambda kv: (-kv[1][0], kv[0]))
            ],
            "unresolved_links": [{"page": p, "field": f, "link": t} for p, f, t in self.unresolved],
            "dropped": [
                {"page": p, "field": f, "value": v, "reason": r} for p, f, v, r in self.dropped
            ],
            "skipped_pages": [{"title": t, "reason": r} for t, r in self.skipped],
            "merged": [{"name": n, "entity": e} for n, e in self.merged],
            "conflicts": list(self.conflicts),
            "files": list(self.files),
        }

    def lines(self) -> list[tuple[str, str]]:
        """The report as ``(heading, line)`` rows, for a table."""
        rows: list[tuple[str, str]] = [("read", f"{self.pages} pages from {self.file}")]
        rows += [("entities", f"{k}: {n}") for k, n in sorted(self.entities.items())]
        rows += [("statements", f"{p}: {n}") for p, n in sorted(self.statements.items())]
        rows += [("stub", f"{i} ({k}), linked from {f}") for i, k, f in self.stubs]
        rows += [("redirect", f"{a!r} is an alias of {e}") for a, e in self.redirects]
        for entry in self.as_json()["unmapped_fields"]:
            rows.append(
                ("unmapped field", f"{entry['field']}: {entry['count']}× e.g. {entry['example']!r}")
            )
        rows += [("unresolved", f"{p}, {f}: [[{t}]]") for p, f, t in self.unresolved]
        rows += [("dropped", f"{p}, {f}: {v!r}: {r}") for p, f, v, r in self.dropped]
        rows += [("skipped", f"{t}: {r}") for t, r in self.skipped]
        rows += [("merged", f"{n!r} is {e}") for n, e in self.merged]
        rows += [("conflict", c) for c in self.conflicts]
        rows += [("wrote", f) for f in self.files]
        return rows
