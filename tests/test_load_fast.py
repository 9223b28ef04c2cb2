"""The fast reading path: the same universe as the careful reader, or no say at all."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import lorekit
from lorekit import LoadError
from lorekit._load.fastyaml import read_plain
from lorekit._load.synth import synthesize
from lorekit._load.universe import _load_universe, bundled_data_path
from lorekit._load.yaml import parse_yaml

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fast") / "u"
    synthesize(out, entities=600, seed=11)
    return out


@pytest.mark.parametrize("which", ["john-wick", "the-matrix", "synthetic"])
def test_fast_and_careful_paths_read_the_same_universe(which: str, synthetic: Path) -> None:
    root = synthetic if which == "synthetic" else DATA / which
    fast = _load_universe(root, fast=True)
    careful = _load_universe(root, fast=False)
    assert fast[0] == careful[0]
    assert fast[1] == careful[1]  # every record's file and line


def test_synthetic_files_all_take_the_fast_path(synthetic: Path) -> None:
    for path in sorted(synthetic.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        plain = read_plain(text)
        assert plain is not None, path.name
        data, problems = parse_yaml(text, display=path.name)
        assert not problems
        assert plain.data == data
        for section, lines in plain.item_lines.items():
            assert lines == data[section].item_lines
        assert plain.key_lines == data.key_lines


def test_the_bundled_data_loads_as_before() -> None:
    fast, careful = (_load_universe(bundled_data_path(), fast=f) for f in (True, False))
    assert fast == careful


BLOCK_STYLE = """\
# a universe written in block style
universe:
  id: block
  name: "Block"
works:
  - id: w
    name: "W"
    release_date: 2014-10-24
characters:

  - id: eve
    name: Eve Macarro
    aliases:
      - "Eve"
    first_appearance: w   # a comment
  -   id: jo
      name: "Jo"
statements:
- subject: eve
  predicate: enemy_of
  object: jo
  sources: [w]
"""


def test_block_style_records_are_placed_on_their_lines(tmp_path: Path) -> None:
    plain = read_plain(BLOCK_STYLE)
    assert plain is not None
    data, _ = parse_yaml(BLOCK_STYLE, display="x")
    assert plain.data == data
    sections = {"universe": 2, "works": 5, "characters": 9, "statements": 18}
    assert plain.key_lines == sections
    assert data.key_lines == sections
    assert plain.item_lines == {"works": [6], "characters": [11, 16], "statements": [19]}
    (tmp_path / "u.yaml").write_text(BLOCK_STYLE, encoding="utf-8")
    lore = lorekit.load(tmp_path)
    assert str(lore.origin(lore.entity("jo"))).endswith("u.yaml:16")
    assert lore.entity("w").release_date.isoformat() == "2014-10-24"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "works:\n  - {id: w, name: W, development_began: 03720}\n",  # octal in YAML 1.1
        "characters:\n  - {id: a, name: yes}\n",  # a boolean in YAML 1.1
        "characters:\n  - {id: a, name: On}\n",
        "works:\n  - {id: w, name: W, development_began: 2_000}\n",
        "sources:\n  - {id: s, name: S, rating: {value: 1e1, best: 10.0}}\n",  # text in 1.1
        "sources:\n  - {id: s, name: S, rating: {value: .5, best: 1}}\n",
        "characters:\n  - {id: a, name: !custom A}\n",  # a tag
        "characters:\n  - &x {id: a, name: A}\n",  # an anchor
        "characters:\n  - <<: {name: A}\n    id: a\n",  # a merge key
        "characters:\n  - id: a\n    name: Eve\n      Macarro\n",  # a multi-line scalar
        "characters:\n  - id: a\n    name: >\n      Eve\n",  # a block scalar
        'characters:\n  - {id: a, name: "Eve\n    Macarro"}\n',  # a multi-line quoted scalar
        'characters:\n  - {id: a, name: "Eve \\u00e9"}\n',  # an escape
        "characters:\n  - {id: a, name: A}\r\n",  # a carriage return
        "characters:\n\t- {id: a, name: A}\n",  # a tab
        "characters:\n  -\n    id: a\n",  # an item that starts on the next line
        "characters: # people\n  - {id: a, name: A}\n",  # text between key and items
        "characters: [{id: a, name: A}]\n",  # a flow sequence
        "characters:\n  - {id: a, name: A}\n---\nnotes: []\n",  # two documents
        "characters:\n  - {id: a, name: A}\n  - {id: a, name: B, id: c}\n",  # duplicate key
        "- {id: a, name: A}\n",  # not a mapping of sections
        "",
    ],
)
def test_what_the_versions_of_yaml_may_read_differently_is_left_to_the_careful_reader(
    text: str,
) -> None:
    assert read_plain(text) is None


def test_a_file_only_the_careful_reader_handles_still_loads(tmp_path: Path) -> None:
    (tmp_path / "universe.yaml").write_text(
        'universe: {id: careful, name: "Careful"}\nworks:\n  - {id: w, name: "W"}\n',
        encoding="utf-8",
    )
    (tmp_path / "odd.yaml").write_text(
        "works:\n"
        "  - id: v\n"
        "    name: >\n"
        "      Folded\n"
        "      name\n"
        "    development_began: 03720\n"  # octal: 2000 in the YAML 1.1 that lorekit reads
        "characters:\n"
        "  - {id: eve, name: Eve, aliases: &names [Evie]}\n"
        "  - <<: {first_appearance: w}\n"
        "    id: jo\n"
        "    name: Jo\n"
        "    aliases: *names\n"
        "    description: yes\n",
        encoding="utf-8",
    )
    assert read_plain((tmp_path / "universe.yaml").read_text(encoding="utf-8")) is not None
    assert read_plain((tmp_path / "odd.yaml").read_text(encoding="utf-8")) is None
    with pytest.raises(LoadError) as caught:
        lorekit.load(tmp_path)
    assert str(caught.value).endswith(
        "odd.yaml:13: character 'jo': description: must be text "
        "(quote it if it looks like a number, a date or yes/no) (got True)"
    )
    (tmp_path / "odd.yaml").write_text(
        (tmp_path / "odd.yaml").read_text(encoding="utf-8").replace("yes", '"yes"'),
        encoding="utf-8",
    )
    lore = lorekit.load(tmp_path)
    assert lore.entity("v").name == "Folded name"
    assert lore.entity("v").development_began == 2000  # type: ignore[attr-defined]
    assert lore.entity("jo").first_appearance == "w"  # merged in
    assert lore.entity("jo").aliases == ("Evie",)  # from the anchor
    assert str(lore.origin(lore.entity("jo"))).endswith("odd.yaml:9")


def test_mistakes_in_fast_read_files_get_the_careful_messages(
    synthetic: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "u"
    broken.mkdir()
    for path in synthetic.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "statements-001.yaml":
            text = text.replace("object: work-1,", "object: work-one,", 1)
            text = text.replace("subject: work-3,", "subject: work-3, sauce: x,", 1)
        (broken / path.name).write_text(text, encoding="utf-8")
    assert read_plain((broken / "statements-001.yaml").read_text(encoding="utf-8")) is not None
    with pytest.raises(LoadError) as fast:
        lorekit.load(broken)
    with pytest.raises(LoadError) as careful:
        _load_universe(broken, fast=False)
    assert str(fast.value) == str(careful.value)
    assert "statements-001.yaml:2: statement 'work-2 set_after work-one'" in str(fast.value)
    assert "unknown field 'sauce'" in str(fast.value)


def test_the_garbage_collector_is_back_on_after_a_load(tmp_path: Path) -> None:
    assert gc.isenabled()
    lorekit.load()
    assert gc.isenabled()
    (tmp_path / "bad.yaml").write_text("characters:\n  - {id: a}\n", encoding="utf-8")
    with pytest.raises(LoadError):
        lorekit.load(tmp_path)
    assert gc.isenabled()
