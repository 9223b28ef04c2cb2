"""Reading a saved Wikidata file into entities and cited statements, offline.

:func:`import_wikidata` accepts what a user saves from Wikidata: the
``{"entities": {...}}`` of Special:EntityData, a JSON array of entities, the
lines of a JSON dump (one entity a line, ending in commas, streamed), or
the results of a SPARQL SELECT (``application/sparql-results+json``) with
the variables of the query in ``docs/import.md``.

- Kinds come from P31 (:data:`CLASS_KINDS`).
- Relations follow the relation registry's own ``wikidata`` alignment
  (:data:`lorekit.RELATIONS`); the few properties that read one of those
  relations backwards (P674 against P1441, P22 and P25 against P40) are named
  in :data:`INVERSE_PROPERTIES`, and P161 "cast member" with a P453
  "character role" qualifier becomes *portrayed by*. P4584 gives the first
  appearance.
- Labels, aliases and descriptions come in the language asked for; each
  entity keeps its Q-id. Every statement cites Wikidata with the item,
  property and statement id; P580/P582 qualifiers are kept in its note.

Examples
--------
>>> from pathlib import Path
>>> sample = Path(__file__).parents[3] / "tests" / "import" / "wikidata-entities.json"
>>> imported = import_wikidata(sample)
>>> sorted(imported.entities)[:3]
['hale-dunmore', 'ilsa-dray', 'ines-varga']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._core.errors import DataFileError
from .._core.kinds import EntityKind
from .._core.model import ENTITY_ADAPTER, Citation, Source, UniverseInfo
from .._core.relations import RELATIONS, resolve_predicate
from .import_build import Imported, slug
from .import_report import ImportReport

__all__ = ["CLASS_KINDS", "INVERSE_PROPERTIES", "import_wikidata"]

CLASS_KINDS: dict[str, tuple[EntityKind, str | None]] = {
    "Q95074": ("character", None),  # fictional character
    "Q15632617": ("character", None),  # fictional human
    "Q14623646": ("faction", None),  # fictional organization
    "Q5": ("person", None),  # human
    "Q11424": ("work", "film"),  # film
    "Q5398426": ("work", "series"),  # television series
    "Q21191270": ("work", "episode"),  # television series episode
    "Q7889": ("work", "game"),  # video game
    "Q7725634": ("work", "book"),  # literary work
    "Q196600": ("work", "franchise"),  # media franchise
}
"""P31 classes lorekit reads as a kind (and the form of a work)."""

INVERSE_PROPERTIES: dict[str, str] = {
    "P674": "features",  # characters: the inverse of P1441 "present in work"
    "P22": "child_of",  # father: the inverse of P40 "child"
    "P25": "child_of",  # mother: the inverse of P40 "child"
}
"""Properties that state a registry relation from its other end (an inverse reading)."""

_NO_RELATION = {"P3373": "sibling", "P26": "spouse"}
_CAST, _ROLE, _FIRST = "P161", "P453", "P4584"
_START, _END = "P580", "P582"
_QID = re.compile(r"^Q[1-9][0-9]*$")
_WIKIDATA = "https://www.wikidata.org/wiki/"


def _properties() -> dict[str, str]:
    found = {k.wikidata: k.name for k in RELATIONS.values() if k.wikidata}
    return {**found, **INVERSE_PROPERTIES}


@dataclass
class _Claim:
    prop: str
    value: str
    statement: str | None
    roles: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None


@dataclass
class _Item:
    qid: str
    label: str | None
    description: str | None
    aliases: list[str]
    classes: list[str]
    claims: list[_Claim]


def _bad(path: Path, what: str, line: int | None = None) -> DataFileError:
    return DataFileError(f"not Wikidata's shape: {what}", file=path, line=line)


def _json(path: Path, text: str, line: int | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        column = exc.colno
        raise DataFileError(
            f"column {column}: not JSON ({exc.msg})", file=path, line=where
        ) from exc


def _time(snak: dict[str, Any]) -> str | None:
    value = snak.get("datavalue", {}).get("value")
    if isinstance(value, dict) and isinstance(value.get("time"), str):
        return str(value["time"]).lstrip("+").split("T", 1)[0]
    if isinstance(value, str):
        return value.split("T", 1)[0]
    return None


def _item_value(snak: Any) -> str | None:
    if not isinstance(snak, dict) or snak.get("snaktype", "value") != "value":
        return None
    value = snak.get("datavalue", {}).get("value")
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _in_lang(values: Any, lang: str) -> str | None:
    if isinstance(values, dict):
        entry = values.get(lang)
        if isinstance(entry, dict) and isinstance(entry.get("value"), str):
            return str(entry["value"])
    return None


def _from_entity(path: Path, data: Any, lang: str, line: int | None) -> _Item | None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise _bad(path, "an entity is an object with an 'id'", line)
    qid = data["id"]
    if not _QID.match(qid):
        return None  # a property or a lexeme: not an item
    claims_in = data.get("claims", {})
    if not isinstance(claims_in, dict):
        raise _bad(path, f"{qid}: 'claims' is not an object", line)
    aliases_in = data.get("aliases", {}).get(lang, [])
    aliases = [a["value"] for a in aliases_in if isinstance(a, dict) and "value" in a]
    classes: list[str] = []
    claims: list[_Claim] = []
    for prop, statements in claims_in.items():
        if not isinstance(statements, list):
            raise _bad(path, f"{qid} {prop}: claims are a list", line)
        for st in statements:
            if not isinstance(st, dict) or "mainsnak" not in st:
                raise _bad(path, f"{qid} {prop}: a claim has a 'mainsnak'", line)
            value = _item_value(st["mainsnak"])
            if value is None:
                continue
            if prop == "P31":
                classes.append(value)
                continue
            qualifiers = st.get("qualifiers", {}) or {}
            claim = _Claim(prop, value, st.get("id"))
            claim.roles = [v for s in qualifiers.get(_ROLE, []) if (v := _item_value(s))]
            starts = [t for s in qualifiers.get(_START, []) if (t := _time(s))]
            ends = [t for s in qualifiers.get(_END, []) if (t := _time(s))]
            claim.start = starts[0] if starts else None
            claim.end = ends[0] if ends else None
            claims.append(claim)
    return _Item(
        qid,
        _in_lang(data.get("labels"), lang),
        _in_lang(data.get("descriptions"), lang),
        aliases,
        classes,
        claims,
    )


def _last(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _from_sparql(path: Path, data: dict[str, Any], lang: str) -> Iterator[_Item]:
    bindings = data.get("results", {}).get("bindings")
    if not isinstance(bindings, list):
        raise _bad(path, "SPARQL results have results.bindings")
    items: dict[str, _Item] = {}
    claims: dict[tuple[str, str, str, str | None], _Claim] = {}
    for row in bindings:
        if not isinstance(row, dict) or "item" not in row:
            raise _bad(path, "each SPARQL result row binds ?item")

        def get(var: str, row: dict[str, Any] = row) -> str | None:
            cell = row.get(var)
            return str(cell["value"]) if isinstance(cell, dict) and "value" in cell else None

        qid = _last(get("item") or "")
        if not _QID.match(qid):
            continue
        item = items.get(qid)
        if item is None:
            alt = get("itemAltLabel")
            label = get("itemLabel")
            item = items[qid] = _Item(
                qid,
                None if label == qid else label,
                get("itemDescription"),
                [a.strip() for a in alt.split(",") if a.strip()] if alt else [],
                [],
                [],
            )
        kind = get("type")
        if kind and _last(kind) not in item.classes:
            item.classes.append(_last(kind))
        prop, value = get("property"), get("value")
        if prop and value and _QID.match(_last(value)):
            statement = get("statement")
            sid = _last(statement).replace("-", "$", 1) if statement else None
            key = (qid, _last(prop), _last(value), sid)
            claim = claims.get(key)
            if claim is None:
                claim = claims[key] = _Claim(_last(prop), _last(value), sid)
                item.claims.append(claim)
            role = get("role")
            if role and _last(role) not in claim.roles:
                claim.roles.append(_last(role))
            claim.start = claim.start or (get("start") or "").split("T", 1)[0] or None
            claim.end = claim.end or (get("end") or "").split("T", 1)[0] or None
    _ = lang  # the query's label service chose the language
    yield from items.values()


def _read(path: Path, lang: str) -> Iterator[_Item]:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115  (closed below)
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror or exc}", file=path) from exc
    with handle:
        try:
            head = handle.read(1)
            while head and head.isspace():
                head = handle.read(1)
            handle.seek(0)
            if head == "[":
                streamed = _lines(path, handle, lang)
                if streamed is not None:
                    yield from streamed
                    return
                handle.seek(0)
            data = _json(path, handle.read())
        except UnicodeDecodeError as exc:
            raise DataFileError(f"not UTF-8 text: {exc.reason}", file=path) from exc
    if isinstance(data, list):
        for entity in data:
            if (item := _from_entity(path, entity, lang, None)) is not None:
                yield item
    elif isinstance(data, dict) and isinstance(data.get("entities"), dict):
        for entity in data["entities"].values():
            if (item := _from_entity(path, entity, lang, None)) is not None:
                yield item
    elif isinstance(data, dict) and "head" in data and "results" in data:
        yield from _from_sparql(path, data, lang)
    elif isinstance(data, dict) and "id" in data and "claims" in data:
        if (item := _from_entity(path, data, lang, None)) is not None:
            yield item
    else:
        raise _bad(path, 'expected {"entities": ...}, an array of entities, or SPARQL results', 1)


def _lines(path: Path, handle: Any, lang: str) -> Iterator[_Item] | None:
    """A dump's lines, one entity each, if the file is written so; else ``None``."""
    first = handle.readline().strip()
    second = handle.readline().strip()
    if first != "[" or not (second.startswith("{") and second.rstrip(",").endswith("}")):
        return None
    handle.seek(0)

    def items() -> Iterator[_Item]:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if line in ("[", "]", ""):
                continue
            entity = _json(path, line.rstrip(","), number)
            if (item := _from_entity(path, entity, lang, number)) is not None:
                yield item

    return items()


def import_wikidata(path: str | Path, *, lang: str = "en") -> Imported:
    """Read a saved Wikidata file into entities, statements and a report.

    Raises
    ------
    DataFileError
        When the file is not JSON (with line and column) or not in one of
        Wikidata's shapes.
    """
    source = Path(path)
    report = ImportReport(file=str(source))
    imported = Imported(report=report)
    imported.info = UniverseInfo(
        id=slug(source.name.split(".")[0], "wikidata"),
        name=source.name.split(".")[0],
        description=f"Imported from Wikidata ({source.name}).",
    )
    items: dict[str, _Item] = {}
    for item in _read(source, lang):
        report.pages += 1
        items.setdefault(item.qid, item)
    source_id = "wikidata"
    imported.reserve(source_id)
    imported.add_entity(
        Source(
            id=source_id,
            name="Wikidata",
            category="wiki",
            url="https://www.wikidata.org/",
            description="The free knowledge base these records were imported from.",
        )  # fmt: skip
    )
    ids: dict[str, str] = {}
    kinds: dict[str, EntityKind] = {}
    for qid, item in items.items():
        found = next((CLASS_KINDS[c] for c in item.classes if c in CLASS_KINDS), None)
        if found is None:
            shown = ", ".join(item.classes) or "none"
            report.skipped.append((f"{item.label or qid} ({qid})", f"no kind for P31 {shown}"))
            continue
        ident = ids[qid] = imported.new_id(item.label or qid.lower())
        kinds[ident] = found[0]
    for qid, ident in ids.items():
        item = items[qid]
        kind, form = CLASS_KINDS[next(c for c in item.classes if c in CLASS_KINDS)]
        first = next((ids.get(c.value) for c in item.claims if c.prop == _FIRST), None)
        fields: dict[str, Any] = {
            "id": ident,
            "kind": kind,
            "name": item.label or qid,
            "aliases": [a for a in dict.fromkeys(item.aliases) if a != item.label],
            "description": item.description,
            "wikidata": qid,
            "sources": [Citation(source=source_id, locator=f"{qid}: {_WIKIDATA}{qid}")],
        }
        if form:
            fields["form"] = form
        if first is not None and kinds.get(first) == "work" and kind not in ("work", "person"):
            fields["first_appearance"] = first
        imported.add_entity(ENTITY_ADAPTER.validate_python(fields))
    props = _properties()
    for qid, ident in ids.items():
        item = items[qid]
        name = item.label or qid
        for claim in item.claims:
            cite = Citation(
                source=source_id,
                locator=f"{qid} {claim.prop} statement {claim.statement or '?'}: "
                f"{_WIKIDATA}{qid}#{claim.statement or claim.prop}",
            )
            # P580/P582 are calendar dates; a statement's since/until name story
            # points (works, events), so the dates stay in the note
            span = (claim.start and f"from {claim.start}", claim.end and f"until {claim.end}")
            note = "; ".join(x for x in span if x) or None
            other = ids.get(claim.value)
            if claim.prop == _CAST:
                if not claim.roles:
                    report.dropped.append(
                        (
                            name,
                            claim.prop,
                            claim.value,
                            "cast member without a character role (P453)",
                        )
                    )
                    continue
                for role in claim.roles:
                    _relate(imported, kinds, name, claim.prop, ids.get(role), role,
                            "portrayed_by", other, claim.value, cite, note)  # fmt: skip
                continue
            if claim.prop in _NO_RELATION:
                report.dropped.append(
                    (
                        name,
                        claim.prop,
                        claim.value,
                        f"no relation kind for {_NO_RELATION[claim.prop]}",
                    )
                )
                continue
            predicate = props.get(claim.prop)
            if predicate is None:
                if claim.prop != _FIRST:
                    report.unmapped_field(claim.prop, claim.value)
                else:
                    _relate(imported, kinds, name, claim.prop, ident, qid, "appears_in",
                            other, claim.value, cite, note)  # fmt: skip
                continue
            _relate(imported, kinds, name, claim.prop, ident, qid, predicate, other,
                    claim.value, cite, note)  # fmt: skip
    return imported


def _relate(
    imported: Imported,
    kinds: dict[str, EntityKind],
    name: str,
    prop: str,
    subject: str | None,
    subject_qid: str,
    predicate: str,
    obj: str | None,
    obj_qid: str,
    cite: Citation,
    note: str | None,
) -> None:
    report = imported.report
    if subject is None or obj is None:
        report.unresolved.append((name, prop, obj_qid if obj is None else subject_qid))
        return
    canonical, flipped = resolve_predicate(predicate)
    rel = RELATIONS[canonical]
    mine, theirs = (rel.range, rel.domain) if flipped else (rel.domain, rel.range)
    if kinds[subject] not in mine or kinds[obj] not in theirs:
        report.dropped.append(
            (
                name,
                prop,
                obj_qid,
                f"{predicate} does not fit a {kinds[subject]} and a {kinds[obj]}",
            )  # fmt: skip
        )
        return
    imported.add_statement(subject, predicate, obj, cite, note)
