"""What an article's wikitext says: its infoboxes, field values, categories and lead.

mwparserfromhell parses the wikitext; this module only walks the tree it
gives. A field value becomes :class:`Item` values: split on ``<br>`` (in
every spelling, since the parser reads them all as one tag), bullets,
``{{Plainlist}}``/``{{ubl}}``-style list templates, and on commas where
they separate links; refs, comments, formatting and leftover templates are
dropped, ``<nowiki>`` is kept as text, and a parenthesised qualifier such
as "(formerly)" becomes the item's note.

Examples
--------
>>> import mwparserfromhell
>>> code = mwparserfromhell.parse(
...     "[[Lantern Court]]<br />[[Ashen Choir|the Choir]] (formerly)<ref>x</ref>")
>>> [(i.links, i.text, i.note) for i in items(code)]
[(('Lantern Court',), 'Lantern Court', None), (('Ashen Choir',), 'the Choir', 'formerly')]
>>> portable_labels(mwparserfromhell.parse(
...     '<infobox><data source="affil"><label>Affiliation</label></data></infobox>'))
{'affil': 'Affiliation'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .mediawiki_mapping import fold

__all__ = [
    "Item",
    "categories",
    "first_sentence",
    "infobox_params",
    "is_blank",
    "items",
    "lead_sentence",
    "portable_labels",
    "plain",
    "token_items",
    "token_text",
    "top_level",
    "value_tokens",
]

_LIST_TEMPLATES = frozenset(
    {"plainlist", "plain list", "ubl", "unbulleted list", "flatlist", "flat list", "hlist",
     "bulleted list", "collapsible list", "br separated entries", "unordered list"}
)  # fmt: skip
_BREAKS = frozenset({"br", "li", "dt", "dd", "p", "div"})
_HIDDEN = frozenset({"ref", "references", "gallery", "math", "noinclude", "includeonly", "sup"})
_PARENS = re.compile(r"\(([^()]*)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
_SEP: Any = object()
_COMMA: Any = object()


@dataclass(frozen=True, slots=True)
class Item:
    """One value of a field: its plain text, the pages it links to, its qualifier."""

    text: str
    """The value as plain text (link labels included), without its qualifier."""
    links: tuple[str, ...]
    """Titles of the pages it links to, as written (not yet resolved)."""
    note: str | None
    """A parenthesised qualifier such as "formerly", if any."""


def _namespaced(title: str) -> bool:
    return ":" in title.lstrip(":") and title.lstrip(":").split(":", 1)[0].strip().lower() in (
        "category", "file", "image", "media", "template", "user", "talk", "help", "special",
    )  # fmt: skip


@cache
def _node_types() -> Any:
    from mwparserfromhell import nodes

    return nodes


def _tokens(nodes: Iterable[Any]) -> Iterator[Any]:
    """Text, ``("link", title, label)``, and separators, from parsed nodes."""
    n = _node_types()
    for node in nodes:
        if isinstance(node, n.Text):
            lines = node.value.split("\n")
            for i, line in enumerate(lines):
                if i:
                    yield _SEP
                parts = line.split(",")
                for j, part in enumerate(parts):
                    if j:
                        yield _COMMA
                    if part:
                        yield part
        elif isinstance(node, n.Wikilink):
            title = str(node.title).strip()
            if _namespaced(title) or title.startswith("#"):
                continue
            label = plain(node.text.nodes) if node.text is not None else title
            yield ("link", title, label.strip())
        elif isinstance(node, n.Template):
            if fold(str(node.name)) in _LIST_TEMPLATES:
                for param in node.params:
                    if param.showkey:
                        continue
                    yield _SEP
                    yield from _tokens(param.value.nodes)
                yield _SEP
        elif isinstance(node, n.Tag):
            tag = str(node.tag).strip().lower()
            if tag in _HIDDEN:
                continue
            if tag in _BREAKS:
                yield _SEP
            if tag == "nowiki":
                if node.contents is not None:
                    yield str(node.contents)
            elif node.contents is not None:
                yield from _tokens(node.contents.nodes)
            if tag in _BREAKS and tag != "br":
                yield _SEP
        elif isinstance(node, n.HTMLEntity):
            yield node.normalize()
        elif isinstance(node, n.ExternalLink) and node.title is not None:
            yield plain(node.title.nodes)
        # comments, headings, arguments: nothing to keep


def plain(nodes: Iterable[Any]) -> str:
    """The plain text of parsed nodes: link labels, no markup, refs or templates."""
    return _plain(_tokens(nodes))


def _plain(tokens: Iterable[Any]) -> str:
    out: list[str] = []
    for token in tokens:
        if token is _SEP:
            out.append("\n")
        elif token is _COMMA:
            out.append(",")
        elif isinstance(token, tuple):
            out.append(token[2])
        else:
            out.append(token)
    return "".join(out)


def _item(parts: list[Any]) -> Item | None:
    text = "".join(p[2] if isinstance(p, tuple) else p for p in parts if p is not _COMMA)
    links = tuple(p[1] for p in parts if isinstance(p, tuple))
    notes = [m.strip() for m in _PARENS.findall(text) if m.strip()]
    text = " ".join(_PARENS.sub(" ", text).split()).strip(" ;:-–")
    if not text and not links:
        return None
    return Item(text, links, "; ".join(notes) or None)


def items(value: Any, *, commas: bool = False) -> list[Item]:
    """The values of an infobox field, as :class:`Item`.

    Commas split the value where they separate links, or everywhere with
    ``commas`` (for names, which are text).
    """
    return _items(list(_tokens(value.nodes)), commas)


def is_blank(value: Any) -> bool:
    """Whether parsed wikitext is only whitespace, without writing it out as text.

    Examples
    --------
    >>> import mwparserfromhell
    >>> is_blank(mwparserfromhell.parse(" \\n ")), is_blank(mwparserfromhell.parse(" <!-- -->"))
    (True, False)
    """
    text = _node_types().Text
    return all(isinstance(node, text) and not node.value.strip() for node in value.nodes)


def value_tokens(value: Any) -> list[Any]:
    """A field value walked once, as the tokens :func:`token_items` and
    :func:`token_text` read, so the page's tree can go."""
    return list(_tokens(value.nodes))


def token_items(tokens: list[Any], *, commas: bool = False) -> list[Item]:
    """The items of a walked value (see :func:`items`)."""
    return _items(tokens, commas)


def token_text(tokens: list[Any]) -> str:
    """The plain text of a walked value, on one line, cut to 80 characters."""
    return " ".join(_plain(tokens).split())[:80]


def _items(tokens: list[Any], commas: bool) -> list[Item]:
    groups: list[list[Any]] = [[]]
    for token in tokens:
        if token is _SEP:
            groups.append([])
        else:
            groups[-1].append(token)
    found: list[Item] = []
    for group in groups:
        parts: list[list[Any]] = [[]]
        for token in group:
            if token is _COMMA:
                parts.append([])
            else:
                parts[-1].append(token)
        linked = sum(any(isinstance(t, tuple) for t in part) for part in parts)
        if commas or linked >= 2:
            for part in parts:
                if not commas and linked and not any(isinstance(t, tuple) for t in part):
                    if found and "".join(str(t) for t in part).strip():
                        last = found[-1]  # text between links qualifies the link before it
                        extra = _item(part)
                        note = "; ".join(x for x in (last.note, extra and extra.note) if x)
                        found[-1] = Item(last.text, last.links, note or None)
                    continue
                made = _item(part)
                if made is not None:
                    found.append(made)
        else:
            made = _item(group)
            if made is not None:
                found.append(made)
    return found


def infobox_params(template: Any) -> list[tuple[str, Any]]:
    """The named parameters of an infobox template, as ``(name, value)``, in order."""
    return [(str(p.name).strip(), p.value) for p in template.params if p.showkey]


def portable_labels(code: Any) -> dict[str, str]:
    """A Template: page's portable infobox: each ``<data source>`` with its label.

    A ``<title source="...">`` is labelled "name", since it heads the box.
    """
    labels: dict[str, str] = {}
    for tag in code.filter_tags(recursive=True):
        name = str(tag.tag).strip().lower()
        if name not in ("data", "title") or not tag.has("source"):
            continue
        source = str(tag.get("source").value).strip()
        if name == "title":
            labels.setdefault(source, "name")
            continue
        label = next(
            (plain(t.contents.nodes).strip() for t in tag.contents.filter_tags(recursive=False)
             if str(t.tag).strip().lower() == "label" and t.contents is not None),
            "",
        ) if tag.contents is not None else ""  # fmt: skip
        labels[source] = label or source
    return labels


def has_portable_infobox(code: Any) -> bool:
    """Whether wikitext defines a Fandom portable infobox."""
    return any(str(t.tag).strip().lower() == "infobox" for t in code.filter_tags(recursive=False))


def categories(code: Any, prefixes: Iterable[str]) -> list[str]:
    """The categories a page is in, from its ``[[Category:...]]`` links."""
    folded = tuple(p.lower() + ":" for p in prefixes)
    found = []
    for link in code.filter_wikilinks(recursive=False):  # categories sit at the top level
        title = str(link.title).strip()
        if title.lower().startswith(folded):
            found.append(title.split(":", 1)[1].strip())
    return found


def lead_sentence(code: Any) -> str | None:
    """The first sentence of the lead, as plain text, or ``None``."""
    return first_sentence(top_level(code, ())[2])


def top_level(code: Any, prefixes: Iterable[str]) -> tuple[list[Any], list[str], list[Any]]:
    """One walk of a page's top level: its templates, its categories (from the
    ``[[Category:...]]`` links with one of ``prefixes``) and the nodes of its lead."""
    n = _node_types()
    folded = tuple(p.lower() + ":" for p in prefixes)
    templates: list[Any] = []
    found: list[str] = []
    lead: list[Any] = []
    in_lead = True
    for node in code.nodes:
        if isinstance(node, n.Template):
            templates.append(node)
            continue
        if isinstance(node, n.Wikilink) and folded:
            title = str(node.title).strip()
            if title.lower().startswith(folded):
                found.append(title.split(":", 1)[1].strip())
        if not in_lead:
            continue
        if isinstance(node, n.Heading):
            in_lead = False
        elif not (
            isinstance(node, n.Tag) and str(node.tag).strip().lower() in ("table", "div", "gallery")
        ):
            lead.append(node)
    return templates, found, lead


def first_sentence(lead: list[Any]) -> str | None:
    """The first sentence of the lead's nodes (see :func:`top_level`), or ``None``."""
    for paragraph in re.split(r"\n\s*\n", plain(lead)):
        text = " ".join(paragraph.split())
        if text and not text.startswith(("#", "{", "|", "!")):
            return _SENTENCE_END.split(text, maxsplit=1)[0]
    return None
