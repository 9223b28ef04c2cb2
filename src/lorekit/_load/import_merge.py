"""Merging an import into a universe that exists: match, never overwrite, report.

An imported entity is the universe's entity when its id, or its name, is
that entity's id, name or alias (folded as :func:`~lorekit._core.names.normalize_name`
folds them), so the wiki's "Winston Scott" is the bundled Winston. What
contradicts the universe is left out and reported as a conflict, never
forced in: an entity the wiki gives another kind, a name that matches
several entities, an alias that is another entity's name. Only new records
are kept, to be written as new files beside the hand-written ones, which
stay byte for byte as they were.

Examples
--------
>>> from lorekit._core.model import Character, Citation, Title
>>> from lorekit._load.import_report import ImportReport
>>> imp = Imported(report=ImportReport(file="wiki.xml"))
>>> imp.add_entity(Character(id="winston-scott", name="Winston Scott"))
>>> imp.add_entity(Character(id="jw", name="John Wick", aliases=("Baba Yaga",)))
>>> imp.add_entity(Character(id="mara-quell", name="Mara Quell"))
>>> merged = merge_into(imp, bundled_data_path())
>>> merged.report.merged
[('Winston Scott', 'winston'), ('John Wick', 'john-wick')]
>>> list(merged.entities)
['mara-quell']
>>> merged.report.conflicts
["alias 'Baba Yaga' of John Wick is the name of title 'baba-yaga' in the universe; left out"]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .._core.model import EntityBase
from .._core.names import normalize_name
from .._core.relations import RELATIONS
from .import_build import Imported
from .universe import bundled_data_path, load

__all__ = ["bundled_data_path", "merge_into"]


def merge_into(imported: Imported, universe: str | Path) -> Imported:
    """Keep of ``imported`` what is new to ``universe``, with ids matched to its own.

    Raises
    ------
    LoadError
        When the universe itself does not load.
    """
    lore = load(universe)
    report = imported.report
    known: dict[str, EntityBase] = {e.id: e for e in lore.entities()}
    names: dict[str, set[str]] = {}
    for entity in known.values():
        for name in entity.names:
            names.setdefault(normalize_name(name), set()).add(entity.id)
    out = Imported(report=report, info=None)
    for ident in known:
        out.reserve(ident)
    same: dict[str, str | None] = {}
    matched: set[str] = set()
    for entity in imported.entities.values():
        found = set(names.get(normalize_name(entity.name), ()))
        if not found and entity.id in known:
            found = {entity.id}
        if len(found) > 1:
            shown = ", ".join(sorted(found))
            report.conflicts.append(
                f"{entity.name!r} matches several entities of the universe ({shown}); left out"
            )
            same[entity.id] = None
        elif found:
            match = known[next(iter(found))]
            if match.kind != entity.kind:
                report.conflicts.append(
                    f"{entity.name!r} is a {entity.kind} in the import but {match.kind} "
                    f"{match.id!r} in the universe; left out"
                )
                same[entity.id] = None
            else:
                same[entity.id] = match.id
                matched.add(entity.id)
                report.merged.append((entity.name, match.id))
        else:
            same[entity.id] = entity.id
    for entity in imported.entities.values():
        target = same[entity.id]
        if target is None:
            continue
        aliases = []
        for alias in entity.aliases:
            other = names.get(normalize_name(alias), set()) - {target}
            if other:
                ident = sorted(other)[0]
                report.conflicts.append(
                    f"alias {alias!r} of {entity.name} is the name of {known[ident].kind} "
                    f"{ident!r} in the universe; left out"
                )
            else:
                aliases.append(alias)
        if entity.id in matched:
            continue  # the universe's own record stays as it is
        update: dict[str, object] = {"aliases": tuple(aliases)}
        first = getattr(entity, "first_appearance", None)
        if first is not None:
            update["first_appearance"] = same.get(first, first)
        out.entities[entity.id] = entity.model_copy(update=update)
        if entity.id in imported.stubs:
            out.stubs.add(entity.id)
    stated = {_key(st.subject, st.predicate, st.object) for st in lore.statements}
    left_out = Counter[str]()
    for st in imported.statements.values():
        subject, obj = same.get(st.subject, st.subject), same.get(st.object, st.object)
        if subject is None or obj is None:
            left_out[st.subject if subject is None else st.object] += 1
            continue
        if _key(subject, st.predicate, obj) in stated:
            report.dropped.append(
                (
                    "(merge)",
                    st.predicate,
                    f"{subject} {st.predicate} {obj}",
                    "already stated in the universe",
                )  # fmt: skip
            )
            continue
        out.put(st.model_copy(update={"subject": subject, "object": obj}))
    for ident, n in sorted(left_out.items()):
        report.conflicts.append(f"{n} statement(s) about {ident!r} left out with it")
    report.entities = Counter(e.kind for e in out.entities.values())
    report.statements = Counter(f.predicate for f in out.facts.values())
    return out


def _key(subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
    if RELATIONS[predicate].symmetric:
        a, b = sorted((subject, obj))
        return (a, predicate, b)
    return (subject, predicate, obj)
