"""Query helpers on the John Wick universe and on small built-in universes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import lorekit
from lorekit import LoreGraph


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("eve-macarro", "eve-macarro"),
        ("Eve", "eve-macarro"),
        ("eve macarro", "eve-macarro"),
        ("  EVE   MACARRO ", "eve-macarro"),
        ("the bowery king", "bowery-king"),
        ("Bowery King", "bowery-king"),
        ("Baba Yaga", "baba-yaga"),
        ("Jardani Jovonovich", "john-wick"),
        ("John Wick", "john-wick"),
        ("Chapter 3", "john-wick-chapter-3"),
        ("John Wick: Chapter 3 - Parabellum", "john-wick-chapter-3"),
        ("john wick: chapter 3 – parabellum", "john-wick-chapter-3"),
        ("Eve’s father", "eve-macarro-father"),
        ("the high table", "high-table"),
    ],
)
def test_entity_resolves_ids_names_and_aliases(lore: LoreGraph, ref: str, expected: str) -> None:
    assert lore.entity(ref).id == expected


def test_unknown_name_suggests_close_ids(lore: LoreGraph) -> None:
    with pytest.raises(lorekit.UnknownEntityError) as info:
        lore.entity("Eve Macaro")
    assert info.value.suggestions[0] == "eve-macarro"
    assert "did you mean 'eve-macarro'" in str(info.value)


def test_ambiguous_name_lists_candidates() -> None:
    universe = lorekit.Universe(
        info=lorekit.UniverseInfo(id="twins", name="Twins"),
        entities=(
            lorekit.Character(id="kid-a", name="Kid", aliases=("The Kid",)),
            lorekit.Character(id="kid-b", name="Kid"),
        ),
    )
    lore = LoreGraph(universe)
    with pytest.raises(lorekit.AmbiguousNameError) as info:
        lore.entity("kid")
    assert info.value.candidates == ["kid-a", "kid-b"]
    assert "kid-a (character), kid-b (character)" in str(info.value)
    assert lore.entity("kid-b").id == "kid-b"  # an id is never ambiguous


def test_name_beats_alias() -> None:
    universe = lorekit.Universe(
        info=lorekit.UniverseInfo(id="u", name="U"),
        entities=(
            lorekit.Character(id="hero", name="Hero"),
            lorekit.Work(id="hero-film", name="Hero (film)", aliases=("Hero",)),
        ),
    )
    assert LoreGraph(universe).entity("hero").id == "hero"
    assert LoreGraph(universe).entity("HERO").id == "hero"


def test_relations_read_both_directions_with_inverse_labels(lore: LoreGraph) -> None:
    members = lore.relations("Ruska Roma", "member_of")
    assert {r.other.id for r in members} == {"eve-macarro", "john-wick", "katia", "nogi"}
    assert {r.label for r in members} == {"has member"}
    assert all(r.inverse for r in members)
    eve = lore.relations("Eve", "member_of")
    assert [(r.label, r.other.id, r.inverse) for r in eve] == [("member of", "ruska-roma", False)]
    assert str(eve[0]) == "Eve Macarro —member of→ Ruska Roma"


def test_relations_filter_by_layer(lore: LoreGraph) -> None:
    everything = lore.relations("eve-macarro")
    lore_only = lore.relations("eve-macarro", layer="lore")
    production = lore.relations("eve-macarro", layer="production")
    assert {r.layer for r in lore_only} == {"lore"}
    assert {r.other.id for r in production} == {"ana-de-armas", "ballerina"}
    assert len(everything) == len(lore_only) + len(production)
    assert lore.relations("eve-macarro", layer=["lore", "production"]) == everything


def test_symmetric_relations_read_the_same_from_both_ends(lore: LoreGraph) -> None:
    [from_cult] = lore.relations("the-cult", "enemy_of")
    [from_eve] = [r for r in lore.relations("eve-macarro", "enemy_of") if r.other.id == "the-cult"]
    assert from_cult.label == from_eve.label == "enemy of"
    assert not from_cult.inverse and not from_eve.inverse


def test_unknown_predicate_is_an_error_with_suggestion(lore: LoreGraph) -> None:
    with pytest.raises(lorekit.UnknownPredicateError, match="did you mean 'member_of'"):
        lore.relations("eve-macarro", "member")


def test_members_include_units_and_leaders(lore: LoreGraph) -> None:
    assert {m.id for m in lore.members("Ruska Roma")} == {
        "the-director",
        "eve-macarro",
        "john-wick",
        "katia",
        "nogi",
        "eve-macarro-father",  # through the Kikimora, a unit within the Ruska Roma
    }
    assert {m.id for m in lore.members("Ruska Roma", transitive=False)} == {
        "the-director",
        "eve-macarro",
        "john-wick",
        "katia",
        "nogi",
    }
    assert [m.id for m in lore.members("Kikimora")] == ["eve-macarro-father"]


def test_members_of_a_non_faction_is_an_error(lore: LoreGraph) -> None:
    with pytest.raises(lorekit.UnknownEntityError, match="is a character, not a faction"):
        lore.members("Eve")


def test_units_and_factions_of(lore: LoreGraph) -> None:
    assert [u.id for u in lore.units("ruska-roma")] == ["kikimora"]
    assert [f.id for f in lore.factions_of("Eve's father")] == ["kikimora", "ruska-roma"]


def test_allies_and_enemies(lore: LoreGraph) -> None:
    assert set(a.id for a in lore.allies("John Wick")) == {"charon", "harry", "bowery-king"}
    assert [a.id for a in lore.allies("Charon")] == ["john-wick"]
    assert set(e.id for e in lore.enemies("Eve")) == {"the-cult", "the-chancellor"}
    assert {"high-table", "tarasov-bratva", "the-marquis", "zero"} <= {
        e.id for e in lore.enemies("John Wick")
    }


def test_portrayals_and_cast(lore: LoreGraph) -> None:
    assert {p.id for p in lore.portrayed_by("Winston")} == {"ian-mcshane", "colin-woodell"}
    assert [c.id for c in lore.roles_of("Keanu Reeves")] == ["john-wick"]
    cast = {(p.id, c.id) for p, c in lore.cast("Ballerina")}
    assert cast == {
        ("ana-de-armas", "eve-macarro"),
        ("keanu-reeves", "john-wick"),
        ("ian-mcshane", "winston"),
        ("lance-reddick", "charon"),
        ("anjelica-huston", "the-director"),
        ("gabriel-byrne", "the-chancellor"),
        ("norman-reedus", "daniel-pine"),
        ("sharon-duncan-brewster", "nogi"),
        ("catalina-sandino-moreno", "lena"),
        ("david-castaneda", "eve-macarro-father"),
    }
    # two people play Winston and Charon: each work counts the portrayals cited to it
    series = {(p.id, c.id) for p, c in lore.cast("The Continental (series)")}
    assert {("colin-woodell", "winston"), ("ayomide-adegun", "charon")} <= series
    assert not {"ian-mcshane", "lance-reddick"} & {p for p, _ in series}
    with pytest.raises(lorekit.UnknownEntityError, match="not a person"):
        lore.roles_of("Eve")


def test_appearances_in_release_order(lore: LoreGraph) -> None:
    assert [w.id for w in lore.appearances("John Wick")] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "john-wick-chapter-4",
        "ballerina",
    ]
    assert [w.id for w in lore.appearances("Eve")] == ["ballerina"]


def test_path_prefers_lore_and_explains_each_step(lore: LoreGraph) -> None:
    found = lore.path("Eve Macarro", "John Wick")
    assert found is not None
    assert [e.id for e in found.entities] == ["eve-macarro", "ruska-roma", "john-wick"]
    assert all(step.layer == "lore" for step in found.steps)
    assert str(found) == "Eve Macarro —member of→ Ruska Roma —has member→ John Wick"
    assert found.steps[0].statement.sources[0].source == "screen-scribe-ballerina"


def test_path_ignoring_production_and_reception(lore: LoreGraph) -> None:
    anywhere = lore.path("Ana de Armas", "Keanu Reeves")
    assert anywhere is not None and len(anywhere) == 4
    assert lore.path("Ana de Armas", "Keanu Reeves", layers={"lore"}) is None
    lore_only = lore.path("Eve", "Winston", layers={"lore"})
    assert lore_only is not None
    assert {s.layer for s in lore_only.steps} == {"lore"}


def test_path_to_self_is_empty(lore: LoreGraph) -> None:
    found = lore.path("eve", "Eve Macarro")
    assert found is not None and len(found) == 0 and str(found) == ""


def test_neighbourhood_is_a_lore_graph(lore: LoreGraph) -> None:
    near = lore.neighbourhood("Kikimora", 1)
    assert isinstance(near, LoreGraph)
    assert {e.id for e in near.entities()} == {
        "kikimora",
        "ruska-roma",
        "eve-macarro-father",
        "ballerina",
    }
    assert all(s.subject in near and s.object in near for s in near.statements)
    assert [m.id for m in near.members("kikimora")] == ["eve-macarro-father"]
    assert len(lore.neighbourhood("Kikimora", 2)) > len(near)
    assert [e.id for e in lore.neighbourhood("Kikimora", 0).entities()] == ["kikimora"]
    with pytest.raises(ValueError, match="depth"):
        lore.neighbourhood("kikimora", -1)


def test_entities_by_kind(lore: LoreGraph) -> None:
    works = [w.id for w in lore.entities(kind="work")]
    assert "ballerina" in works and all(isinstance(lore.entity(w), lorekit.Work) for w in works)
    assert len(list(lore.entities())) == len(lore)


def test_to_networkx_keeps_typed_objects(lore: LoreGraph) -> None:
    graph = lore.to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == len(lore)
    assert graph.number_of_edges() == len(lore.statements)
    assert isinstance(graph.nodes["eve-macarro"]["entity"], lorekit.Character)
    edge = graph.edges["eve-macarro", "ruska-roma", "raised_by"]["statement"]
    assert isinstance(edge, lorekit.Statement)
    graph.remove_node("eve-macarro")  # a copy: the lore graph is untouched
    assert "eve-macarro" in lore


def test_counts(lore: LoreGraph) -> None:
    counts = lore.counts()
    assert sum(counts["entities"].values()) == len(lore)
    assert sum(counts["statements"].values()) == len(lore.statements)
    assert counts["statements"]["reception"] == 1
    assert counts["notes"]["reception"] >= 5


def test_origin_of_records(lore: LoreGraph) -> None:
    eve = lore.entity("eve-macarro")
    origin = lore.origin(eve)
    assert origin is not None
    assert origin.file.endswith("characters.yaml")
    lines = Path(origin.file).read_text(encoding="utf-8").splitlines()
    assert "id: eve-macarro" in lines[origin.line - 1]
    st = lore.relations("kikimora", "part_of")[0].statement
    st_origin = lore.origin(st)
    assert st_origin is not None and st_origin.file.endswith("lore.yaml")


# --- the graph's own index answers as the networkx graph did ---------------------
def _networkx_relations(graph: nx.MultiDiGraph[str], node: str) -> list[tuple[str, str, str]]:
    """What relations() read off the networkx graph before it kept its own index."""
    found = [st.key for _, _, st in graph.out_edges(node, data="statement")]
    found += [st.key for u, _, st in graph.in_edges(node, data="statement") if u != node]
    return found


def _networkx_path(graph: nx.MultiDiGraph[str], a: str, b: str) -> list[str] | None:
    """The ids along path() as it walked the networkx graph's edges before."""
    from lorekit._core.relations import RELATIONS

    walked: nx.Graph[str] = nx.Graph()
    walked.add_nodes_from(graph.nodes)
    for u, v, st in graph.edges(data="statement"):
        cost = RELATIONS[st.predicate].cost
        known = walked.get_edge_data(u, v)
        if u != v and (known is None or cost < known["cost"]):
            walked.add_edge(u, v, cost=cost)
    try:
        return list(nx.bidirectional_dijkstra(walked, a, b, weight="cost")[1])
    except nx.NetworkXNoPath:
        return None


def _index_checks(lore: LoreGraph) -> None:
    graph = lore._graph  # as __init__ built it (a copy, to_networkx(), reorders in-edges)
    ids = [e.id for e in lore.entities()]
    for entity in lore.entities():
        keys = [r.statement.key for r in lore.relations(entity)]
        assert keys == _networkx_relations(graph, entity.id), entity.id
        assert lore.degree(entity) == graph.degree(entity.id)
    for a, b in zip(ids[::7], ids[::-5], strict=False):  # ties between paths fall as before
        found = lore.path(a, b)
        walked = None if found is None else [e.id for e in found.entities] or [a]
        assert walked == _networkx_path(graph, a, b), (a, b)


def test_relations_and_degrees_come_in_the_networkx_graphs_order(
    lore: LoreGraph, tmp_path: Path
) -> None:
    _index_checks(lore)
    from lorekit._load.synth import synthesize

    _index_checks(lorekit.load(synthesize(tmp_path / "u", entities=300, seed=3)))
    at = lore.at("Chapter 2")
    graph = at._graph  # a view of the whole graph, without what does not hold then
    assert graph.number_of_edges() == len(at.statements) < len(lore.statements)
    for entity in at.entities():
        assert [r.statement.key for r in at.relations(entity)] == _networkx_relations(
            graph, entity.id
        )


def test_two_statements_of_one_key_keep_the_first_place_and_the_last_data() -> None:
    info = lorekit.UniverseInfo(id="u", name="U")
    a, b, c = (lorekit.Character(id=x, name=x.upper()) for x in "abc")
    first = lorekit.Statement(subject="a", predicate="ally_of", object="b", sources=["w"])
    other = lorekit.Statement(subject="a", predicate="enemy_of", object="c", sources=["w"])
    again = first.model_copy(update={"note": "again"})
    universe = lorekit.Universe(info=info, entities=(a, b, c), statements=(first, other, again))
    lore = LoreGraph(universe)
    assert [r.statement for r in lore.relations("a")] == [again, other]
    assert _networkx_relations(lore._graph, "a") == [again.key, other.key]


def test_the_networkx_graph_is_built_only_when_a_query_needs_it(lore: LoreGraph) -> None:
    import pickle

    fresh = pickle.loads(pickle.dumps(lore))
    assert fresh._nx is None  # derived, so not pickled
    fresh.relations("Eve")
    fresh.path("Eve", "John Wick")
    fresh.degree("Eve")
    assert fresh._nx is None
    assert sorted(fresh.neighbourhood("Kikimora").to_networkx().nodes) == sorted(
        lore.neighbourhood("Kikimora").to_networkx().nodes
    )
    assert fresh._nx is not None
    assert str(fresh.path("Ana de Armas", "Ian McShane")) == str(
        lore.path("Ana de Armas", "Ian McShane")
    )
