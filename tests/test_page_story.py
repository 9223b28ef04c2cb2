"""The story-time data of the graph page: what it holds at each point, and ``--at``.

The page itself is driven in Chromium in ``test_html.py``; here the data it
reads is checked against the semantics of story time, on a universe whose
story order has two unordered branches (``tests/story-page/branches.yaml``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lorekit
from lorekit import LoreGraph
from lorekit._core.errors import LoreError, UnknownEntityError
from lorekit._views.page import story as page_story
from lorekit._views.page.data import page_data
from lorekit._views.page.story import story_data

BRANCHES = Path(__file__).resolve().parent / "story-page" / "branches.yaml"


@pytest.fixture(scope="module")
def branches() -> LoreGraph:
    return lorekit.load(BRANCHES)


def _answers(data: dict[str, object], predicate: str) -> dict[str, str]:
    """Point id → answer character of the one edge of ``predicate``."""
    page = data
    story = page["story"]
    assert isinstance(story, dict)
    edges = page["edges"]
    assert isinstance(edges, list)
    [index] = [i for i, e in enumerate(edges) if e["lore"]["predicate"] == predicate]
    [span] = [story["spans"][k] for i, k in story["edges"] if i == index]
    return {p["id"]: span["holds"][j] for j, p in enumerate(story["points"])}


def test_a_universe_without_spans_gets_no_story_data() -> None:
    plain = lorekit.load(Path(__file__).resolve().parent / "chronology" / "ties.yaml")
    assert not any(st.since or st.until or st.predicate == "dies_in" for st in plain.statements)
    assert "story" not in page_data(plain)
    page = plain.to_html()
    assert '"story":' not in page
    # opened at a point, it gets the selector, with nothing to hide
    assert page_data(plain, at="Finale")["story"]["spans"] == []


def test_points_come_in_story_order_with_events_under_their_work(branches: LoreGraph) -> None:
    points = page_data(branches)["story"]["points"]
    ids = [p["id"] for p in points]
    assert sorted(ids) == ["fall-of-the-tower", "finale", "left", "origins", "right"]
    assert ids[0] == "origins" and ids[-1] == "finale"
    assert ids[ids.index("left") + 1] == "fall-of-the-tower"
    depth = {p["id"]: p["depth"] for p in points}
    assert depth == {"origins": 0, "left": 0, "fall-of-the-tower": 1, "right": 0, "finale": 0}
    assert points[ids.index("right")]["name"] == "Right <img src=x onerror=alert(1)>"


def test_each_span_answers_at_each_point_as_story_time_does(branches: LoreGraph) -> None:
    data = page_data(branches)
    # ended with Origins: gone once Origins is over
    assert _answers(data, "member_of") == {
        "origins": "1", "left": "0", "fall-of-the-tower": "0", "right": "0", "finale": "0"
    }  # fmt: skip
    # from Origins on: holds at every point of this story
    assert set(_answers(data, "trained_by").values()) == {"1"}
    # from Left on: Right is not ordered against Left
    assert _answers(data, "enemy_of") == {
        "origins": "0", "left": "1", "fall-of-the-tower": "1", "right": "?", "finale": "1"
    }  # fmt: skip
    # one source: every answer is the library's
    story = branches.story_time()
    spanned = [st for st in branches.statements if st.since or st.until]
    ids = [p["id"] for p in data["story"]["points"]]
    code = {"holds": "1", "does-not-hold": "0", "not-determined": "?"}
    for st in spanned:
        span = data["story"]["spans"][dict(data["story"]["edges"])[branches.statements.index(st)]]
        assert (span["since"], span["until"]) == (st.since, st.until)
        assert span["holds"] == "".join(code[story.holding(st, p)] for p in ids)
    # statements without a span are not listed: they hold everywhere
    assert len(data["story"]["edges"]) == len(spanned) == 3


def test_the_dead_are_marked_per_point(branches: LoreGraph) -> None:
    story = page_data(branches)["story"]
    [[who, codes]] = story["dead"]
    at = dict(zip([p["id"] for p in story["points"]], codes, strict=True))
    assert who == "mentor"
    assert at["origins"] == "0" and at["right"] == "?" and at["finale"] == "1"


def test_spans_share_one_answer_string(branches: LoreGraph) -> None:
    statements = list(branches.statements)
    twin = statements[5].model_copy(update={"object": "hero", "predicate": "ally_of"})
    data = story_data(branches, [*statements, twin])
    assert data is not None
    assert len(data["spans"]) == 3 and len(data["edges"]) == 4


def test_at_resolves_a_point_by_name_or_alias(branches: LoreGraph) -> None:
    assert page_data(branches, at="FINALE")["story"]["at"] == "finale"
    assert page_data(branches)["story"]["at"] is None
    with pytest.raises(LoreError, match="not a point of the story"):
        page_data(branches, at="The Guild")
    with pytest.raises(UnknownEntityError, match="Nowhere"):
        page_data(branches, at="Nowhere")


def test_past_the_budget_the_selector_is_left_out(
    branches: LoreGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_story, "STORY_BUDGET", 5 * 3)  # 5 points, 3 spans, 1 death
    assert "story" not in page_data(branches)
    monkeypatch.setattr(page_story, "STORY_BUDGET", 5 * 4)
    assert "story" in page_data(branches)


def _page_story(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="lore-data">(.*?)</script>', text, re.S)
    assert found is not None
    story = json.loads(found.group(1))["story"]
    assert isinstance(story, dict)
    return story


def test_cli_html_at_preselects_the_point(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    run = [sys.executable, "-m", "lorekit", "html", "--data", str(BRANCHES), "-o", str(out)]
    done = subprocess.run([*run, "--at", "finale"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _page_story(out)["at"] == "finale"
    bad = subprocess.run([*run, "--at", "Finalle"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "Finalle" in bad.stderr and "finale" in bad.stderr  # a suggestion
    assert "Traceback" not in bad.stderr
    assert _page_story(out)["at"] == "finale"  # the old page is left as it was


def test_an_unknown_point_is_a_lore_error(branches: LoreGraph) -> None:
    with pytest.raises(LoreError):
        branches.to_html(at="no such point")
