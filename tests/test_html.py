"""The graph page: generated offline and safe, then driven in a real browser.

The first tests read the generated file. The rest open it in Debian's
Chromium through Playwright with every http(s) request refused, and use the
page as a reader would: search, filters, clicks, the address bar, a phone
screen. Without Chromium those skip with a loud reason; under ``CI=true`` a
missing browser is a failure.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import lorekit
from lorekit import Character, Faction, LoreGraph, Place, Statement, Universe, UniverseInfo, Work
from lorekit._views.page.data import _horizon_count, page_data
from lorekit._views.page.html import render_page, script_json
from lorekit._views.page.records import Items, Text, Var, compact_json, compile_shape, edges_json

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"


# --- the file ---------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile() -> LoreGraph:
    return lorekit.load(HOSTILE)


def test_page_is_one_file_that_loads_nothing(lore: LoreGraph) -> None:
    tags = _parse(lore.to_html())
    names = [t for t, _ in tags.tags]
    assert names.count("script") == 4  # the data, vis-network, the layout, the page
    assert not {"img", "iframe", "object", "embed", "base", "form"} & set(names)
    for tag, attrs in tags.tags:
        assert "src" not in attrs, tag
        if "href" in attrs:
            assert (tag, attrs["href"]) == ("link", "data:,")
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)


def test_csp_allows_exactly_the_page_scripts_and_no_network(lore: LoreGraph) -> None:
    tags = _parse(lore.to_html())
    [csp] = [a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None
    policy = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert policy["default-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    code = tags.scripts[1:]  # the first is the JSON data, which never runs
    assert sorted(policy["script-src"].split()) == sorted(digest(s) for s in code)
    assert policy["style-src"].split() == [digest(s) for s in tags.styles]


def test_hostile_text_stays_inside_the_json(hostile: LoreGraph) -> None:
    page = hostile.to_html()
    tags = _parse(page)
    assert [t for t, _ in tags.tags].count("script") == 4
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page and "<iframe" not in page
    data = json.loads(tags.scripts[0])
    assert data == json.loads(json.dumps(page_data(hostile)))
    names = {n["lore"]["id"]: n["lore"]["name"] for n in data["nodes"]}
    assert names["constructor"] == "</script><script>window.__pwned='name'</script>"
    assert "\u2028" in data["nodes"][0]["lore"]["description"]
    # the template's slots are filled once: slot names in the data stay as they are
    assert "{{data}} {{page_js}} $1 \\1 \\g<0>" in data["nodes"][0]["lore"]["description"]


def test_script_json_escapes_what_could_end_the_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_page_writes_exactly_the_data_of_page_data(lore: LoreGraph, hostile: LoreGraph) -> None:
    # to_html writes the nodes' and edges' JSON from their shapes, without
    # dictionaries; the text must be canonical JSON, as script_json(page_data(...)) is
    odd = Statement(
        subject="c1", predicate="ally_of", object="c2", sources=["w0"], note="100% «sure» %s"
    )
    big = synthetic(300)
    big = LoreGraph(big.universe.model_copy(update={"statements": (*big.statements, odd)}))
    for graph in (lore, hostile, big):
        assert graph.to_html() == render_page(page_data(graph))
    edges = page_data(lore)["edges"]
    assert any("smooth" in e for e in edges) and any(e["lore"]["note"] for e in edges)
    assert any(c["locator"] for e in edges for c in e["lore"]["sources"])


def test_a_shape_compiles_to_the_json_of_its_values() -> None:
    shape = {
        "id": Text("s", Var("index")),
        "title": Text(Var("name"), " —100%→ </script>"),
        "items": Items("items"),
        "lore": {"note": Var("note"), "const": {"a": [1, 2], "b": False, "%s": None}},
    }
    template, slots = compile_shape(shape)
    assert slots == ("index", "name", "items", "note")
    values = {"index": 7, "name": "Eve «%s»", "items": '"a","b"', "note": "null"}
    filled = template % tuple(values[s] for s in slots)
    expected = {
        "id": "s7",
        "title": "Eve «%s» —100%→ </script>",
        "items": ["a", "b"],
        "lore": {"note": None, "const": {"a": [1, 2], "b": False, "%s": None}},
    }
    assert filled == compact_json(expected)


def test_a_record_that_misses_a_slot_fails_at_once(lore: LoreGraph) -> None:
    from unittest import mock

    from lorekit._views.page import records

    real = records.edge_shape

    def shape(predicate: str, layer: Any, curved: bool) -> dict[str, Any]:
        return {**real(predicate, layer, curved), "extra": Var("extra")}

    by_id = {e.id: e for e in lore.entities()}
    index = {e: i for i, e in enumerate(by_id)}
    with (
        mock.patch.object(records, "edge_shape", shape),
        pytest.raises(AssertionError, match="extra"),
    ):
        edges_json(lore.statements, by_id, index)


def test_nodes_and_edges_follow_the_registry(lore: LoreGraph) -> None:
    data = page_data(lore)
    assert len(data["nodes"]) == len(lore)
    assert len(data["edges"]) == len(lore.statements)
    for edge in data["edges"]:
        kind = lorekit.RELATIONS[edge["lore"]["predicate"]]
        assert edge["label"] == kind.label
        assert edge["lore"]["layer"] == kind.layer
        assert ("arrows" in edge) is not kind.symmetric
    dashes = {e["lore"]["layer"]: e["dashes"] for e in data["edges"]}
    assert dashes["lore"] is False
    assert (
        dashes["reception"] and dashes["production"] and dashes["reception"] != dashes["production"]
    )
    shapes = {n["kind"]: n["shape"] for n in data["nodes"]}
    assert len(set(shapes.values())) == len(shapes)  # each kind has a shape of its own
    john = next(n for n in data["nodes"] if n["lore"]["id"] == "john-wick")
    assert john["lore"]["titles"] == [{"id": "baba-yaga", "name": "Baba Yaga"}]


def test_generation_does_not_import_pyvis() -> None:
    code = (
        "import sys, lorekit\n"
        "lorekit.load().to_html()\n"
        "print(','.join(m for m in ('pyvis', 'IPython', 'jinja2') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_cli_writes_the_page(tmp_path: Path) -> None:
    exe = shutil.which("lorekit", path=str(Path(sys.executable).parent))
    assert exe is not None
    out = tmp_path / "lore.html"
    result = subprocess.run(
        [exe, "html", "-o", str(out), "--title", "Wick <3"],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    entities = len(list(lorekit.load().entities()))
    assert "wrote" in result.stderr and f"{entities} entities" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>Wick &lt;3</title>" in page
    bad = subprocess.run(
        [exe, "html", "-o", str(tmp_path / "missing" / "x.html")],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "LOREKIT_CACHE_DIR": os.environ["LOREKIT_CACHE_DIR"],
        },
        timeout=60,
    )
    assert bad.returncode == 1 and "cannot write" in bad.stderr
    assert not (tmp_path / "missing").exists()


# --- in the browser -----------------------------------------------------------


@dataclass
class Visit:
    """A page opened with the network refused, and what it tried."""

    page: Any
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[Any]:
        return list(self.page.evaluate("window.__cspViolations"))

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def panel_text(self) -> str:
        return str(self.page.locator("#panel").inner_text())


_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""

Opener = Callable[..., Visit]


@pytest.fixture
def open_page(browser: Any) -> Iterator[Opener]:
    """Open a page offline: any http(s) or ws(s) request is recorded and aborted."""
    contexts: list[Any] = []

    def open_(path: Path, fragment: str = "", *, width: int = 1280, height: int = 800) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page)

        def route(r: Any) -> None:
            url = r.request.url
            if re.match(r"(https?|wss?):", url):
                visit.refused.append(url)
                r.abort()
            else:
                r.continue_()

        context.route("**/*", route)
        page.on("request", lambda req: visit.requests.append(req.url))
        page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: visit.errors.append(str(e)))
        page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
        page.add_init_script(_WATCH)
        page.goto(path.as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        return visit

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def jw_page(lore: LoreGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "john-wick.html"
    lore.to_html(path)
    return path


@pytest.fixture(scope="module")
def hostile_page(hostile: LoreGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "hostile.html"
    hostile.to_html(path)
    return path


def _assert_clean(visit: Visit) -> None:
    assert visit.refused == []
    assert [u for u in visit.requests if not u.startswith(("file:", "data:"))] == []
    assert visit.violations() == []
    assert visit.errors == []
    assert visit.dialogs == []


def _shown_nodes(visit: Visit) -> set[str]:
    """Nodes vis-network draws: not hidden in its own state."""
    return set(
        visit.eval(
            "Object.values(lorePage.network.body.nodes)"
            ".filter(n => !n.options.hidden).map(n => lorePage.slugOf(n.id))"
        )
    )


def _shown_edges(visit: Visit) -> list[str]:
    return list(
        visit.eval(
            "Object.values(lorePage.network.body.edges)"
            ".filter(e => !e.options.hidden && !e.from.options.hidden && !e.to.options.hidden)"
            ".map(e => e.id)"
        )
    )


def _click_node(visit: Visit, node_id: str) -> None:
    """Click where a node is drawn, once the camera has stopped moving.

    The camera is first centred on the node, so that in a big graph it is on
    screen and not under another node.
    """
    visit.eval(
        """async (slug) => {
          const net = lorePage.network;
          await new Promise((done) => setTimeout(done, 120));
          net.focus(lorePage.idOf(slug), {scale: 1.5, animation: false});
          const view = () => JSON.stringify([net.getViewPosition(), net.getScale()]);
          for (let last = view(); ; ) {
            await new Promise((done) => setTimeout(done, 120));
            if (view() === last) return;
            last = view();
          }
        }""",
        node_id,
    )
    x, y = visit.eval(
        """(slug) => {
          const net = lorePage.network;
          const p = net.canvasToDOM(net.getPosition(lorePage.idOf(slug)));
          const box = document.querySelector('#graph canvas').getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    visit.page.mouse.click(x, y)


def test_page_loads_offline_and_draws_every_entity(
    open_page: Opener, jw_page: Path, lore: LoreGraph
) -> None:
    visit = open_page(jw_page)
    _assert_clean(visit)
    assert len(visit.eval("Object.keys(lorePage.network.getPositions())")) == len(lore)
    assert _shown_nodes(visit) == {e.id for e in lore.entities()}
    painted = visit.eval(
        """() => {
          const c = document.querySelector('#graph canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        }"""
    )
    assert painted > 5_000  # the canvas really holds a drawing
    assert visit.page.locator("#title").inner_text() == lore.name
    summary = visit.page.locator("#summary").inner_text()
    assert f"{len(lore)} entities" in summary and f"{len(lore.statements)} statements" in summary


def test_the_network_guard_catches_requests(open_page: Opener, jw_page: Path) -> None:
    """The harness itself: a request the page did make would be seen and refused."""
    visit = open_page(jw_page)
    # markup that did get in could not run: the policy refuses it, and says so
    visit.eval(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__pwned = 1'; document.body.append(s); }"
    )
    assert visit.violations() and visit.eval("window.__pwned === undefined")
    blank = visit.page.context.new_page()
    blank.goto("about:blank")
    blank.evaluate("fetch('http://lorekit.invalid/x').catch(() => null)")
    blank.wait_for_timeout(200)
    assert visit.refused == ["http://lorekit.invalid/x"]


def test_search_baba_yaga_selects_john_wick(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page)
    page = visit.page
    page.locator("#search").fill("Baba Yaga")
    options = page.locator("#results [role=option]")
    assert options.first.locator(".result-name").inner_text() == "John Wick"
    assert "holds the title Baba Yaga" in options.first.inner_text()
    assert "Baba Yaga" in options.nth(1).locator(".result-name").inner_text()  # the title itself
    page.locator("#search").press("Enter")
    page.wait_for_function("() => location.hash === '#john-wick'")
    assert page.locator("#panel-name").inner_text() == "John Wick"
    assert visit.eval("lorePage.network.getSelectedNodes().map(lorePage.slugOf)") == ["john-wick"]
    # aliases match as you type, and the keyboard walks the list
    page.locator("#search").fill("jardani")
    assert options.first.locator(".result-name").inner_text() == "John Wick"
    page.locator("#search").fill("macarro")
    assert options.locator(".result-name").all_inner_texts() == [
        "Eve Macarro",  # an alias, exactly
        "Eve Macarro's father",  # names before aliases
        "Murder of Eve's family",  # alias "murder of Eve Macarro's family"
    ]
    page.locator("#search").press("ArrowDown")
    page.locator("#search").press("Enter")
    page.wait_for_function("() => location.hash === '#eve-macarro-father'")
    _assert_clean(visit)


def test_kind_filter_hides_every_person(open_page: Opener, jw_page: Path, lore: LoreGraph) -> None:
    visit = open_page(jw_page)
    people = {e.id for e in lore.entities(kind="person")}
    assert people and people <= _shown_nodes(visit)
    visit.page.get_by_label("People").uncheck()
    shown = _shown_nodes(visit)
    assert not people & shown
    assert shown == {e.id for e in lore.entities()} - people
    assert f"of {len(list(lore.entities()))} entities" in visit.page.locator("#status").inner_text()
    visit.page.get_by_label("People").check()
    assert people <= _shown_nodes(visit)


def test_layer_toggle_hides_reception_edges(
    open_page: Opener, jw_page: Path, lore: LoreGraph
) -> None:
    visit = open_page(jw_page)
    layer_of = {e["id"]: e["lore"]["layer"] for e in page_data(lore)["edges"]}
    before = _shown_edges(visit)
    assert {layer_of[e] for e in before} == {"lore", "production", "reception"}
    visit.page.locator("#layer-reception").uncheck()
    after = _shown_edges(visit)
    assert {layer_of[e] for e in after} == {"lore", "production"}
    assert len(after) == len(before) - 1
    visit.page.locator("#layer-production").uncheck()
    assert {layer_of[e] for e in _shown_edges(visit)} == {"lore"}
    visit.page.locator("#reset").click()
    assert len(_shown_edges(visit)) == len(before)


def test_relation_filter_hides_one_predicate(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page)
    n = len(_shown_edges(visit))
    visit.page.locator("#relation-filter > summary").click()
    visit.page.locator("#rel-appears_in").uncheck()
    predicates = visit.eval(
        "(ids) => ids.map(id => lorePage.edges.get(id).lore.predicate)", _shown_edges(visit)
    )
    assert "appears_in" not in predicates and len(predicates) < n


def test_clicking_eve_shows_her_faction_and_the_review(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page)
    page = visit.page
    _click_node(visit, "eve-macarro")
    page.wait_for_function("() => location.hash === '#eve-macarro'")
    assert page.locator("#panel-name").inner_text() == "Eve Macarro"
    text = visit.panel_text()
    assert "Also known as Eve, Macarro" in text
    assert "raised within the Ruska Roma" in text  # the description
    member_of = page.locator(".group", has=page.locator("h4", has_text="member of"))
    assert member_of.get_by_role("button", name="Ruska Roma").is_visible()
    assert "a highly trained assassin of the syndicate" in member_of.inner_text()
    assert "Screen Scribe review of Ballerina, ¶2" in member_of.inner_text()
    assert "Eve is emotionally flat as a character." in text  # a critic's note
    assert "Screen Scribe review of Ballerina, ¶4" in text
    assert "Ana de Armas" in text and "portrayed by" in text
    member_of.get_by_role("button", name="Ruska Roma").click()
    page.wait_for_function("() => location.hash === '#ruska-roma'")
    assert page.locator("#panel-name").inner_text() == "Ruska Roma"
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('#panel-name').textContent === 'Eve Macarro'"
    )
    _assert_clean(visit)


def test_deep_link_opens_with_the_entity_selected(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page, "eve-macarro")
    page = visit.page
    assert page.locator("#panel-name").inner_text() == "Eve Macarro"
    assert visit.eval("lorePage.network.getSelectedNodes().map(lorePage.slugOf)") == ["eve-macarro"]
    page.evaluate("location.hash = 'john-wick'")
    page.wait_for_function(
        "() => document.querySelector('#panel-name').textContent === 'John Wick'"
    )
    _click_node(visit, "ruska-roma")
    page.wait_for_function("() => location.hash === '#ruska-roma'")
    page.keyboard.press("Escape")
    assert page.locator("#panel").is_hidden()
    unknown = open_page(jw_page, "no-such-entity")
    assert unknown.page.locator("#panel").is_hidden()
    _assert_clean(unknown)


def test_neighbourhood_mode_shows_what_is_near(
    open_page: Opener, jw_page: Path, lore: LoreGraph
) -> None:
    visit = open_page(jw_page, "kikimora")
    page = visit.page
    page.locator("#hood-on").check()
    near = {e.id for e in lore.neighbourhood("Kikimora", 1).entities()}
    assert _shown_nodes(visit) == near
    page.locator("#hood-depth").fill("2")
    page.locator("#hood-depth").press("Enter")
    page.locator("#hood-depth").blur()
    assert _shown_nodes(visit) == {e.id for e in lore.neighbourhood("Kikimora", 2).entities()}
    # with the lore layer alone, casting and critics no longer lead anywhere
    page.locator("#layer-production").uncheck()
    page.locator("#layer-reception").uncheck()
    lore_only = _shown_nodes(visit)
    assert "ana-de-armas" not in lore_only and "ruska-roma" in lore_only
    page.locator("#hood-on").uncheck()
    assert len(_shown_nodes(visit)) == len(lore)


def test_positions_stay_still(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page)
    first = visit.eval("lorePage.network.getPositions()")
    visit.page.wait_for_timeout(1500)
    assert visit.eval("lorePage.network.getPositions()") == first
    assert visit.eval("lorePage.network.physics.options.enabled") is False
    again = open_page(jw_page)  # and the layout is the same every time
    assert again.eval("lorePage.network.getPositions()") == first


def test_phone_width_keeps_the_controls_reachable(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page, width=390, height=800)
    page = visit.page

    def on_screen(selector: str) -> bool:
        box = page.locator(selector).bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5

    assert on_screen("#search") and on_screen("#filters > summary")
    assert on_screen("#horizon-select")
    assert page.locator("#graph canvas").bounding_box()["height"] > 250
    # the keyboard reaches the search, the "as of" (and "at") selectors, then the filters
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("Winston")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#winston'")
    assert on_screen("#panel") and page.locator("#panel-name").is_visible()
    assert page.locator("#panel .close").is_visible()
    page.locator("#panel .close").click()
    page.locator("#search").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "horizon-select"
    page.keyboard.press("Tab")
    if page.locator("#story").is_visible():  # data with spans: the "At" selector comes next
        assert on_screen("#story-select")
        assert page.evaluate("document.activeElement.id") == "story-select"
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('summary') !== null")
    page.keyboard.press("Enter")
    assert page.locator("#kind-person").is_visible() and on_screen("#kind-person")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first layer toggle
    assert not page.locator("#layer-lore").is_checked()


def test_hostile_data_renders_as_text_and_runs_nothing(
    open_page: Opener, hostile_page: Path, hostile: LoreGraph
) -> None:
    visit = open_page(hostile_page, "constructor")
    page = visit.page
    name = hostile.entity("constructor").name
    assert page.locator("#panel-name").inner_text() == name
    assert page.title() == hostile.name
    assert page.locator("#title").inner_text() == hostile.name
    text = visit.panel_text()
    for alias in hostile.entity("constructor").aliases:
        assert alias in text
    assert "<img src=x onerror=\"window.__pwned='note'\">" in text  # a statement's note
    assert "<script>window.__pwned='note text'</script>" in text  # a note
    assert "Evil source, <img src=x" in text  # a source and its locator
    # search renders names in its list; tooltips show them on hover
    page.locator("#search").fill("<img")
    assert page.locator("#results [role=option]").count() >= 2
    page.locator("#search").press("Escape")
    for node_id in ("proto", "has-own-property", "hostile-work", "hostile-source"):
        page.evaluate("(id) => { location.hash = id; }", node_id)
        page.wait_for_function("(id) => lorePage.selected() === id", arg=node_id)
        assert page.locator("#panel-name").inner_text() == hostile.entity(node_id).name
    assert "javascript:alert('url')" in visit.panel_text()  # shown, not linked
    page.locator("#fit").click()
    page.wait_for_timeout(500)
    tooltip = page.locator("div.vis-tooltip")
    for node_id in ("constructor", "proto", "hostile-title", "hostile-source"):
        x, y = visit.eval(
            """(slug) => { const net = lorePage.network;
                 const p = net.canvasToDOM(net.getPosition(lorePage.idOf(slug)));
                 const b = document.querySelector('#graph canvas').getBoundingClientRect();
                 return [b.left + p.x, b.top + p.y]; }""",
            node_id,
        )
        page.mouse.move(x, y)
        tooltip.wait_for(state="visible")
        kind = "title" if node_id == "hostile-title" else hostile.entity(node_id).kind
        assert tooltip.inner_text() == f"{hostile.entity(node_id).name} ({kind})"
        page.mouse.move(1, 1)
    page.wait_for_timeout(300)
    assert visit.eval("window.__pwned === undefined")
    assert visit.eval("document.querySelectorAll('img, iframe, object, embed, a').length") == 0
    assert visit.eval("document.scripts.length") == 4
    assert (
        visit.eval(
            "[...document.querySelectorAll('*')].some(e => [...e.attributes]"
            ".some(a => a.name.startsWith('on')))"
        )
        is False
    )
    _assert_clean(visit)


# --- at scale ---------------------------------------------------------------
def synthetic(n: int, *, seed: int = 1) -> LoreGraph:
    """A universe of ``n`` entities: characters in factions, works and places."""
    rng = random.Random(seed)
    nf, nw, np_ = n // 20, n // 40, n // 20
    nc = n - nf - nw - np_
    chars = [Character(id=f"c{i}", name=f"Character {i}") for i in range(nc)]
    facs = [Faction(id=f"f{i}", name=f"Faction {i}") for i in range(nf)]
    works = [Work(id=f"w{i}", name=f"Work {i}") for i in range(nw)]
    places = [Place(id=f"p{i}", name=f"Place {i}") for i in range(np_)]
    statements: dict[tuple[str, str, str], Statement] = {}

    def add(s: str, p: str, o: str) -> None:
        if s != o:
            statements[(s, p, o)] = Statement(subject=s, predicate=p, object=o, sources=["w0"])

    for i, c in enumerate(chars):
        add(c.id, "member_of", facs[i % nf].id)
        add(c.id, "appears_in", works[rng.randrange(nw)].id)
        if rng.random() < 0.5:
            add(c.id, "ally_of", chars[rng.randrange(nc)].id)
        if rng.random() < 0.3:
            add(c.id, "located_in", places[rng.randrange(np_)].id)
    for i in range(1, nf):
        add(facs[i].id, "part_of", facs[rng.randrange(i)].id)
    universe = Universe(
        info=UniverseInfo(id="synthetic", name=f"Synthetic {n}"),
        entities=(*chars, *facs, *works, *places),
        statements=tuple(statements.values()),
    )
    return LoreGraph(universe)


def test_two_thousand_entities_are_usable_within_seconds(open_page: Opener, tmp_path: Path) -> None:
    big = synthetic(2000)
    path = tmp_path / "big.html"
    started = time.perf_counter()
    big.to_html(path)
    generated = time.perf_counter() - started
    assert generated < 3
    started = time.perf_counter()
    visit = open_page(path)
    ready = time.perf_counter() - started
    assert ready < 10, f"ready after {ready:.1f} s"
    assert len(visit.eval("Object.keys(lorePage.network.getPositions())")) == 2000
    visit.page.locator("#search").fill("Character 1234")
    visit.page.locator("#search").press("Enter")
    visit.page.wait_for_function("() => location.hash === '#c1234'")
    some = "lorePage.network.getPositions(['c1', 'c1234', 'f3'].map(lorePage.idOf))"
    first = visit.eval(some)
    visit.page.wait_for_timeout(500)
    assert visit.eval(some) == first
    _assert_clean(visit)


# --- the spoiler horizon -----------------------------------------------------------


def test_horizon_masks_follow_as_of_exactly(lore: LoreGraph) -> None:
    data = page_data(lore)
    assert [h["order"] for h in data["horizons"]] == ["release", "story"]
    for h in data["horizons"]:
        for i, work in enumerate(h["works"]):
            cut = lore.as_of(work["id"], order=h["order"])
            shown = {k for k, mask in h["nodes"].items() if mask >> i & 1}
            assert shown == {e.id for e in cut.entities()}, (h["order"], work)
            edges = {k for k, mask in h["edges"].items() if mask >> i & 1}
            assert edges == {"\t".join(st.key) for st in cut.statements}
            notes = {k for k, mask in h["notes"].items() if mask >> i & 1}
            assert notes == {n.id for n in cut.notes}
    release = data["horizons"][0]["works"]
    # the series premiered with its first night (the series first); the others came weekly
    assert [w["id"] for w in release][-6:] == [
        "john-wick-chapter-4",
        "the-continental",
        "the-continental-night-1",
        "the-continental-night-2",
        "the-continental-night-3",
        "ballerina",
    ]


@pytest.mark.parametrize("universe", [None, HERE / "chronology" / "ties.yaml"])
def test_horizon_count_is_the_number_of_works_of_the_timeline(universe: Path | None) -> None:
    # the page counts the works before building a timeline, to skip it when too many
    graph = lorekit.load(universe) if universe else lorekit.load()
    release = [e for e in graph.timeline("release").entries() if e.during is None]
    story = [e for e in graph.timeline("story").entries() if isinstance(e.entity, Work)]
    assert _horizon_count(graph, "release") == len(release) > 0
    assert _horizon_count(graph, "story") == len(story) > 0


def test_as_of_selector_hides_spoilers_live(open_page: Opener, jw_page: Path) -> None:
    visit = open_page(jw_page, "john-wick")
    page = visit.page
    chapter_3 = visit.eval(
        "() => Array.from(document.querySelectorAll('#horizon-select option'))"
        ".find(o => o.textContent.startsWith('John Wick: Chapter 3')).value"
    )
    assert chapter_3.startswith("release:")
    page.locator("#horizon-select").select_option(chapter_3)
    shown = _shown_nodes(visit)
    assert {"john-wick", "winston", "high-table"} <= shown
    assert not {"eve-macarro", "kikimora", "the-cult", "ballerina"} & shown
    panel = visit.panel_text()
    assert page.locator("#panel-name").inner_text() == "John Wick"
    assert "Ballerina" not in panel and "Screen Scribe" not in panel
    assert "Keanu Reeves" in panel
    assert "as of John Wick: Chapter 3" in page.locator("#status").inner_text()
    page.locator("#search").fill("Eve")
    assert "Eve Macarro" not in page.locator("#results").inner_text()
    page.evaluate("location.hash = 'eve-macarro'")
    page.wait_for_timeout(200)
    assert page.locator("#panel-name").inner_text() == "John Wick"
    page.locator("#horizon-select").select_option(label="Ballerina")
    assert "eve-macarro" in _shown_nodes(visit)
    page.locator("#horizon-select").select_option("")
    assert len(_shown_nodes(visit)) == len(list(lorekit.load().entities()))
    _assert_clean(visit)


def test_page_cut_at_a_horizon_holds_nothing_beyond_it(tmp_path: Path) -> None:
    out = tmp_path / "early.html"
    result = subprocess.run(
        [sys.executable, "-m", "lorekit", "html", "-o", str(out), "--as-of", "Chapter 3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    for spoiler in ("Eve Macarro", "Kikimora", "Ballerina", "Ana de Armas", "Screen Scribe"):
        assert spoiler not in page
    assert "John Wick: Chapter 3" in page and "Winston" in page


# --- story time -----------------------------------------------------------------
BRANCHES = HERE / "story-page" / "branches.yaml"


@pytest.fixture(scope="module")
def branches_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "branches.html"
    lorekit.load(BRANCHES).to_html(path)
    return path


def _edge_of(visit: Visit, predicate: str) -> str:
    [edge] = visit.eval(
        "(p) => lorePage.edges.get().filter(e => e.lore.predicate === p).map(e => e.id)", predicate
    )
    return str(edge)


def _choose_point(visit: Visit, name: str) -> None:
    value = visit.eval(
        "(name) => Array.from(document.querySelectorAll('#story-select option'))"
        ".find(o => o.textContent.trim() === name).value",
        name,
    )
    visit.page.locator("#story-select").select_option(value)


def test_story_point_hides_what_has_ended_and_keeps_what_holds(
    open_page: Opener, branches_page: Path
) -> None:
    visit = open_page(branches_page)
    member, trained, ally = (_edge_of(visit, p) for p in ("member_of", "trained_by", "ally_of"))
    everything = set(_shown_edges(visit))
    assert {member, trained, ally} <= everything
    assert visit.page.locator("#story").is_visible()
    _choose_point(visit, "Finale")
    shown = set(_shown_edges(visit))
    assert member not in shown  # ended with Origins
    assert {trained, ally} <= shown  # holds from Origins on; holds always
    assert "at Finale in the story" in visit.page.locator("#status").inner_text()
    _choose_point(visit, "Origins")
    assert member in set(_shown_edges(visit))
    visit.page.locator("#story-select").select_option("")
    assert set(_shown_edges(visit)) == everything
    _assert_clean(visit)


def test_not_determined_relations_are_drawn_apart_and_explained(
    open_page: Opener, branches_page: Path
) -> None:
    visit = open_page(branches_page)
    enemy = _edge_of(visit, "enemy_of")

    def dashes() -> Any:
        return visit.eval("(id) => lorePage.network.body.edges[id].options.dashes", enemy)

    solid = dashes()
    _choose_point(visit, "Right <img src=x onerror=alert(1)>")
    assert enemy in _shown_edges(visit)  # not determined: shown, drawn apart
    unsure = dashes()
    assert unsure and unsure != solid
    assert "may or may not hold" in visit.page.locator("#story-legend").inner_text()
    _choose_point(visit, "Finale")
    assert dashes() == solid
    _choose_point(visit, "Origins")
    assert enemy not in _shown_edges(visit)
    _assert_clean(visit)


def test_the_dead_are_dimmed_and_marked_not_removed(open_page: Opener, branches_page: Path) -> None:
    visit = open_page(branches_page)
    mentor = visit.eval("lorePage.idOf('mentor')")

    def look() -> Any:
        return visit.eval(
            "(id) => { const o = lorePage.network.body.nodes[id].options;"
            " return [o.label, o.opacity]; }",
            mentor,
        )

    alive_label, _ = look()
    _choose_point(visit, "Finale")
    label, opacity = look()
    assert label == "\u2020 " + alive_label and opacity < 1
    assert "mentor" in _shown_nodes(visit)
    visit.eval("lorePage.select('mentor')")
    assert "Dead at Finale" in visit.panel_text()
    _choose_point(visit, "Origins")
    assert look()[0] == alive_label
    assert "Dead at" not in visit.panel_text()
    assert "\u2020" in visit.page.locator("#story-legend").inner_text()
    _assert_clean(visit)


def test_panel_gives_each_relation_its_span(open_page: Opener, branches_page: Path) -> None:
    visit = open_page(branches_page, "hero")
    panel = visit.panel_text()
    assert "until Origins" in panel and "since Left" in panel
    _choose_point(visit, "Finale")
    assert "does not hold at Finale" in visit.panel_text()
    _assert_clean(visit)


def test_deep_link_with_a_point_restores_it(open_page: Opener, branches_page: Path) -> None:
    visit = open_page(branches_page, "hero@finale")
    page = visit.page
    assert visit.eval("lorePage.selected()") == "hero"
    assert visit.eval("lorePage.at()") == "finale"
    assert page.locator("#story-select option:checked").inner_text().strip() == "Finale"
    assert _edge_of(visit, "member_of") not in _shown_edges(visit)
    _choose_point(visit, "Origins")
    assert visit.eval("location.hash") == "#hero@origins"
    page.evaluate("location.hash = 'rival@finale'")
    page.wait_for_function("lorePage.selected() === 'rival'")
    assert visit.eval("lorePage.at()") == "finale"
    page.locator("#panel .close").click()
    assert visit.eval("location.hash") == "#@finale"
    _assert_clean(visit)


def test_page_written_at_a_point_opens_there(open_page: Opener, tmp_path: Path) -> None:
    path = tmp_path / "at.html"
    lorekit.load(BRANCHES).to_html(path, at="Finale")
    visit = open_page(path)
    assert visit.eval("lorePage.at()") == "finale"
    assert _edge_of(visit, "member_of") not in _shown_edges(visit)
    _assert_clean(visit)


@pytest.mark.parametrize(
    "fragment",
    [
        "hero@constructor",
        "hero@__proto__",
        "@toString",
        "hero@%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "hero@%E0%A4%A",
        "hero@finale@finale",
        "%3Cscript%3Ealert(1)%3C/script%3E@",
    ],
)
def test_hostile_points_in_the_address_are_inert(
    open_page: Opener, branches_page: Path, fragment: str
) -> None:
    visit = open_page(branches_page, fragment)
    assert visit.eval("lorePage.at()") is None
    assert visit.eval("document.querySelectorAll('img, iframe, #graph script').length") == 0
    assert set(_shown_edges(visit)) == set(visit.eval("lorePage.edges.getIds()"))
    _assert_clean(visit)


def test_story_point_and_spoiler_horizon_compose(open_page: Opener, branches_page: Path) -> None:
    visit = open_page(branches_page)
    page = visit.page
    # a reader who has seen Origins only cannot pick a later point, nor see a death there
    page.locator("#horizon-select").select_option(label="Origins")
    options = visit.eval(
        "Array.from(document.querySelectorAll('#story-select option'))"
        ".filter(o => !o.disabled).map(o => o.value === '' ? '' : o.textContent.trim())"
    )
    assert options == ["", "Origins"]
    page.locator("#horizon-select").select_option("")
    _choose_point(visit, "Finale")
    page.locator("#horizon-select").select_option(label="Origins")
    assert visit.eval("lorePage.at()") is None  # a point beyond the horizon is let go
    page.locator("#horizon-select").select_option(label="Left")
    _choose_point(visit, "Left")
    shown = set(_shown_edges(visit))
    assert _edge_of(visit, "member_of") not in shown  # both rules hide
    assert _edge_of(visit, "enemy_of") in shown
    _assert_clean(visit)


def test_bidi_controls_reorder_only_their_own_text(open_page: Opener, tmp_path: Path) -> None:
    rlo = "\u202e"
    universe = Universe(
        info=UniverseInfo(id="bidi", name=f"Saga {rlo}drawkcab"),
        entities=(
            Character(id="eve", name=f"Eve {rlo}live"),
            Work(id="opening", name=f"Opening {rlo}tca", release_date=dt.date(2001, 1, 1)),
            Work(id="sequel", name="Sequel", release_date=dt.date(2002, 1, 1)),
        ),
        statements=(
            Statement(subject="eve", predicate="appears_in", object="opening", sources=["opening"]),
        ),
    )
    path = tmp_path / "bidi.html"
    LoreGraph(universe).to_html(path)
    assert f"<title>\u2068Saga {rlo}drawkcab\u2069</title>" in path.read_text(encoding="utf-8")
    visit = open_page(path, "eve")
    page = visit.page
    assert page.title() == f"\u2068Saga {rlo}drawkcab\u2069"
    # each text with a control sits in its own <bdi>; text without one is left as it is
    assert visit.eval("document.querySelector('#title > bdi').textContent") == universe.info.name
    assert visit.eval("document.querySelector('#panel-name bdi').textContent") == f"Eve {rlo}live"
    isolated = visit.eval("[...document.querySelectorAll('#panel bdi')].map(b => b.textContent)")
    assert set(isolated) == {f"Eve {rlo}live", f"Opening {rlo}tca"}
    page.locator("#horizon-select").select_option(index=1)
    nodes = visit.eval(
        "[...document.getElementById('status').childNodes].map(n => [n.nodeName, n.textContent])"
    )
    assert ["BDI", f"Opening {rlo}tca"] in nodes
    assert nodes[-1][0] == "#text" and nodes[-1][1].endswith(" order)")
    assert visit.eval("window.__pwned === undefined")
    _assert_clean(visit)
