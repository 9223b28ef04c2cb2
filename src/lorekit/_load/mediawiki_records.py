"""Turning the pages of a MediaWiki export into entities and cited statements.

:func:`import_mediawiki` reads the export once, streaming
(:mod:`~lorekit._load.mediawiki_read`), and keeps of each page only what it
needs: title, revision, the raw fields of its infoboxes, categories and the
lead's first sentence. Template pages give portable-infobox labels, redirects
give aliases. Once every title is known, links are resolved through
redirects and each field is read through the mapping
(:mod:`~lorekit._load.mediawiki_mapping`).

- Only main-namespace articles whose infobox or category gives a kind become
  entities; disambiguation pages and other namespaces never do.
- A link to a page not in the export becomes a stub when the field's relation
  fixes the target's kind, and is reported as unresolved otherwise. Nothing
  is made from text that is not a link.
- The wiki is a Source entity; every entity and statement cites it with the
  page title, revision id, infobox field and the page's ``?oldid=`` address.

Examples
--------
>>> from pathlib import Path
>>> sample = Path(__file__).parents[3] / "tests" / "import" / "wiki-export.xml"
>>> imported = import_mediawiki(sample)
>>> imported.entities["mara-quell"].aliases
('Needle Quell', 'The Grey Needle', 'Needle')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._core.kinds import ENTITY_KINDS, FICTIONAL_KINDS, EntityKind
from .._core.model import ENTITY_ADAPTER, EntityBase, Source, UniverseInfo
from .._core.names import normalize_name
from .._core.relations import RELATIONS, resolve_predicate
from .import_build import Imported, kept_out_of_gc, slug
from .import_report import ImportReport
from .mediawiki_infobox import (
    Item,
    first_sentence,
    has_portable_infobox,
    infobox_params,
    is_blank,
    portable_labels,
    token_items,
    token_text,
    top_level,
    value_tokens,
)
from .mediawiki_mapping import WikiMapping, default_mapping, fold
from .mediawiki_read import SiteInfo, WikiPage, open_export

__all__ = ["import_mediawiki"]

_STUB = "Stub: linked from the wiki, but its page is not in the export."
_MAX_REDIRECTS = 8
_FREEZE_EVERY = 2_000


@dataclass(frozen=True, slots=True)
class _Field:
    """An infobox parameter, walked at once so the page's tree can go; read as its
    mapping needs once every page is known."""

    name: str
    tokens: list[Any]

    @property
    def items(self) -> list[Item]:
        """The values, split on commas only where they separate links."""
        return token_items(self.tokens)

    @property
    def names(self) -> list[Item]:
        """The values split on every comma, for fields of names (aliases)."""
        return token_items(self.tokens, commas=True)

    @property
    def text(self) -> str:
        """The value as plain text, for the report of a field the mapping may not know."""
        return token_text(self.tokens)


@dataclass(slots=True)
class _Article:
    title: str
    revision: int | None
    boxes: list[tuple[str, list[_Field]]]
    """Top-level templates with named parameters, each read once."""
    categories: list[str]
    lead: str | None
    skip: str | None = None
    ident: str = ""
    kind: EntityKind | None = None
    form: str | None = None
    aliases: list[str] = field(default_factory=list)


class _Wiki:
    """The pages kept from the stream, and how titles and links resolve."""

    def __init__(self, site: SiteInfo, mapping: WikiMapping, report: ImportReport) -> None:
        self.site = site
        self.mapping = mapping
        self.report = report
        self.articles: dict[str, _Article] = {}
        self.redirects: dict[str, tuple[str, str]] = {}
        """normalized title -> (normalized target, title as written)"""
        self.labels: dict[str, dict[str, str]] = {}
        """folded template name -> {param: portable label}"""
        spaces = site.namespaces
        self.category_prefixes = {"Category", spaces.get(14, "Category")}
        self.template_prefixes = {"Template", spaces.get(10, "Template")}

    def norm(self, title: str) -> str:
        title = title.split("#", 1)[0].replace("_", " ")
        title = " ".join(title.split()).lstrip(":")
        if self.site.first_letter and title:
            title = title[0].upper() + title[1:]
        return title

    def target(self, title: str) -> str:
        key = self.norm(title)
        for _ in range(_MAX_REDIRECTS):
            step = self.redirects.get(key)
            if step is None:
                break
            key = step[0]
        return key

    def url(self, title: str, revision: int | None) -> str | None:
        if not self.site.base:
            return None
        prefix = self.site.base.rsplit("/", 1)[0] + "/"
        page = prefix + quote(title.replace(" ", "_"), safe="/:()',")
        return f"{page}?oldid={revision}" if revision else page

    def field(self, box: str, name: str, value: Any) -> _Field | None:
        """A parameter as kept until links resolve: only what its mapping will need."""
        if is_blank(value):
            return None
        direct = self.mapping.field(name)
        known = self.labels.get(fold(box))  # a portable infobox seen already
        if direct == "ignore" or (
            direct is None
            and known is not None
            and _labelled(self.mapping, known, name) == "ignore"
        ):
            return None
        return _Field(name, value_tokens(value))

    def read(self, page: WikiPage) -> None:
        import mwparserfromhell

        self.report.pages += 1
        if page.namespace == 10:
            code = mwparserfromhell.parse(page.text)
            if has_portable_infobox(code):
                name = page.title.split(":", 1)[1] if ":" in page.title else page.title
                self.labels[fold(name)] = portable_labels(code)
            return
        if page.namespace != 0:
            space = self.site.namespaces.get(page.namespace) or f"namespace {page.namespace}"
            self.report.skipped.append((page.title, f"a {space} page, not an article"))
            return
        title = self.norm(page.title)
        if page.redirect is not None or page.text.lstrip()[:9].lower() == "#redirect":
            code = mwparserfromhell.parse(page.text)
            links = code.filter_wikilinks(recursive=False)
            target = page.redirect or (str(links[0].title) if links else None)
            if target:
                self.redirects[title] = (self.norm(target), page.title)
            return
        code = mwparserfromhell.parse(page.text)
        boxes = []
        skip = None
        templates, cats, lead_nodes = top_level(code, self.category_prefixes)
        for template in templates:
            name = str(template.name).strip()
            if self.mapping.skips(name):
                skip = f"a disambiguation page ({{{{{name}}}}})"
            params = infobox_params(template)
            if params:
                fields = [self.field(name, k, v) for k, v in params]
                boxes.append((name, [f for f in fields if f is not None]))
        for cat in cats:
            if self.mapping.skips(cat):
                skip = f"a disambiguation page (Category:{cat})"
        lead = None if skip else first_sentence(lead_nodes)
        self.articles[title] = _Article(title, page.revision, boxes, cats, lead, skip)


def _kind_of(wiki: _Wiki, art: _Article) -> tuple[EntityKind, str | None, str | None] | None:
    """Kind, form and the infobox that gave it (``None``: a category did)."""
    for name, _ in art.boxes:
        found = wiki.mapping.kind_of_template(name)
        if found is not None:
            return (*found, name)
    for cat in art.categories:
        found = wiki.mapping.kind_of_category(cat)
        if found is not None:
            return (*found, None)
    return None


def _labelled(mapping: WikiMapping, labels: dict[str, str], param: str) -> str | None:
    label = labels.get(param)
    return None if label is None else mapping.field(label)


def _field_target(wiki: _Wiki, box: str, param: str) -> str | None:
    target = wiki.mapping.field(param)
    if target is None:
        label = wiki.labels.get(fold(box), {}).get(param)
        if label is not None:
            target = wiki.mapping.field(label)
    return target


class _Builder:
    def __init__(self, wiki: _Wiki, imported: Imported, source_id: str) -> None:
        self.wiki = wiki
        self.imp = imported
        self.report = imported.report
        self.source = source_id
        self.stub_ids: dict[str, str] = {}
        self.kinds: dict[str, EntityKind] = {
            a.ident: a.kind for a in wiki.articles.values() if a.ident and a.kind
        }
        self._cited_art: _Article | None = None
        self._cited: dict[str | None, tuple[str, str]] = {}

    def cite(self, art: _Article, what: str | None) -> tuple[str, str]:
        """``(source id, locator)``: one string for all the statements of a field."""
        if art is not self._cited_art:
            self._cited_art, self._cited = art, {}
        known = self._cited.get(what)
        if known is not None:
            return known
        parts = [art.title]
        if art.revision:
            parts.append(f"revision {art.revision}")
        if what:
            parts.append(f"infobox field {what}")
        url = self._cited.get("\0url")
        if url is None:
            url = ("", self.wiki.url(art.title, art.revision) or "")
            self._cited["\0url"] = url
        made = (self.source, ", ".join(parts) + (f": {url[1]}" if url[1] else ""))
        self._cited[what] = made
        return made

    def entity_for(self, link: str) -> tuple[str | None, str]:
        """The id a link leads to (or None) and the title it resolves to."""
        title = self.wiki.target(link)
        art = self.wiki.articles.get(title)
        if art is not None and art.ident:
            return art.ident, title
        return None, title

    def stub(self, title: str, kind: EntityKind, art: _Article, what: str) -> str:
        known = self.stub_ids.get(title)
        if known is not None:
            return known
        ident = self.imp.new_id(title)
        fields = {"id": ident, "name": title, "kind": kind, "description": _STUB}
        source, locator = self.cite(art, what)
        sources = [{"source": source, "locator": locator}]
        entity = ENTITY_ADAPTER.validate_python({**fields, "sources": sources})
        self.imp.add_entity(entity, stub=True)
        self.report.stubs.append((ident, kind, f"{art.title} ({what})"))
        self.kinds[ident] = kind
        self.stub_ids[title] = ident
        return ident

    def relate(self, art: _Article, what: str, predicate: str, item: Any) -> None:
        value = item.text or (item.links[0] if item.links else "")
        if not item.links:
            self.report.dropped.append(
                (art.title, what, value, "not a link; nothing is made from plain text")
            )
            return
        name, flipped = resolve_predicate(predicate)
        rel = RELATIONS[name]
        mine, theirs = (rel.range, rel.domain) if flipped else (rel.domain, rel.range)
        assert art.kind is not None
        if art.kind not in mine:
            self.report.dropped.append(
                (art.title, what, value, f"{predicate} does not fit a {art.kind}")
            )
            return
        other, title = self.entity_for(item.links[0])
        if other is None:
            target = self.wiki.articles.get(title)
            if target is None and len(theirs) == 1:
                other = self.stub(title, next(iter(theirs)), art, what)
            else:
                self.report.unresolved.append((art.title, what, item.links[0]))
                return
        kind = self.kinds[other]
        if kind not in theirs:
            need = " or ".join(sorted(theirs))
            self.report.dropped.append(
                (art.title, what, value, f"{predicate} needs a {need}; {title} is a {kind}")
            )
            return
        if other == art.ident:
            self.report.dropped.append((art.title, what, value, "links to its own page"))
            return
        self.imp.add_statement(art.ident, predicate, other, self.cite(art, what), item.note)

    def fields(self, art: _Article) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for box, params in art.boxes:
            known_box = (
                self.wiki.mapping.kind_of_template(box) is not None or fold(box) in self.wiki.labels
            )
            if not known_box:
                continue
            for entry in params:
                param = entry.name
                target = _field_target(self.wiki, box, param)
                if target is None:
                    seen = self.report.unmapped.get(param)
                    if seen is not None:  # only the first use gives the example
                        seen[0] += 1
                    else:
                        self.report.unmapped_field(param, entry.text)
                    continue
                if target == "ignore":
                    continue
                if target in ("aliases", "name"):
                    chosen = entry.names if target == "aliases" else None
                    for it in chosen if chosen is not None else entry.items:
                        if it.text:
                            art.aliases.append(it.text)
                    continue
                for it in entry.items:
                    if target == "family":
                        predicate = self.wiki.mapping.family(it.note)
                        if predicate is None:
                            why = f"({it.note})" if it.note else "no qualifier"
                            self.report.dropped.append(
                                (art.title, param, it.text, f"no relation kind for family: {why}")
                            )
                            continue
                        it = type(it)(it.text, it.links, None)
                        self.relate(art, param, predicate, it)
                    elif target == "first_appearance":
                        self.relate(art, param, "appears_in", it)
                        if it.links and "first_appearance" not in extra:
                            other, _ = self.entity_for(it.links[0])
                            other = other or self.stub_ids.get(self.wiki.target(it.links[0]))
                            if other and self.kinds[other] == "work":
                                extra["first_appearance"] = other
                    else:
                        self.relate(art, param, target, it)
        return extra


def import_mediawiki(
    path: str | Path,
    *,
    mapping: WikiMapping | None = None,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    """Read a MediaWiki XML export into entities, statements and a report.

    Parameters
    ----------
    path
        The export: ``.xml``, ``.xml.gz`` or ``.xml.bz2``.
    mapping
        Infobox mapping; the default (:func:`default_mapping`) when ``None``.
    progress
        Called with the number of pages read so far, every 1,000 pages.

    Raises
    ------
    DataFileError
        When the file is not a well-formed MediaWiki export (with line and
        column where the parser gives them) or a compressed file is corrupt.
    """
    with kept_out_of_gc() as keep:
        return _import(path, mapping or default_mapping(), progress, keep)


def _import(
    path: str | Path,
    mapping: WikiMapping,
    progress: Callable[[int], None] | None,
    keep: Callable[[], None],
) -> Imported:
    report = ImportReport(file=str(path))
    with open_export(path) as export:
        wiki = _Wiki(export.site, mapping, report)
        for page in export.pages():
            wiki.read(page)
            if report.pages % _FREEZE_EVERY == 0:
                keep()
            if progress is not None and report.pages % 1000 == 0:
                progress(report.pages)
    site = export.site
    imported = Imported(report=report)
    source_id = imported.new_id(site.name, fallback="wiki")
    imported.info = UniverseInfo(
        id=slug(site.name, "wiki"),
        name=site.name,
        description=f"Imported from {site.name}" + (f" ({site.base})" if site.base else "") + ".",
    )
    imported.add_entity(
        Source(
            id=source_id,
            name=site.name,
            category="wiki",
            url=site.base,
            description="The wiki these records were imported from.",
        )  # fmt: skip
    )
    # kinds and ids first, so links resolve whatever order the pages came in
    for art in wiki.articles.values():
        if art.skip:
            report.skipped.append((art.title, art.skip))
            continue
        found = _kind_of(wiki, art)
        if found is None:
            report.skipped.append((art.title, "no infobox or category that gives a kind"))
            continue
        art.kind, art.form, _ = found
        art.ident = imported.new_id(art.title)
    for target_key, written in wiki.redirects.values():
        target = wiki.articles.get(wiki.target(target_key))
        if target is not None and target.ident:
            target.aliases.append(written.replace("_", " "))
            report.redirects.append((written, target.ident))
        else:
            report.skipped.append((written, f"a redirect to {target_key}, which is not an entity"))
    build = _Builder(wiki, imported, source_id)
    made: list[tuple[_Article, dict[str, Any]]] = []
    for n, art in enumerate(wiki.articles.values(), start=1):
        if n % _FREEZE_EVERY == 0:
            keep()
        if art.ident:
            made.append((art, build.fields(art)))
            art.boxes = []  # read: let it go before the next page's statements
    names = {normalize_name(a.title): a.ident for a in wiki.articles.values() if a.ident}
    for n, (art, extra) in enumerate(made, start=1):
        if n % _FREEZE_EVERY == 0:
            keep()
        aliases: dict[str, str] = {}
        for alias in art.aliases:
            key = normalize_name(alias)
            if key == normalize_name(art.title) or key in aliases:
                continue
            if names.get(key, art.ident) != art.ident:
                report.conflicts.append(
                    f"alias {alias!r} of {art.ident} is the name of {names[key]}; left out"
                )
                continue
            aliases[key] = alias
        assert art.kind is not None
        fields: dict[str, Any] = {
            "id": art.ident,
            "name": art.title,
            "aliases": list(aliases.values()),
            "description": art.lead,
            "sources": [dict(zip(("source", "locator"), build.cite(art, None), strict=True))],
        }
        if art.kind in FICTIONAL_KINDS or art.kind == "work":
            fields.update(extra)
        if art.kind == "work" and art.form:
            fields["form"] = art.form
        entity: EntityBase = ENTITY_ADAPTER.validate_python({**fields, "kind": art.kind})
        imported.entities[art.ident] = entity
        report.entities[art.kind] += 1
    # entities in page order, stubs after
    order = {k: i for i, k in enumerate(ENTITY_KINDS)}
    imported.entities = dict(
        sorted(
            imported.entities.items(), key=lambda kv: (kv[0] in imported.stubs, order[kv[1].kind])
        )
    )
    return imported
