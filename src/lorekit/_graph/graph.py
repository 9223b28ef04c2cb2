"""The lore graph: a validated universe as a networkx MultiDiGraph, and its queries.

Each entity is a node keyed by its id, with the typed entity under
``"entity"``; each statement is an edge keyed by its predicate, with the
typed statement under ``"statement"``. Query helpers return typed objects:
entities, :class:`Relation` views of statements, an explained :class:`LorePath`.

Most queries are answered from the graph's own index of the statements at
each entity (:mod:`.adjacency`); the networkx graph is built, and networkx
imported, the first time a query needs it (:meth:`LoreGraph.neighbourhood`,
:meth:`LoreGraph.to_networkx`), which nothing can tell but the time.

Examples
--------
>>> from lorekit import load
>>> lore = load()
>>> [e.name for e in lore.members("Ruska Roma")][:3]
['The Director', 'Nogi', 'Katia']
>>> print(lore.path("Eve Macarro", "John Wick"))
Eve Macarro —member of→ Ruska Roma —has member→ John Wick
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from .._core.errors import UnknownEntityError
from .._core.gc import collector_paused
from .._core.model import (
    Character,
    EntityBase,
    Faction,
    Note,
    Person,
    Statement,
    Title,
    Universe,
    UniverseInfo,
    Work,
    release_key,
)
from .._core.relations import LAYERS, RELATIONS, EntityKind, Layer
from .adjacency import Adjacency, multidigraph
from .relation import EntityRef, LorePath, Relation, Relations
from .resolve import NameIndex
from .select import Names, layer_filter, matches, predicate_filter, unique

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx
    import rdflib

    from .._core.errors import ContinuityWarning, Origin
    from .._views.notebook import InlinePage
    from .horizon import Horizon
    from .paths import PathGraph
    from .provenance import Provenance, SourceUsage
    from .story_time import Holding, StoryPoint, StoryTime
    from .timeline import Order, StoryOrder, Timeline

__all__ = ["DeferredUniverse", "EntityRef", "LoreGraph", "LorePath", "Relation", "Relations"]

_E = TypeVar("_E", bound=EntityBase)


class DeferredUniverse(Protocol):
    """A universe restored when first asked for (the load cache's, :mod:`lorekit._load.cache`).

    Its info and notes are at hand at once; calling it restores the whole
    universe (every statement), which ``lorekit show`` never needs.
    """

    @property
    def info(self) -> UniverseInfo:
        """What the universe is."""
        ...

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note of the universe."""
        ...

    def __call__(self) -> Universe:
        """The whole universe."""
        ...


class LoreGraph:
    """A universe as a typed graph, with the queries fans ask.

    Build one with :func:`lorekit.load`; the constructor takes an already
    validated :class:`Universe`.

    Parameters
    ----------
    universe
        The validated universe.
    origins
        Where each record was written, as returned by the loader.
    """

    def __init__(
        self,
        universe: Universe,
        *,
        origins: Mapping[tuple[str, ...], Origin] | None = None,
        horizon: Horizon | None = None,
        at: StoryPoint | None = None,
    ) -> None:
        self._universe_ref: Universe | DeferredUniverse = universe
        self._origins = dict(origins or {})
        self._horizon = horizon
        self._at = at
        self._names: NameIndex | None = None
        self._story: StoryOrder | None = None
        self._story_checked = False
        self._story_time: StoryTime | None = at.time if at is not None else None
        self._path_graphs: dict[frozenset[str] | None, PathGraph] = {}
        self._nx: nx.MultiDiGraph[str] | None = None
        self._by_id: dict[str, EntityBase]
        self._adjacency: Adjacency
        if at is not None and at.universe is universe:  # at(): a view of the whole graph
            base = at.base
            self._by_id = base._by_id
            self._adjacency = base._adjacency.without(at.removed)
            self._names, self._story, self._story_checked = base._names, at.time.order, True
            return
        self._by_id = {entity.id: entity for entity in universe.entities}
        self._adjacency = Adjacency.of(universe.statements)

    @property
    def _graph(self) -> nx.MultiDiGraph[str]:
        """The networkx graph, built (and networkx imported) when first asked for."""
        if self._nx is None:
            if self._at is not None and self._at.universe is self._universe:
                self._nx = self._at.view(self._at.base._graph)
            else:
                universe = self._universe
                self._nx = multidigraph(universe.info.name, universe.entities, universe.statements)
        return self._nx

    @property
    def _universe(self) -> Universe:
        """The universe; a graph read back from the load cache restores it when first
        asked for (:mod:`lorekit._load.cache`), so ``lorekit show`` never needs it."""
        found = self._universe_ref
        if not isinstance(found, Universe):
            found = self._universe_ref = found()
        return found

    def __getstate__(self) -> dict[str, Any]:
        """The graph's state without what holds networkx graphs, derived again when asked
        (so that a graph read back, as from the load cache, does not import networkx)."""
        state = {**self.__dict__, "_nx": None, "_path_graphs": {}, "_universe_ref": self._universe}
        if self._at is None:  # at a point, the story order is the whole graph's
            state.update(_story=None, _story_time=None)
        return state

    # --- the data ---------------------------------------------------------
    @property
    def universe(self) -> Universe:
        """The validated model the graph was built from."""
        return self._universe

    @property
    def horizon(self) -> Horizon | None:
        """The spoiler horizon this graph was cut at by :meth:`as_of`, if any."""
        return self._horizon

    @property
    def point(self) -> EntityBase | None:
        """The story point this graph stands at, set by :meth:`at`, if any."""
        return self._at.point if self._at is not None else None

    @property
    def info(self) -> UniverseInfo:
        """What the universe is: its id, name and description.

        Examples
        --------
        >>> from lorekit import load
        >>> load().info.id
        'john-wick'
        """
        return self._universe_ref.info

    @property
    def name(self) -> str:
        """The universe's name."""
        return self._universe_ref.info.name

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every statement, in data order."""
        return self._universe.statements

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note (opinions and remarks that are not relations)."""
        return self._universe_ref.notes

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, ref: object) -> bool:
        if isinstance(ref, EntityBase):
            return ref.id in self._by_id
        if isinstance(ref, str):
            try:
                self.entity(ref)
            except LookupError:
                return False
            return True
        return False

    def entities(self, *, kind: EntityKind | None = None) -> Iterator[EntityBase]:
        """Every entity, or those of one kind, in data order.

        Examples
        --------
        >>> from lorekit import load
        >>> sorted(t.name for t in load().entities(kind="title"))
        ['Baba Yaga']
        """
        for entity in self._by_id.values():
            if kind is None or entity.kind == kind:
                yield entity

    def degree(self, entity: EntityRef) -> int:
        """How many statements the entity is an end of (a statement about itself counts twice).

        Examples
        --------
        >>> from lorekit import load
        >>> load().degree("Kikimora")
        3
        """
        return self._adjacency.degree(self.entity(entity).id)

    def origin(self, record: EntityBase | Statement | Note) -> Origin | None:
        """The file and line a record was written at, when it came from a file."""
        if isinstance(record, Statement):
            return self._origins.get(("statement", *record.key))
        if isinstance(record, Note):
            return self._origins.get(("note", record.id))
        return self._origins.get(("entity", record.id))

    # --- resolving names --------------------------------------------------
    def entity(self, ref: EntityRef) -> EntityBase:
        """Find an entity by id, name or alias, ignoring case and accents.

        An id wins over a name, and a name over an alias.

        Raises
        ------
        UnknownEntityError
            When nothing matches; ``suggestions`` holds close ids.
        AmbiguousNameError
            When several entities share the name; ``candidates`` lists them.

        Examples
        --------
        >>> from lorekit import load
        >>> lore = load()
        >>> lore.entity("the bowery king").id
        'bowery-king'
        >>> lore.entity("EVE").id
        'eve-macarro'
        """
        if isinstance(ref, EntityBase):
            ref = ref.id
        found = self._by_id.get(ref.strip())
        if found is not None:
            return found
        if self._names is None:
            self._names = NameIndex(self._by_id.values())
        return self._by_id[self._names.resolve(ref)]

    def _typed(self, ref: EntityRef, kind: type[_E]) -> _E:
        entity = self.entity(ref)
        if not isinstance(entity, kind):
            expected = kind.model_fields["kind"].default
            raise UnknownEntityError(
                f"{entity.name!r} is a {entity.kind}, not a {expected}",
                value=ref,
            )
        return entity

    # --- relations --------------------------------------------------------
    def relations(
        self,
        entity: EntityRef,
        predicate: str | None = None,
        *,
        layer: Layer | Collection[Layer] | None = None,
    ) -> Relations:
        """The statements touching an entity, read from its side.

        Outgoing statements read forwards ("member of"), incoming ones with
        the inverse label ("has member"). ``predicate`` keeps one predicate
        (either reading selects it); ``layer`` keeps one layer or several.
        The result is a list (:class:`Relations`) that a notebook shows as a
        table and ``to_dataframe()`` turns into a pandas DataFrame.

        Examples
        --------
        >>> from lorekit import load
        >>> lore = load()
        >>> [str(r) for r in lore.relations("Kikimora", "part_of")]
        ['Kikimora —part of→ Ruska Roma']
        >>> "Eve Macarro" in [r.other.name for r in lore.relations("Ruska Roma", "has_member")]
        True
        """
        node = self.entity(entity)
        wanted = predicate_filter(predicate)
        layers = layer_filter(layer)
        out = Relations()
        by_id, adjacency = self._by_id, self._adjacency
        for st in adjacency.out_of(node.id):
            if matches(st, wanted, layers):
                out.append(self._relation(node, by_id[st.object], st, inverse=False))
        for st in adjacency.into(node.id):
            if st.subject == node.id or not matches(st, wanted, layers):
                continue
            symmetric = RELATIONS[st.predicate].symmetric
            out.append(self._relation(node, by_id[st.subject], st, inverse=not symmetric))
        return out

    def _relation(
        self, entity: EntityBase, other: EntityBase, st: Statement, *, inverse: bool
    ) -> Relation:
        """A statement read from ``entity``, with its span and (at a point) whether it holds."""
        if st.since is None and st.until is None and self._at is None:
            return Relation(entity, other, st, inverse=inverse)
        by_id = self._by_id
        return Relation(
            entity,
            other,
            st,
            inverse=inverse,
            since=by_id.get(st.since) if st.since else None,
            until=by_id.get(st.until) if st.until else None,
            holding=self._at.holding(st) if self._at is not None else None,
        )

    def _ends(self, entity: EntityRef, predicate: str, *, inverse: bool) -> list[EntityBase]:
        """Far ends of ``predicate`` read forwards (or backwards) from ``entity``."""
        kind = RELATIONS[predicate]
        return unique(
            r.other
            for r in self.relations(entity, predicate)
            if kind.symmetric or r.inverse is inverse
        )

    def members(self, faction: EntityRef, *, transitive: bool = True) -> list[EntityBase]:
        """The members and leaders of a faction, and by default those of its units.

        Examples
        --------
        >>> from lorekit import load
        >>> "Eve Macarro's father" in [m.name for m in load().members("Kikimora")]
        True
        """
        root = self._typed(faction, Faction)
        factions = [root]
        if transitive:
            factions += [f for f in self.units(root) if isinstance(f, Faction)]
        found: list[EntityBase] = []
        for f in factions:
            found += self._ends(f, "leads", inverse=True)
            found += self._ends(f, "member_of", inverse=True)
        return unique(found)

    def units(self, faction: EntityRef) -> list[EntityBase]:
        """Every unit within a faction, units of units included."""
        root = self._typed(faction, Faction)
        seen: dict[str, EntityBase] = {}
        todo = [root]
        while todo:
            for unit in self._ends(todo.pop(), "part_of", inverse=True):
                if unit.id not in seen and unit.id != root.id:
                    seen[unit.id] = unit
                    todo.append(cast(Faction, unit))
        return list(seen.values())

    def factions_of(self, entity: EntityRef) -> list[EntityBase]:
        """The factions an entity belongs to or leads, and what those are part of."""
        node = self.entity(entity)
        direct = self._ends(node, "member_of", inverse=False) + self._ends(
            node, "leads", inverse=False
        )
        found: list[EntityBase] = []
        todo = list(direct)
        while todo:
            f = todo.pop(0)
            if f.id in {x.id for x in found}:
                continue
            found.append(f)
            todo += self._ends(f, "part_of", inverse=False)
        return found

    def allies(self, entity: EntityRef) -> list[EntityBase]:
        """Who stands with an entity."""
        return self._ends(entity, "ally_of", inverse=False)

    def enemies(self, entity: EntityRef) -> list[EntityBase]:
        """Who stands against an entity."""
        return self._ends(entity, "enemy_of", inverse=False)

    def portrayed_by(self, character: EntityRef) -> list[EntityBase]:
        """The real people who play a character.

        Examples
        --------
        >>> from lorekit import load
        >>> [p.name for p in load().portrayed_by("Eve")]
        ['Ana de Armas']
        """
        return self._ends(self._typed(character, Character), "portrayed_by", inverse=False)

    def roles_of(self, person: EntityRef) -> list[EntityBase]:
        """The characters a real person plays."""
        return self._ends(self._typed(person, Person), "portrayed_by", inverse=True)

    def cast(self, work: EntityRef) -> list[tuple[EntityBase, EntityBase]]:
        """``(person, character)`` pairs for the characters who appear in a work.

        A character played by several people (a young and an older Winston)
        counts, in a work, only the portrayals cited to that work when any
        is; otherwise every portrayal.

        Examples
        --------
        >>> from lorekit import load
        >>> ("Ana de Armas", "Eve Macarro") in [
        ...     (p.name, c.name) for p, c in load().cast("Ballerina")]
        True
        """
        film = self._typed(work, Work)
        pairs: list[tuple[EntityBase, EntityBase]] = []
        for character in self._ends(film, "appears_in", inverse=True):
            if isinstance(character, Character):
                portrayals = self.relations(character, "portrayed_by")
                credited = [
                    r for r in portrayals if film.id in {c.source for c in r.statement.sources}
                ]
                pairs += [(r.other, character) for r in credited or portrayals]
        return pairs

    def appearances(self, entity: EntityRef) -> list[EntityBase]:
        """The works an entity appears in, in release order where dates are known."""
        works = self._ends(entity, "appears_in", inverse=False)
        first = self.entity(entity).first_appearance
        if first is not None and first not in {w.id for w in works}:
            works.append(self._by_id[first])
        return sorted(works, key=release_key)

    def titles(self, character: EntityRef) -> list[EntityBase]:
        """The mantles a character holds."""
        return self._ends(character, "holds_title", inverse=False)

    def holders(self, title: EntityRef) -> list[EntityBase]:
        """Who holds a title."""
        return self._ends(self._typed(title, Title), "holds_title", inverse=True)

    # --- paths and subgraphs ----------------------------------------------
    def path(
        self, a: EntityRef, b: EntityRef, *, layers: Collection[Layer] | None = None
    ) -> LorePath | None:
        """The shortest explained connection from ``a`` to ``b``, or ``None``.

        Statements are walked in both directions. Lore steps are preferred
        over production and reception ones; ``layers`` keeps only some layers
        (``layers={"lore"}`` ignores casting, crew and critics altogether).

        Examples
        --------
        >>> from lorekit import load
        >>> lore = load()
        >>> [e.name for e in lore.path("Ana de Armas", "Ian McShane").entities]
        ['Ana de Armas', 'Eve Macarro', 'Ballerina', 'Winston', 'Ian McShane']
        """
        from .paths import path_graph, shortest_path, step_statement

        start, end = self.entity(a), self.entity(b)
        if start.id == end.id:
            return LorePath(())
        keep = layer_filter(layers)
        walked = self._path_graphs.get(keep)
        if walked is None:  # built once per layer set
            walked = self._path_graphs[keep] = path_graph(self._by_id, self._adjacency, keep)
        nodes = shortest_path(walked, start.id, end.id)
        if nodes is None:
            return None
        steps: list[Relation] = []
        for u, v in zip(nodes, nodes[1:], strict=False):
            st = step_statement(self._adjacency, u, v, keep)
            forward = st.subject == u or RELATIONS[st.predicate].symmetric
            steps.append(self._relation(self._by_id[u], self._by_id[v], st, inverse=not forward))
        return LorePath(tuple(steps))

    def subgraph(self, ids: Iterable[str]) -> LoreGraph:
        """The part of the graph on the given entity ids, as a LoreGraph of its own.

        Statements are kept when both ends are; notes when all they are about is.
        """
        keep = {self.entity(i).id for i in ids}
        universe = self._universe.model_copy(
            update={
                "entities": tuple(e for e in self._universe.entities if e.id in keep),
                "statements": tuple(
                    s for s in self.statements if s.subject in keep and s.object in keep
                ),
                "notes": tuple(n for n in self.notes if set(n.about) <= keep),
            }
        )
        return LoreGraph(universe, origins=self._origins, horizon=self._horizon, at=self._at)

    def neighbourhood(self, entity: EntityRef, depth: int = 1) -> LoreGraph:
        """Everything within ``depth`` statements of an entity, in either direction.

        Examples
        --------
        >>> from lorekit import load
        >>> near = load().neighbourhood("Kikimora", 1)
        >>> sorted(e.id for e in near.entities())
        ['ballerina', 'eve-macarro-father', 'kikimora', 'ruska-roma']
        """
        if depth < 0:
            raise ValueError("depth must be 0 or more")
        import networkx as nx

        start = self.entity(entity)
        undirected = self._graph.to_undirected(as_view=True)
        reached = nx.single_source_shortest_path_length(undirected, start.id, cutoff=depth)
        return self.subgraph(reached)

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """A copy of the underlying graph: nodes keyed by id with ``entity``,
        edges keyed by predicate with ``statement``."""
        return self._graph.copy()

    def to_rdf(self, *, base: str | None = None, dataset: bool = False) -> rdflib.Graph:
        """The graph as RDF: an rdflib ``Graph``, or a ``Dataset`` when ``dataset`` is true.

        Statements appear as plain triples and, reified, with their sources,
        layer and ``revealed_in``; see ``docs/rdf.md``. ``base`` replaces the
        universe's IRI (``https://w3id.org/lorekit/universe/{id}/``); a
        dataset holds the universe in the named graph of that IRI.

        Examples
        --------
        >>> from lorekit import load
        >>> len(load().to_rdf()) > 1000
        True
        """
        from .._rdf.export import to_rdf

        return to_rdf(self, base=base, dataset=dataset)

    def to_html(
        self, path: str | Path | None = None, *, title: str | None = None, at: str | None = None
    ) -> str:
        """The graph page: one self-contained HTML file to explore offline.

        Writes the page to ``path`` (atomically) when given, and returns it.
        ``title`` replaces the universe's name as the page's heading; ``at``
        (a work or event) preselects that point of the story. See
        ``docs/html.md`` for what the page does and how it stays safe.

        Examples
        --------
        >>> from lorekit import load
        >>> load().to_html().startswith("<!DOCTYPE html>")
        True
        """
        from .._views.page.html import to_html

        return to_html(self, path, title=title, at=at)

    # --- notebooks ----------------------------------------------------------
    def _repr_html_(self) -> str:
        from .._views.notebook import graph_html

        return graph_html(self)

    def page(self, *, title: str | None = None, height: int = 600) -> InlinePage:
        """The graph page, to show inline in a Jupyter notebook: every feature, offline.

        The page of :meth:`to_html`, in an ``<iframe>`` whose ``srcdoc`` holds
        it and whose ``sandbox`` allows scripts only; ``height`` is in pixels.
        See ``docs/notebook.md``.

        Examples
        --------
        >>> from lorekit import load
        >>> frame = load().page(height=400)._repr_html_()
        >>> frame.startswith('<iframe sandbox="allow-scripts"') and "height:400px" in frame
        True
        """
        from .._views.notebook import inline_page

        return inline_page(self, title=title, height=height)

    def relations_frame(
        self,
        entity: EntityRef | None = None,
        predicate: str | None = None,
        *,
        layer: Layer | Collection[Layer] | None = None,
    ) -> Any:
        """Relations as a pandas DataFrame: of one entity, or every statement.

        Needs pandas (``pip install 'lorekit[pandas]'``); see
        :func:`lorekit.relations_frame` for the columns.

        Examples
        --------
        >>> from lorekit import load
        >>> len(load().relations_frame()) == len(load().statements)
        True
        """
        from .._views.frames import relations_frame

        return relations_frame(self, entity, predicate, layer=layer)

    # --- chronology, spoilers, provenance ----------------------------------
    def timeline(self, order: Order = "story") -> Timeline:
        """Works and events in story order (or release order), ties marked.

        Raises
        ------
        ChronologyError
            When the story-order statements contradict each other.

        Examples
        --------
        >>> from lorekit import load
        >>> [group[0] for group in load().timeline("release").ids()[-2:]]
        ['the-continental-night-3', 'ballerina']
        """
        from .timeline import check_order, release_timeline, story_timeline

        if check_order(order) == "release":
            from .._core.errors import ChronologyError

            try:  # a work's events in story order, when the story order holds together
                rank = self.story_time().rank
            except ChronologyError:
                return release_timeline(self._by_id)
            return release_timeline(self._by_id, rank)
        story = self._acyclic_story_order()
        with collector_paused():  # millions of live objects: the collector would walk them all
            return story_timeline(self._by_id, self.statements, story)

    def set_between(self, a: EntityRef, b: EntityRef) -> list[EntityBase]:
        """What story time places after ``a`` and before ``b``, in timeline order.

        Examples
        --------
        >>> from lorekit import load
        >>> [e.name for e in load().set_between("Chapter 3", "Chapter 4")]
        ['Ballerina', "Eve's revenge"]
        """
        start, end = self.entity(a), self.entity(b)
        story = self._acyclic_story_order()
        by_id = self._by_id
        return [
            by_id[item]
            for node in story.between(start.id, end.id)
            for item in story.items(node)
            if item in by_id
        ]

    def _acyclic_story_order(self) -> StoryOrder:
        """The story order, or the first contradiction in it as a ChronologyError."""
        story = self.story_order()
        if not self._story_checked:
            from .timeline import check_chronology

            with collector_paused():
                names = Names(self._by_id)
                problems = check_chronology(self.statements, names, self._origins, story)
            if problems:
                raise problems[0]
            self._story_checked = True
        return story

    def story_order(self) -> StoryOrder:
        """The story-time partial order of the works and events, built once per graph.

        ``story_order().before(a, b)`` says ``True``, ``False`` or ``None``
        (not determined) for two ids.

        Examples
        --------
        >>> from lorekit import load
        >>> load().story_order().before("john-wick-chapter-3", "ballerina")
        True
        """
        if self._story is None:
            from .timeline import StoryOrder

            with collector_paused():
                self._story = StoryOrder.build(self.statements, self._by_id)
        return self._story

    def as_of(self, work: EntityRef, *, order: Order = "release") -> LoreGraph:
        """The graph a viewer knows after watching up to ``work``: spoiler-free.

        Entities first appearing later, statements and notes revealed later,
        and sources discussing later works are left out.
        """
        from .horizon import cut_universe

        if self._at is not None:  # the same as cutting first, then going to the point
            return self._at.base.as_of(work, order=order).at(self._at.point.id)
        with collector_paused():  # a copy of most of the universe, and its index
            cut, horizon = cut_universe(self, work, order=order)
            return LoreGraph(cut, origins=self._origins, horizon=horizon)

    def story_time(self) -> StoryTime:
        """The story order as intervals, with the deaths: built once per graph.

        Raises
        ------
        ChronologyError
            When the story-order statements contradict each other.

        Examples
        --------
        >>> from lorekit import load
        >>> load().story_time().precedes("john-wick-2014", "john-wick-chapter-2")
        True
        """
        if self._story_time is None:
            from .story_time import StoryTime

            story = self._acyclic_story_order()
            self._story_time = StoryTime(story, self._by_id, self.statements)
        return self._story_time

    def at(self, point: EntityRef) -> LoreGraph:
        """The graph as it stands at a point of the story (a work or an event).

        Statements that do not hold there (by their ``since`` and ``until``)
        are left out; those that hold or may hold stay, and
        :meth:`holding` says which. The dead stay too: :meth:`dead` says who
        is. It composes with :meth:`as_of` either way round.

        Examples
        --------
        >>> from lorekit import load
        >>> now = load().at("Chapter 2")
        >>> now.point.name
        'John Wick: Chapter 2'
        >>> now.dead("John Wick")
        'does-not-hold'
        """
        from .story_time import StoryPoint, cut_at, resolve_point

        base = self._at.base if self._at is not None else self
        where = resolve_point(base, point)
        with collector_paused():
            cut, removed = cut_at(base, where)
            here = StoryPoint(where, base.story_time(), base, cut, removed)
            return LoreGraph(cut, origins=self._origins, horizon=base.horizon, at=here)

    def holding(self, statement: Statement) -> Holding:
        """Whether a statement holds at this graph's point (:meth:`at`).

        Raises
        ------
        LoreError
            When the graph stands at no point.
        """
        return self._story_point().holding(statement)

    def dead(self, character: EntityRef) -> Holding:
        """Whether a character is dead at this graph's point (:meth:`at`): ``"holds"`` if so.

        Raises
        ------
        LoreError
            When the graph stands at no point.
        """
        return self._story_point().dead(self.entity(character).id)

    def warnings(self) -> list[ContinuityWarning]:
        """Continuity slips that do not stop loading: characters at events after their death.

        ``lorekit validate`` prints them (``--strict`` fails on them).
        """
        from .continuity import continuity_warnings

        with collector_paused():
            return continuity_warnings(self.statements, self.story_time(), Names(self._by_id),
                                   self._origins)  # fmt: skip

    def _story_point(self) -> StoryPoint:
        if self._at is None:
            from .._core.errors import LoreError

            raise LoreError("this graph stands at no story point; take one with at()")
        return self._at

    def sources_of(self, ref: EntityRef | Statement | Note) -> list[Provenance]:
        """Where each fact about an entity (or one statement or note) comes from."""
        from .provenance import sources_of

        return sources_of(self, ref)

    def source_usage(self) -> list[SourceUsage]:
        """Every cited source with how many statements, notes and entities it supports."""
        from .provenance import source_usage

        return source_usage(self)

    # --- summaries --------------------------------------------------------
    def counts(self) -> dict[str, Counter[str]]:
        """How many entities of each kind and statements of each layer.

        Examples
        --------
        >>> from lorekit import load
        >>> load().counts()["entities"]["title"]
        1
        """
        kinds: Counter[str] = Counter(e.kind for e in self._by_id.values())
        layers: Counter[str] = Counter({layer: 0 for layer in LAYERS})
        layers.update(cast(str, s.layer) for s in self.statements)
        notes: Counter[str] = Counter(n.layer for n in self.notes)
        return {"entities": kinds, "statements": layers, "notes": notes}

    def __repr__(self) -> str:
        return (
            f"<LoreGraph {self.name!r}: {len(self._by_id)} entities, "
            f"{len(self.statements)} statements>"
        )
