"""Reading a MediaWiki XML export: its site information and its pages, streamed.

:func:`open_export` opens what Special:Export or a database dump writes
(``.xml``, ``.xml.gz`` or ``.xml.bz2``, told apart by their first bytes) and
hands the pages to the caller one at a time, with the newest revision of
each, so a dump of any size is read in bounded memory. mwxml does the
reading; the XML beneath it is parsed by defusedxml's ``iterparse``, which
refuses a document type declaration: an export never has one, and without
it no entity can be expanded (a "billion laughs" bomb) and no external
entity can name a file or a URL to read.

Examples
--------
>>> from pathlib import Path
>>> sample = Path(__file__).parents[3] / "tests" / "import" / "wiki-export.xml"
>>> with open_export(sample) as export:
...     export.site.name, [p.title for p in export.pages()][:2]
('Veilwatch Wiki', ['Template:Character', 'Template:Infobox faction'])
"""

from __future__ import annotations

import bz2
import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from .._core.errors import DataFileError

__all__ = ["Export", "SiteInfo", "WikiPage", "open_export"]

_GZIP, _BZIP2 = b"\x1f\x8b", b"BZh"


@dataclass(frozen=True)
class SiteInfo:
    """What the ``<siteinfo>`` block says about the wiki."""

    name: str
    """The wiki's name (``<sitename>``)."""
    base: str | None
    """The address of its main page (``<base>``), from which page addresses derive."""
    namespaces: dict[int, str] = field(default_factory=dict)
    """Namespace names by number: 0 is the articles, 10 Template, 14 Category."""
    first_letter: bool = True
    """Whether titles are case-insensitive in their first letter (``<case>first-letter``)."""


@dataclass(frozen=True)
class WikiPage:
    """One page of the export, at its newest revision."""

    title: str
    """The full title, with its namespace prefix (``Template:Character``)."""
    namespace: int
    """The namespace number (``<ns>``)."""
    redirect: str | None
    """The title this page redirects to, if it is a redirect."""
    revision: int | None
    """The id of the newest revision (``?oldid=``)."""
    text: str
    """The wikitext of the newest revision."""


class Export:
    """An open export: :attr:`site` at once, :meth:`pages` as they are read."""

    def __init__(self, path: Path, handle: IO[bytes] | gzip.GzipFile | bz2.BZ2File) -> None:
        import mwxml
        from defusedxml.ElementTree import iterparse
        from mwxml.element_iterator import ElementIterator, EventPointer

        self.path = path
        self._handle = handle
        events = iterparse(handle, events=("start", "end"), forbid_dtd=True)
        with _errors(path):
            pointer = EventPointer(events)
            _, root = next(pointer)
            tag = root.tag.rpartition("}")[2]
            if tag != "mediawiki":
                raise DataFileError(
                    f"not a MediaWiki export: the root element is <{tag}>, not <mediawiki>",
                    file=path,
                    line=1,
                )
            self._dump = mwxml.Dump.from_element(ElementIterator(root, pointer))
        info = self._dump.site_info
        spaces = {int(ns.id): str(ns.name or "") for ns in info.namespaces or ()}
        self.site = SiteInfo(
            name=str(info.name or path.stem),
            base=str(info.base) if info.base else None,
            namespaces=spaces,
            first_letter=info.case != "case-sensitive",
        )

    def pages(self) -> Iterator[WikiPage]:
        """Each page in file order, with its newest revision (by timestamp, then id)."""
        with _errors(self.path):
            for page in self._dump.pages:
                newest: Any = None
                for revision in page:
                    if newest is None or _newer(revision, newest):
                        newest = revision
                yield WikiPage(
                    title=str(page.title),
                    namespace=int(page.namespace or 0),
                    redirect=str(page.redirect) if page.redirect else None,
                    revision=int(newest.id) if newest is not None and newest.id else None,
                    text=str(newest.text or "") if newest is not None else "",
                )


def _newer(a: Any, b: Any) -> bool:
    key_a = (str(a.timestamp or ""), int(a.id or 0))
    key_b = (str(b.timestamp or ""), int(b.id or 0))
    return key_a > key_b


@contextmanager
def _errors(path: Path) -> Iterator[None]:
    """Turn what the decompressors and parsers raise into a one-line DataFileError."""
    from defusedxml import DefusedXmlException
    from mwxml.errors import MalformedXML

    try:
        yield
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise DataFileError(
            f"column {column}: XML is not well-formed ({reason})", file=path, line=line
        ) from exc
    except DefusedXmlException as exc:
        raise DataFileError(
            "refusing a document type declaration (DTD): a MediaWiki export has none, and "
            "its entities could read files or expand without end",
            file=path,
        ) from exc
    except MalformedXML as exc:
        raise DataFileError(f"not a MediaWiki export: {exc}", file=path) from exc
    except StopIteration as exc:
        raise DataFileError("the file is empty", file=path) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataFileError(
            f"the compressed file is corrupt or cut short: {exc}", file=path
        ) from exc
    except OSError as exc:
        if exc.errno is None:  # bz2 and gzip raise a bare OSError for bad data
            raise DataFileError(f"the compressed file is corrupt: {exc}", file=path) from exc
        raise DataFileError(f"cannot read: {exc.strerror or exc}", file=path) from exc


@contextmanager
def open_export(path: str | Path) -> Iterator[Export]:
    """Open a MediaWiki XML export, plain or compressed with gzip or bzip2.

    Raises
    ------
    DataFileError
        When the file cannot be read, is not well-formed XML (the message
        gives line and column), is not a MediaWiki export, has a document
        type declaration, or is a corrupt archive.
    """
    source = Path(path)
    try:
        raw = open(source, "rb")  # noqa: SIM115  (closed below)
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror or exc}", file=source) from exc
    with raw:
        magic = raw.read(3)
        raw.seek(0)
        handle: IO[bytes] | gzip.GzipFile | bz2.BZ2File = raw
        if magic.startswith(_GZIP):
            handle = gzip.open(raw, "rb")  # noqa: SIM115  (closed below)
        elif magic == _BZIP2:
            handle = bz2.open(raw, "rb")  # noqa: SIM115  (closed below)
        with handle:
            yield Export(source, handle)
