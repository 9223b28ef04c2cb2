"""Jupyter: HTML tables, the inline page, DataFrames, and docs/notebook.ipynb run for real.

The notebook is executed by nbclient in a real ipykernel (over IPC, not TCP);
its outputs are asserted, and the inline page is taken from the executed
output and opened in Debian's Chromium through Playwright, with every
http(s) request refused, where it must draw every node and answer a search.
"""

from __future__ import annotations

import gc
import html
import re
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import lorekit
from lorekit import Character, Citation, Faction, LoreGraph, Statement, Universe, UniverseInfo

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
RLO = "\u202e"
EVIL = f"<script>window.__pwned=1</script>{RLO}kcatta\u202c \"q\" 'q' &amp;"


@pytest.fixture(scope="module")
def evil() -> LoreGraph:
    """A universe whose every string is markup and bidi controls."""
    cite = (Citation(source="w", locator=f"¶<b>1</b>{RLO}"),)
    return LoreGraph(
        Universe(
            info=UniverseInfo(id="evil", name=EVIL),
            entities=(
                Character(id="a", name=f"A {EVIL}"),
                Faction(id="b", name=f"B {EVIL}"),
                lorekit.Work(id="w", name=f"W {EVIL}", release_date="2020-01-01"),
                lorekit.Work(id="v", name=f"V {EVIL}", release_date="2021-01-01"),
            ),
            statements=(
                Statement(subject="a", predicate="member_of", object="b", sources=cite, note=EVIL),
                Statement(subject="a", predicate="appears_in", object="w", sources=cite),
                Statement(subject="v", predicate="set_after", object="w", sources=cite),
            ),
        )
    )


class _Cells(HTMLParser):
    """Every text node of a fragment, and whether it sits inside a <bdi>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[tuple[str, bool]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.texts.append((data, "bdi" in self._open))


def _parse(fragment: str) -> _Cells:
    parser = _Cells()
    parser.feed(fragment)
    parser.close()
    return parser


def _reprs(evil: LoreGraph) -> dict[str, str]:
    q = lorekit.SparqlQuery.from_text(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?name WHERE { ?x rdfs:label ?name } ORDER BY ?name"
    )
    path = evil.path("a", "w")
    assert path is not None
    return {
        "graph": evil._repr_html_(),
        "relations": evil.relations("a")._repr_html_(),
        "path": path._repr_html_(),
        "timeline": evil.timeline()._repr_html_(),
        "query": lorekit.run_query(evil, q)._repr_html_(),
    }


def test_every_repr_escapes_markup_and_isolates_bidi(evil: LoreGraph) -> None:
    for what, fragment in _reprs(evil).items():
        parsed = _parse(fragment)
        assert set(parsed.tags) <= {
            "table",
            "caption",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "bdi",
            "b",
            "small",
        }, what
        assert "<script>" not in fragment and RLO not in fragment.split("<bdi>")[0], what
        hostile = [text for text, _ in parsed.texts if RLO in text or "<script>" in text]
        assert hostile, what  # the data is there, as text
        assert all(inside for text, inside in parsed.texts if RLO in text), what


def test_reprs_show_the_data(lore: LoreGraph) -> None:
    rows = _parse(lore.relations("Eve Macarro", "portrayed_by")._repr_html_()).texts
    assert ("Ana de Armas", True) in rows and ("production", False) in rows
    path = lore.path("Ana de Armas", "Ian McShane")
    assert path is not None
    names = [t for t, inside in _parse(path._repr_html_()).texts if inside]
    assert names[:3] == ["Ana de Armas", "plays", "Eve Macarro"]
    rows_of = re.findall(r"<tr><td>(\d+)</td><td><bdi>(.*?)</bdi>", lore.timeline()._repr_html_())
    expected = [(str(e.position + 1), e.entity.name) for e in lore.timeline().entries()]
    assert [(n, html.unescape(name)) for n, name in rows_of] == expected
    graph = lore._repr_html_()
    assert f"{len(lore)} entities, {len(lore.statements)} statements" in graph
    spoiler_free = lore.as_of("john-wick-2014")._repr_html_()
    assert "as of John Wick" in html.unescape(spoiler_free)


def test_relations_are_still_a_list(lore: LoreGraph) -> None:
    found = lore.relations("Kikimora")
    assert isinstance(found, list) and isinstance(found, lorekit.Relations)
    assert found == list(found) and found[:1] == [found[0]]
    assert [str(r) for r in found] == [str(r) for r in list(found)]
    assert lore.relations("Kikimora", "portrayed_by") == []


def test_dataframes(lore: LoreGraph) -> None:
    import pandas

    frame = lore.relations("Eve Macarro").to_dataframe()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == len(lore.relations("Eve Macarro"))
    assert frame.loc[frame.predicate == "portrayed_by", "other_name"].tolist() == ["Ana de Armas"]
    every = lore.relations_frame()
    assert len(every) == len(lore.statements)
    assert set(every.layer) == {s.layer for s in lore.statements}
    members = lore.relations_frame(predicate="has_member")  # either reading names it
    assert set(members.predicate) == {"member_of"}
    assert len(members) == sum(s.predicate == "member_of" for s in lore.statements)
    assert lorekit.relations_frame(lore, "Eve Macarro", layer="production").equals(
        lore.relations("Eve Macarro", layer="production").to_dataframe()
    )
    result = lorekit.run_query(lore, "faction-members", bindings={"faction": "Ruska Roma"})
    q = result.to_dataframe()
    assert list(q.columns) == list(result.variables) and q.to_dict("records") == result.records()
    with pytest.raises(lorekit.UnknownPredicateError, match="did you mean"):
        lore.relations_frame(predicate="member_off")


def test_dataframes_without_pandas_say_what_to_install(
    lore: LoreGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'lorekit\[pandas\]'"):
        lore.relations_frame()
    with pytest.raises(ModuleNotFoundError, match=r"lorekit\[pandas\]"):
        lore.relations("Eve").to_dataframe()


def test_inline_page_is_the_file_page_in_a_sandboxed_srcdoc(evil: LoreGraph) -> None:
    frame = evil.page(height=450)._repr_html_()
    match = re.fullmatch(r'<iframe ([^>]*) srcdoc="([^"]*)"></iframe>', frame)
    assert match is not None
    assert 'sandbox="allow-scripts"' in match.group(1)  # no allow-same-origin
    assert "height:450px" in match.group(1)
    assert html.unescape(match.group(2)) == evil.to_html()
    assert "<" not in match.group(2) and ">" not in match.group(2)
    with pytest.raises(ValueError):
        evil.page(height=10)


# --- the notebook, run ------------------------------------------------------------------
@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import nbclient
    import nbformat
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel talks over Unix sockets (an absolute path: it runs in docs/), no TCP port
    sockets = tmp_path_factory.mktemp("kernel") / "k"
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets))
    client = nbclient.NotebookClient(
        nb, km=km, timeout=180, resources={"metadata": {"path": str(ROOT / "docs")}}
    )
    client.execute()
    # jupyter_client leaves its zmq sockets to the collector, which warns of each
    # (ResourceWarning, an error here): collect them now, with that warning ignored
    del client, km
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    return nb


def _outputs(nb: Any) -> list[dict[str, Any]]:
    """The data of each code cell's result, in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, errors
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            found.append(results[-1]["data"] if results else {})
    return found


def test_notebook_runs_and_shows_tables(executed: Any, lore: LoreGraph) -> None:
    outputs = _outputs(executed)
    graph, relations, path, timeline, query, query_frame, frame, page = outputs
    assert graph["text/html"] == lore._repr_html_()
    assert relations["text/html"] == lore.relations("Eve Macarro", layer="lore")._repr_html_()
    found = lore.path("Ana de Armas", "Ian McShane")
    assert found is not None and path["text/html"] == found._repr_html_()
    assert timeline["text/html"] == lore.timeline()._repr_html_()
    assert "Eve Macarro&#x27;s father" in query["text/html"]
    assert 'class="dataframe"' in query_frame["text/html"]
    assert "eve-macarro-father" in query_frame["text/plain"]
    assert 'class="dataframe"' in frame["text/html"] and "portrayed_by" in frame["text/plain"]
    assert page["text/html"].startswith('<iframe sandbox="allow-scripts"')


_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _open_output(
    browser: Any, fragment: str, tmp_path: Path
) -> tuple[Any, Any, dict[str, list[str]]]:
    """Open an output the way a notebook holds it: in a page of its own, offline."""
    host = tmp_path / "notebook-output.html"
    host.write_text(f"<!DOCTYPE html><html><body>{fragment}</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    seen: dict[str, list[str]] = {"requests": [], "refused": [], "errors": [], "dialogs": []}

    def route(r: Any) -> None:
        if re.match(r"(https?|wss?):", r.request.url):
            seen["refused"].append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.on("request", lambda req: seen["requests"].append(req.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.add_init_script(_WATCH)
    page.goto(host.as_uri())
    page.wait_for_selector("iframe")
    frame = page.frames[1]
    frame.wait_for_selector("body[data-state=ready]", timeout=30_000)
    return page, frame, seen


def test_inline_page_from_the_notebook_draws_in_chromium(
    executed: Any, browser: Any, lore: LoreGraph, tmp_path: Path
) -> None:
    fragment = _outputs(executed)[-1]["text/html"]
    page, frame, seen = _open_output(browser, fragment, tmp_path)
    positions = frame.evaluate("Object.keys(lorePage.network.getPositions()).length")
    assert positions == len(lore)
    shown = frame.evaluate(
        "Object.values(lorePage.network.body.nodes)"
        ".filter(n => !n.options.hidden).map(n => lorePage.slugOf(n.id))"
    )
    assert set(shown) == {e.id for e in lore.entities()}
    # a feature of the file page: search, then the side panel and the address
    frame.locator("#search").fill("Baba Yaga")
    frame.locator("#search").press("Enter")
    frame.wait_for_function("() => lorePage.selected() === 'john-wick'")
    assert frame.locator("#panel-name").inner_text() == "John Wick"
    assert frame.evaluate("location.hash") == "#john-wick"
    # the filters and the spoiler horizon, as in the file page
    visible = (
        "Object.values(lorePage.network.body.edges).filter(e => !e.options.hidden"
        " && !e.from.options.hidden && !e.to.options.hidden).length"
    )
    every = frame.evaluate(visible)
    frame.locator("#layer-reception").uncheck()
    reception = sum(s.layer == "reception" for s in lore.statements)
    assert frame.evaluate(visible) == every - reception
    frame.locator("#reset").click()
    chapter_3 = frame.evaluate(
        "() => Array.from(document.querySelectorAll('#horizon-select option'))"
        ".find(o => o.textContent.startsWith('John Wick: Chapter 3')).value"
    )
    frame.locator("#horizon-select").select_option(chapter_3)
    drawn = set(
        frame.evaluate(
            "Object.values(lorePage.network.body.nodes)"
            ".filter(n => !n.options.hidden).map(n => lorePage.slugOf(n.id))"
        )
    )
    assert {e.id for e in lore.as_of("Chapter 3").entities()} == drawn
    # sandboxed: the page cannot reach the notebook around it
    assert (
        frame.evaluate(
            "(() => { try { return parent.document.title; } catch (e) { return 'no'; } })()"
        )
        == "no"
    )
    assert frame.evaluate("window.__cspViolations") == []
    assert seen["refused"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    assert [u for u in seen["requests"] if not u.startswith(("file:", "about:", "data:"))] == []
    page.context.close()


def test_hostile_inline_page_runs_nothing(browser: Any, evil: LoreGraph, tmp_path: Path) -> None:
    page, frame, seen = _open_output(browser, evil.page()._repr_html_(), tmp_path)
    frame.wait_for_timeout(300)
    assert frame.evaluate("window.__pwned === undefined") and page.evaluate(
        "window.__pwned === undefined"
    )
    assert frame.locator("#title").inner_text() == EVIL
    assert frame.evaluate("document.scripts.length") == 4
    assert seen["dialogs"] == [] and seen["errors"] == []
    page.context.close()
