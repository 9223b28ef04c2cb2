/* lorekit graph page.
 *
 * Reads the universe from the JSON in #lore-data and draws it with vis-network.
 * Every string of the data reaches the document through textContent or a
 * canvas, never as markup: this file builds elements with el() below and
 * never assigns innerHTML.
 *
 * Sections: data and indexes; what is shown (filters); story time; the
 * network; search; the side panel; the controls; selection and the address
 * bar; start-up.
 */
(function () {
  "use strict";

  // --- data and indexes ----------------------------------------------------
  /* Nodes are keyed by their vis-network id, their index; the entity's own
   * id (its slug) is node.lore.id and only appears in the address bar. (vis
   * keeps nodes in a plain object: an entity called "constructor" would
   * collide with Object.prototype if it were the key.) */
  const DATA = JSON.parse(document.getElementById("lore-data").textContent);
  const nodeById = new Map(DATA.nodes.map((n) => [n.id, n]));
  const idOfSlug = new Map(DATA.nodes.map((n) => [n.lore.id, n.id]));
  const kindByName = new Map(DATA.kinds.map((k) => [k.kind, k]));
  const layerByName = new Map(DATA.layers.map((l) => [l.layer, l]));
  const relationByName = new Map(DATA.relations.map((r) => [r.name, r]));
  const edgesOf = new Map(DATA.nodes.map((n) => [n.id, []]));
  for (const e of DATA.edges) {
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  }
  const notesOf = new Map();
  for (const note of DATA.notes) {
    for (const slug of note.about) {
      const id = idOfSlug.get(slug);
      if (!notesOf.has(id)) notesOf.set(id, []);
      notesOf.get(id).push(note);
    }
  }
  const LAYER_ORDER = DATA.layers.map((l) => l.layer);

  function $(id) {
    return document.getElementById(id);
  }

  /* Build an element: el("li", {class: "x", text: "y", attrs: {...}}, children).
   * Text goes in through textContent only. */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    const p = props || {};
    if (p.id) node.id = p.id;
    if (p.class) node.className = p.class;
    if (p.text !== undefined && p.text !== null) {
      // an <option> holds text only (each is drawn on its own line anyway)
      node.append(tag === "option" ? String(p.text) : textNode(String(p.text)));
    }
    if (p.attrs) for (const [k, v] of Object.entries(p.attrs)) node.setAttribute(k, String(v));
    if (p.on) for (const [k, f] of Object.entries(p.on)) node.addEventListener(k, f);
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? textNode(child) : child);
    }
    return node;
  }

  /* Text that carries a bidi control (an override, embedding or isolate) goes in
   * its own <bdi>, so the control reorders only that text, never what is beside it. */
  const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  function textNode(text) {
    if (!BIDI.test(text)) return document.createTextNode(text);
    const bdi = document.createElement("bdi");
    bdi.textContent = text;
    return bdi;
  }

  /* A tab title cannot hold markup: a title with a bidi control is isolated by
   * U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE instead. */
  function tabTitle(text) {
    return BIDI.test(text) ? "\u2068" + text + "\u2069" : text;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  /* A small picture of a kind's node shape, for the legend and the panel. */
  function kindIcon(kind) {
    const k = kindByName.get(kind);
    const box = svg("svg", {viewBox: "0 0 20 20", width: 16, height: 16, class: "icon", "aria-hidden": "true"});
    const paint = {fill: k ? k.color : "#999", stroke: k ? k.border : "#666", "stroke-width": 1.5};
    const shapes = {
      dot: () => svg("circle", {cx: 10, cy: 10, r: 7}),
      hexagon: () => svg("polygon", {points: "10,2 17,6 17,14 10,18 3,14 3,6"}),
      star: () => svg("polygon", {points: "10,1.5 12.4,7.2 18.5,7.6 13.8,11.5 15.3,17.5 10,14.2 4.7,17.5 6.2,11.5 1.5,7.6 7.6,7.2"}),
      triangle: () => svg("polygon", {points: "10,2.5 18,17 2,17"}),
      triangleDown: () => svg("polygon", {points: "2,3 18,3 10,17.5"}),
      square: () => svg("rect", {x: 3, y: 3, width: 14, height: 14}),
      diamond: () => svg("polygon", {points: "10,1.5 18.5,10 10,18.5 1.5,10"}),
      ellipse: () => svg("ellipse", {cx: 10, cy: 10, rx: 8.5, ry: 5.5}),
      box: () => svg("rect", {x: 2, y: 5, width: 16, height: 10, rx: 2}),
    };
    const shape = (shapes[k ? k.shape : "dot"] || shapes.dot)();
    for (const [a, v] of Object.entries(paint)) shape.setAttribute(a, String(v));
    box.append(shape);
    return box;
  }

  function layerIcon(layer) {
    const l = layerByName.get(layer);
    const box = svg("svg", {viewBox: "0 0 28 10", width: 28, height: 10, class: "icon", "aria-hidden": "true"});
    const line = svg("line", {x1: 1, y1: 5, x2: 27, y2: 5, stroke: l.color, "stroke-width": 2.2});
    if (l.dashes) line.setAttribute("stroke-dasharray", l.dashes.join(" "));
    box.append(line);
    return box;
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }

  // --- what is shown -------------------------------------------------------
  const state = {
    selected: null,
    hiddenKinds: new Set(),
    hiddenLayers: new Set(),
    hiddenPredicates: new Set(),
    hood: {on: false, depth: 1},
    horizon: null, // {order, index, masks}: a spoiler horizon, or null for everything
    at: null, // the index of a story point in STORY.points, or null for the whole story
  };

  /* The spoiler horizon: bit `index` of an element's mask says whether a
   * reader who stopped at that work knows it (the rules of LoreGraph.as_of). */
  function known(masks, key) {
    const h = state.horizon;
    if (!h) return true;
    const mask = masks[key] || 0;
    return Math.floor(mask / Math.pow(2, h.index)) % 2 === 1;
  }
  const edgeKey = (e) => e.lore.subject + "\t" + e.lore.predicate + "\t" + e.lore.object;
  const nodeKnown = (n) => known(state.horizon ? state.horizon.masks.nodes : {}, n.lore.id);
  const edgeKnown = (e) => known(state.horizon ? state.horizon.masks.edges : {}, edgeKey(e));
  const noteKnown = (n) => known(state.horizon ? state.horizon.masks.notes : {}, n.id);
  const slugKnown = (slug) => known(state.horizon ? state.horizon.masks.nodes : {}, slug);

  /* Filters decide what is drawn. A node is shown when every node filter
   * passes; an edge when every edge filter passes and both its ends are
   * shown. A view with a rule of its own (a spoiler horizon, say) pushes a
   * predicate here and calls applyFilters(). The neighbourhood mode then
   * narrows what is left to the entities near the selected one. */
  const nodeFilters = [(n) => !state.hiddenKinds.has(n.kind), nodeKnown];
  const edgeFilters = [
    edgeKnown,
    (e) => !state.hiddenLayers.has(e.lore.layer),
    (e) => !state.hiddenPredicates.has(e.lore.predicate),
    (e) => holdingOf(e) !== "0",
  ];

  // --- story time --------------------------------------------------------
  /* DATA.story (only in a universe with spans or deaths): the story points in
   * story order, and per point what holds ("1"), what does not ("0") and what
   * the story order leaves open ("?"), one character per point, for each span
   * and each character who dies. An edge without a span holds everywhere. All
   * lookups go through Maps: an id in the data or the address bar is a key,
   * never a property name. */
  const STORY = DATA.story || null;
  const POINTS = STORY ? STORY.points : [];
  const pointIndex = new Map(POINTS.map((p, i) => [p.id, i]));
  const spanOfEdge = new Map(STORY ? STORY.edges.map(([i, k]) => ["s" + i, STORY.spans[k]]) : []);
  const deathOf = new Map();
  if (STORY) {
    for (const [slug, codes] of STORY.dead) {
      const id = idOfSlug.get(slug);
      if (id !== undefined) deathOf.set(id, codes);
    }
  }
  const UNSURE_DASHES = [9, 4, 2, 4]; // dash-dot: not said by the story order
  const DEAD = {opacity: 0.35, mark: "\u2020 "};
  const MAYBE_DEAD = {opacity: 0.65, mark: "\u2020? "};

  /* "1", "0" or "?" for an edge at the chosen point; "1" at the whole story. */
  function holdingOf(e) {
    if (state.at === null) return "1";
    const span = spanOfEdge.get(e.id);
    return span ? span.holds[state.at] : "1";
  }

  /* "1" dead, "?" perhaps, "0" alive at the chosen point. A death beyond the
   * spoiler horizon is not told. */
  function deathState(id) {
    const codes = deathOf.get(id);
    if (state.at === null || codes === undefined) return "0";
    const told = (edgesOf.get(id) || []).some((e) => e.lore.predicate === "dies_in" && e.from === id && edgeKnown(e));
    return told ? codes[state.at] : "0";
  }

  const pointKnown = (i) => slugKnown(POINTS[i].id);

  function visibility() {
    const nodes = new Set();
    for (const n of DATA.nodes) if (nodeFilters.every((f) => f(n))) nodes.add(n.id);
    if (state.hood.on && state.selected !== null) nodes.add(state.selected);
    let edges = new Set();
    for (const e of DATA.edges) {
      if (nodes.has(e.from) && nodes.has(e.to) && edgeFilters.every((f) => f(e))) edges.add(e.id);
    }
    if (state.hood.on && state.selected !== null) {
      const near = reach(state.selected, state.hood.depth, edges);
      for (const id of Array.from(nodes)) if (!near.has(id)) nodes.delete(id);
      edges = new Set(Array.from(edges).filter((id) => {
        const e = edgeIndex.get(id);
        return near.has(e.from) && near.has(e.to);
      }));
    }
    return {nodes, edges};
  }

  /* Entities within `depth` steps of `start`, walking shown edges both ways. */
  function reach(start, depth, edges) {
    const seen = new Set([start]);
    let frontier = [start];
    for (let step = 0; step < depth && frontier.length; step++) {
      const next = [];
      for (const id of frontier) {
        for (const e of edgesOf.get(id) || []) {
          if (!edges.has(e.id)) continue;
          const other = e.from === id ? e.to : e.from;
          if (!seen.has(other)) {
            seen.add(other);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
    return seen;
  }

  const edgeIndex = new Map(DATA.edges.map((e) => [e.id, e]));
  let shown = {nodes: new Set(DATA.nodes.map((n) => n.id)), edges: new Set(edgeIndex.keys())};

  function applyFilters() {
    const next = visibility();
    const nodeChanges = [];
    for (const n of DATA.nodes) {
      const was = shown.nodes.has(n.id);
      const is = next.nodes.has(n.id);
      if (was !== is) nodeChanges.push({id: n.id, hidden: !is});
    }
    const edgeChanges = [];
    for (const e of DATA.edges) {
      const was = shown.edges.has(e.id);
      const is = next.edges.has(e.id);
      if (was !== is) edgeChanges.push({id: e.id, hidden: !is});
    }
    shown = next;
    if (nodeChanges.length) nodeSet.update(nodeChanges);
    if (edgeChanges.length) edgeSet.update(edgeChanges);
    renderStatus();
    if (!network) return;
    if (state.selected !== null && shown.nodes.has(state.selected)) network.selectNodes([state.selected]);
    if (state.hood.on && state.selected !== null) fitShown();
  }

  function fitShown() {
    if (!network) return;
    const ids = Array.from(shown.nodes);
    if (ids.length) network.fit({nodes: ids, animation: {duration: 350, easingFunction: "easeInOutQuad"}});
  }

  // --- the network ---------------------------------------------------------
  /* vis-network works out the size of every edge's label as it first draws,
   * even of labels far too small to show (edges.scaling.label.drawThreshold),
   * and draws every arrowhead, even below a pixel: at 50,000 edges that took
   * seconds. A graph that big is drawn with its edges bare; an edge gets its
   * label and arrow once the view is close enough to read labels and the
   * edge is on screen (labelInView). */
  const LAZY_LABELS = 20000;
  const unlabelled = new Set();
  const nodeSet = new vis.DataSet(DATA.nodes);
  const edgeSet = new vis.DataSet(
    DATA.edges.length <= LAZY_LABELS ? DATA.edges : DATA.edges.map((e) => {
      unlabelled.add(e.id);
      const copy = Object.assign({}, e);
      delete copy.label;
      delete copy.arrows;
      return copy;
    }),
  );
  let network = null;
  let settled = false;
  let labelling = false;

  function labelInView() {
    labelling = false;
    const font = DATA.options.edges.font.size;
    if (!network || !unlabelled.size) return;
    if (network.getScale() * font < DATA.options.edges.scaling.label.drawThreshold / 2) return;
    const graph = $("graph");
    const a = network.DOMtoCanvas({x: 0, y: 0});
    const b = network.DOMtoCanvas({x: graph.clientWidth, y: graph.clientHeight});
    const pad = (b.x - a.x) * 0.25;
    const inView = (node) => node !== undefined && node.x >= a.x - pad && node.x <= b.x + pad &&
      node.y >= a.y - pad && node.y <= b.y + pad;
    const nodes = network.body.nodes;
    const changes = [];
    for (const id of unlabelled) {
      const e = edgeIndex.get(id);
      if (inView(nodes[e.from]) || inView(nodes[e.to])) {
        changes.push(e.arrows ? {id, label: e.label, arrows: e.arrows} : {id, label: e.label});
      }
    }
    for (const c of changes) unlabelled.delete(c.id);
    if (changes.length) edgeSet.update(changes);
  }

  /* Lay the graph out once (layout.js), in slices so the page can say how far
   * it is, then draw it with physics off: nothing moves after that unless the
   * reader drags it. */
  function layOut() {
    const index = new Map(DATA.nodes.map((n, i) => [n.id, i]));
    const layout = loreLayout(
      DATA.nodes.map((n) => n.id),
      DATA.edges.map((e) => [index.get(e.from), index.get(e.to)]),
      {boxes: DATA.nodes.map(box)},
    );
    const work = () => {
      if (!layout.run(50)) {
        $("loading").textContent = "Laying out " + plural(DATA.nodes.length, "entity", "entities") +
          "… " + Math.round(100 * layout.progress()) + "%";
        setTimeout(work, 0);
        return;
      }
      const at = layout.positions();
      nodeSet.update(DATA.nodes.map((n) => ({id: n.id, x: at[n.id].x, y: at[n.id].y})));
      draw();
    };
    requestAnimationFrame(() => setTimeout(work, 0));
  }

  /* Roughly the room a node takes with its label, for the layout to keep
   * labels apart: [half width, half height, offset of the centre below it]. */
  function box(n) {
    const font = DATA.options.nodes.font.size;
    const wrap = DATA.options.nodes.widthConstraint.maximum;
    const width = Math.min(wrap, n.label.length * font * 0.55);
    const lines = Math.ceil((n.label.length * font * 0.55) / wrap);
    if (n.shape === "box" || n.shape === "ellipse") {
      return [width / 2 + (n.shape === "ellipse" ? 22 : 12), (lines * font * 1.2) / 2 + 8, 0];
    }
    const label = lines * font * 1.2 + 4;
    return [Math.max(n.size, width / 2), n.size + label / 2, label / 2];
  }

  function draw() {
    network = new vis.Network($("graph"), {nodes: nodeSet, edges: edgeSet}, DATA.options);
    network.on("click", (params) => {
      if (params.nodes.length) select(params.nodes[0], {camera: "stay"});
      else if (!params.edges.length) clearSelection();
    });
    network.on("hoverNode", () => $("graph").classList.add("pointing"));
    network.on("blurNode", () => $("graph").classList.remove("pointing"));
    if (unlabelled.size) {
      network.on("afterDrawing", () => {
        if (!labelling) { labelling = true; setTimeout(labelInView, 100); }
      });
    }
    window.lorePage.network = network;
    settled = true;
    $("loading").hidden = true;
    const id = idOfSlug.get(slugFromHash());
    if (id !== undefined && select(id, {fromHash: true, camera: "stay"})) {
      network.fit();
      if (network.getScale() < 0.5 && shown.nodes.has(id)) network.focus(id, {scale: 0.8, offset: panelOffset()});
    } else {
      network.fit();
    }
    document.body.dataset.state = "ready";
  }

  // --- search --------------------------------------------------------------
  function fold(text) {
    return String(text)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u2013\u2014]/g, "-")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  /* What a search can match, best reading first: a title the entity holds
   * ("Baba Yaga" finds John Wick before the title itself), its name, an
   * alias, its id. */
  const VIA = {title: 0, name: 1, alias: 2, id: 3};
  const searchIndex = DATA.nodes.map((n) => ({
    node: n,
    terms: [
      ...n.lore.titles.map((t) => ({text: t.name, key: fold(t.name), via: "title", slug: t.id})),
      {text: n.lore.name, key: fold(n.lore.name), via: "name"},
      ...n.lore.aliases.map((a) => ({text: a, key: fold(a), via: "alias"})),
      {text: n.lore.id, key: n.lore.id, via: "id"},
    ],
  }));

  function quality(key, q) {
    if (key === q) return 0;
    if (key.startsWith(q)) return 1;
    const at = key.indexOf(q);
    if (at < 0) return -1;
    return /[\s\-'(:,.]/.test(key[at - 1]) ? 2 : 3;
  }

  function search(query, limit) {
    const q = fold(query);
    if (!q) return [];
    const found = [];
    for (const entry of searchIndex) {
      if (!nodeKnown(entry.node)) continue;
      let best = null;
      for (const term of entry.terms) {
        if (term.slug && !slugKnown(term.slug)) continue;
        const score = quality(term.key, q);
        if (score < 0) continue;
        const rank = [score, VIA[term.via]];
        if (!best || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && rank[1] < best.rank[1])) {
          best = {rank, term};
        }
      }
      if (best) found.push({node: entry.node, term: best.term, rank: best.rank});
    }
    found.sort((a, b) =>
      a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.node.lore.name.localeCompare(b.node.lore.name));
    return found.slice(0, limit);
  }

  const searchBox = $("search");
  const resultList = $("results");
  let results = [];
  let active = -1;

  function renderResults() {
    resultList.replaceChildren();
    results.forEach((r, i) => {
      const kind = kindByName.get(r.node.kind);
      const how = r.term.via === "title" ? "holds the title " + r.term.text
        : r.term.via === "alias" ? "also " + r.term.text
        : r.term.via === "id" ? "id " + r.term.text : null;
      resultList.append(el("li", {
        class: "result" + (i === active ? " active" : ""),
        attrs: {role: "option", id: "result-" + i, "aria-selected": i === active ? "true" : "false"},
        on: {
          mousedown: (ev) => ev.preventDefault(),
          click: () => choose(i),
        },
      }, [
        kindIcon(r.node.kind),
        el("span", {class: "result-name", text: r.node.lore.name}),
        el("span", {class: "result-kind", text: kind ? kind.label : r.node.kind}),
        how ? el("span", {class: "result-how", text: how}) : null,
      ]));
    });
    if (searchBox.value.trim() && !results.length) {
      resultList.append(el("li", {class: "result empty", text: "No entity matches"}));
    }
    const open = resultList.childElementCount > 0;
    resultList.hidden = !open;
    searchBox.setAttribute("aria-expanded", open ? "true" : "false");
    if (active >= 0) searchBox.setAttribute("aria-activedescendant", "result-" + active);
    else searchBox.removeAttribute("aria-activedescendant");
  }

  let previewTimer = 0;
  function preview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      const r = results[active];
      if (r && shown.nodes.has(r.node.id) && settled) {
        network.selectNodes([r.node.id]);
        network.focus(r.node.id, {scale: Math.max(network.getScale(), 0.8), animation: {duration: 250}});
      }
    }, 150);
  }

  function choose(i) {
    const r = results[i];
    if (!r) return;
    closeResults();
    searchBox.value = r.node.lore.name;
    select(r.node.id);
  }

  function closeResults() {
    clearTimeout(previewTimer);
    results = [];
    active = -1;
    renderResults();
  }

  searchBox.addEventListener("input", () => {
    results = search(searchBox.value, 12);
    active = results.length ? 0 : -1;
    renderResults();
    preview();
  });
  searchBox.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!results.length) return;
      ev.preventDefault();
      const step = ev.key === "ArrowDown" ? 1 : -1;
      active = (active + step + results.length) % results.length;
      renderResults();
      preview();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (active >= 0) choose(active);
    } else if (ev.key === "Escape") {
      closeResults();
      if (!network) return;
      if (state.selected !== null) network.selectNodes([state.selected]);
      else network.unselectAll();
    }
  });
  searchBox.addEventListener("blur", () => setTimeout(closeResults, 100));

  // --- the side panel --------------------------------------------------------
  const panel = $("panel");

  /* A button that selects an entity, given its slug. */
  function entityButton(slug, label) {
    const id = idOfSlug.get(slug);
    const target = nodeById.get(id);
    if (!target) return el("span", {text: label || slug});
    return el("button", {
      class: "jump",
      text: label || target.lore.name,
      attrs: {type: "button", title: "Show " + target.lore.name},
      on: {click: () => select(id)},
    });
  }

  /* Citations grouped by source: "A review, ¶1, ¶4". */
  function citations(sources) {
    const grouped = new Map();
    for (const c of sources) {
      if (!slugKnown(c.source)) continue; // a source from beyond the horizon
      if (!grouped.has(c.source)) grouped.set(c.source, []);
      if (c.locator) grouped.get(c.source).push(c.locator);
    }
    const list = el("span", {class: "cites"});
    let first = true;
    for (const [source, locators] of grouped) {
      if (!first) list.append("; ");
      first = false;
      const cite = el("cite", {}, [entityButton(source)]);
      if (locators.length) cite.append(", " + locators.join(", "));
      list.append(cite);
    }
    return list;
  }

  function layerBadge(layer) {
    const l = layerByName.get(layer);
    return el("span", {class: "badge layer-" + layer, text: l ? l.label.toLowerCase() : layer});
  }

  function reading(edge, id) {
    const rel = relationByName.get(edge.lore.predicate);
    if (!rel) return edge.label;
    return edge.from === id || rel.symmetric ? rel.label : rel.inverse_label;
  }

  /* A relation's span, "since …, until …", and whether it holds at the point. */
  function spanLine(e) {
    const span = spanOfEdge.get(e.id);
    if (!span) return null;
    const line = el("div", {class: "span"});
    const end = (word, slug) => {
      if (line.childNodes.length) line.append(", ");
      line.append(word + " ");
      line.append(slugKnown(slug) ? entityButton(slug) : el("span", {text: "a later work"}));
    };
    if (span.since) end("since", span.since);
    if (span.until) end("until", span.until);
    const h = holdingOf(e);
    if (state.at !== null && h !== "1") {
      line.append(el("span", {class: "holding", text: h === "0"
        ? " · does not hold at " + POINTS[state.at].name
        : " · may or may not hold at " + POINTS[state.at].name + " (the story order does not say)"}));
    }
    return line;
  }

  function renderPanel(node) {
    const lore = node.lore;
    const kind = kindByName.get(node.kind);
    const parts = [
      el("button", {class: "close", text: "×", attrs: {type: "button", "aria-label": "Close the panel"}, on: {click: clearSelection}}),
      el("p", {class: "kind"}, [kindIcon(node.kind), el("span", {text: kind ? kind.label : node.kind})]),
      el("h2", {id: "panel-name", text: lore.name}),
    ];
    if (!shown.nodes.has(node.id)) {
      parts.push(el("p", {class: "hint", text: "Hidden by the filters in the graph."}));
    }
    const death = deathState(node.id);
    if (death !== "0") {
      parts.push(el("p", {class: "dead", text: (death === "1" ? "Dead" : "Perhaps dead: the story order does not say") +
        " at " + POINTS[state.at].name + "."}));
    }
    if (lore.aliases.length) {
      parts.push(el("p", {class: "aliases"}, [el("span", {class: "label", text: "Also known as "}), lore.aliases.join(", ")]));
    }
    if (lore.description) parts.push(el("p", {class: "description", text: lore.description}));
    const facts = lore.facts.map((f) => {
      let value;
      if (f.ref) value = entityButton(f.ref);
      else if (f.url && /^https?:\/\//i.test(f.url)) {
        value = el("a", {text: f.url, attrs: {href: f.url, rel: "noopener noreferrer nofollow", target: "_blank"}});
      } else value = el("span", {text: f.url || f.text});
      return [el("dt", {text: f.label}), el("dd", {}, [value])];
    });
    if (facts.length) parts.push(el("dl", {class: "facts"}, facts.flat()));
    if (lore.sources.length) {
      parts.push(el("p", {class: "sources"}, [el("span", {class: "label", text: "Sources: "}), citations(lore.sources)]));
    }

    const groups = new Map();
    const knownEdges = (edgesOf.get(node.id) || []).filter(edgeKnown);
    for (const e of knownEdges) {
      const label = reading(e, node.id);
      const key = e.lore.layer + "\u0000" + label;
      if (!groups.has(key)) groups.set(key, {layer: e.lore.layer, label, edges: []});
      groups.get(key).edges.push(e);
    }
    const ordered = Array.from(groups.values()).sort((a, b) =>
      LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer) || a.label.localeCompare(b.label));
    const total = knownEdges.length;
    const section = el("section", {class: "relations"}, [
      el("h3", {text: total ? "Relations (" + total + ")" : "No relations"}),
    ]);
    for (const g of ordered) {
      const items = g.edges.map((e) => {
        const other = e.from === node.id ? e.to : e.from;
        const target = nodeById.get(other);
        return el("li", {class: "statement" + (shown.edges.has(e.id) ? "" : " filtered")}, [
          el("div", {class: "line"}, [
            entityButton(target.lore.id),
            target ? el("span", {class: "muted", text: " " + (kindByName.get(target.kind) || {label: target.kind}).label.toLowerCase()}) : null,
          ]),
          spanLine(e),
          e.lore.note ? el("div", {class: "note", text: e.lore.note}) : null,
          el("div", {class: "from"}, [citations(e.lore.sources)]),
        ]);
      });
      section.append(el("div", {class: "group"}, [
        el("h4", {}, [layerIcon(g.layer), el("span", {text: g.label}), layerBadge(g.layer)]),
        el("ul", {}, items),
      ]));
    }
    parts.push(section);

    const notes = (notesOf.get(node.id) || []).filter(noteKnown);
    if (notes.length) {
      parts.push(el("section", {class: "notes"}, [
        el("h3", {text: "Notes (" + notes.length + ")"}),
        el("ul", {}, notes.map((n) => el("li", {}, [
          layerBadge(n.layer),
          el("span", {class: "note-text", text: " " + n.text}),
          el("div", {class: "from"}, [citations(n.sources)]),
        ]))),
      ]));
    }
    panel.replaceChildren(...parts);
    panel.hidden = false;
    panel.scrollTop = 0;
    document.body.classList.add("has-panel");
  }

  // --- the controls --------------------------------------------------------
  function checkbox(id, checked, onChange, children) {
    const input = el("input", {attrs: {type: "checkbox", id}});
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    return el("label", {class: "check", attrs: {for: id}}, [input, ...children]);
  }

  function toggle(set, key, on) {
    if (on) set.delete(key);
    else set.add(key);
    applyFilters();
  }

  function buildControls() {
    document.title = tabTitle(DATA.title);
    $("title").replaceChildren(textNode(DATA.title));
    const c = DATA.counts;
    const name = DATA.universe.name;
    $("summary").replaceChildren(...[
      ...(name !== DATA.title ? [name, " · "] : []),
      [plural(c.entities, "entity", "entities"), plural(c.statements, "statement", "statements"),
        plural(c.notes, "note", "notes")].join(" · "),
      ...(DATA.cut ? [" · ", DATA.cut, ": later works are left out of this file"] : []),
    ].map(textNode));

    const layers = $("layers");
    for (const l of DATA.layers) {
      layers.append(checkbox("layer-" + l.layer, true, (on) => toggle(state.hiddenLayers, l.layer, on), [
        layerIcon(l.layer),
        el("span", {class: "name", text: l.label}),
        el("span", {class: "count", text: String(l.count)}),
        el("span", {class: "hint", text: l.hint}),
      ]));
    }
    const kinds = $("kinds");
    for (const k of DATA.kinds) {
      kinds.append(checkbox("kind-" + k.kind, true, (on) => toggle(state.hiddenKinds, k.kind, on), [
        kindIcon(k.kind),
        el("span", {class: "name", text: k.plural}),
        el("span", {class: "count", text: String(k.count)}),
      ]));
    }
    const relations = $("relations");
    for (const layer of LAYER_ORDER) {
      const rels = DATA.relations.filter((r) => r.layer === layer);
      if (!rels.length) continue;
      const group = el("fieldset", {class: "relation-group"}, [el("legend", {text: layerByName.get(layer).label})]);
      for (const r of rels) {
        group.append(checkbox("rel-" + r.name, true, (on) => toggle(state.hiddenPredicates, r.name, on), [
          el("span", {class: "name", text: r.label}),
          el("span", {class: "count", text: String(r.count)}),
        ]));
      }
      relations.append(group);
    }
    buildHorizon();
    buildStory();
    $("hood-on").addEventListener("change", (ev) => {
      state.hood.on = ev.target.checked;
      applyFilters();
      if (!state.hood.on && network) network.fit({animation: {duration: 350}});
    });
    $("hood-depth").addEventListener("change", (ev) => {
      const n = Math.max(1, Math.min(6, parseInt(ev.target.value, 10) || 1));
      ev.target.value = String(n);
      state.hood.depth = n;
      if (state.hood.on) applyFilters();
    });
    $("reset").addEventListener("click", () => {
      if (state.horizon) setHorizon("");
      if (state.at !== null) setAt(null);
      state.hiddenKinds.clear();
      state.hiddenLayers.clear();
      state.hiddenPredicates.clear();
      state.hood.on = false;
      for (const input of document.querySelectorAll("#filters input[type=checkbox]")) {
        input.checked = input.id !== "hood-on";
      }
      applyFilters();
      if (network) network.fit({animation: {duration: 350}});
    });
    $("fit").addEventListener("click", () => fitShown());
    if (window.matchMedia("(max-width: 760px)").matches) $("filters").open = false;
  }

  /* The "as of" selector: stop at a work, in release or story order. */
  function buildHorizon() {
    const box = $("horizon");
    if (!DATA.horizons.length) {
      box.hidden = true;
      return;
    }
    const select = $("horizon-select");
    select.append(el("option", {text: "Everything (spoilers!)", attrs: {value: ""}}));
    for (const h of DATA.horizons) {
      const group = el("optgroup", {attrs: {label: h.order === "release" ? "In release order" : "In story order"}});
      h.works.forEach((w, i) => {
        group.append(el("option", {text: w.name, attrs: {value: h.order + ":" + i}}));
      });
      select.append(group);
    }
    select.addEventListener("change", () => setHorizon(select.value));
  }

  /* The "At" selector: the world as it stands at a point of the story. */
  function buildStory() {
    const box = $("story");
    if (!STORY) return; // stays hidden
    box.hidden = false;
    const select = $("story-select");
    select.append(el("option", {text: "Whole story", attrs: {value: ""}}));
    POINTS.forEach((p, i) => {
      select.append(el("option", {text: "\u00a0\u00a0\u00a0".repeat(p.depth) + p.name, attrs: {value: String(i)}}));
    });
    select.addEventListener("change", () => setAt(select.value === "" ? null : parseInt(select.value, 10)));
    const legend = $("story-legend");
    const unsure = svg("svg", {viewBox: "0 0 28 10", width: 28, height: 10, class: "icon", "aria-hidden": "true"});
    unsure.append(svg("line", {x1: 1, y1: 5, x2: 27, y2: 5, stroke: "#4B5563", "stroke-width": 2.2, "stroke-dasharray": UNSURE_DASHES.join(" ")}));
    legend.append(
      el("li", {}, [unsure, el("span", {text: "may or may not hold then: the story order does not say"})]),
      el("li", {}, [el("span", {class: "mark", text: DEAD.mark.trim()}), el("span", {text: "dimmed: dead by then (\u2020? perhaps)"})]),
    );
    refreshPoints();
  }

  /* Points beyond the spoiler horizon cannot be chosen. */
  function refreshPoints() {
    if (!STORY) return;
    for (const option of $("story-select").options) {
      if (option.value === "") continue;
      const ok = pointKnown(parseInt(option.value, 10));
      option.disabled = !ok;
      option.hidden = !ok;
    }
  }

  /* Choose a story point (an index into POINTS) or null for the whole story. */
  function setAt(index, opts) {
    const o = opts || {};
    const i = index === null || index === undefined || !(index >= 0 && index < POINTS.length) ? null : index;
    state.at = i !== null && pointKnown(i) ? i : null;
    const value = state.at === null ? "" : String(state.at);
    if (STORY && $("story-select").value !== value) $("story-select").value = value;
    restyle();
    applyFilters();
    if (state.selected !== null) renderPanel(nodeById.get(state.selected));
    if (!o.fromHash) writeHash();
  }

  /* Draw not-determined relations dash-dotted and the dead dimmed with a
   * cross; everything else as the data says. Only what changes is updated. */
  const styled = {edges: new Set(), nodes: new Map()};
  function restyle() {
    const edgeChanges = [];
    for (const id of spanOfEdge.keys()) {
      const e = edgeIndex.get(id);
      const unsure = holdingOf(e) === "?";
      if (unsure === styled.edges.has(id)) continue;
      if (unsure) styled.edges.add(id);
      else styled.edges.delete(id);
      edgeChanges.push({
        id,
        dashes: unsure ? UNSURE_DASHES : e.dashes,
        title: unsure ? e.title + " (may or may not hold at this point)" : e.title,
      });
    }
    const nodeChanges = [];
    for (const id of deathOf.keys()) {
      const n = nodeById.get(id);
      const d = deathState(id);
      const look = d === "1" ? DEAD : d === "?" ? MAYBE_DEAD : null;
      const key = look ? look.mark : "";
      if (key === (styled.nodes.get(id) || "")) continue;
      styled.nodes.set(id, key);
      nodeChanges.push({
        id,
        label: look ? look.mark + n.label : n.label,
        opacity: look ? look.opacity : 1,
        title: look ? look.mark + n.title : n.title,
      });
    }
    if (edgeChanges.length) edgeSet.update(edgeChanges);
    if (nodeChanges.length) nodeSet.update(nodeChanges);
  }

  function setHorizon(value) {
    const [order, index] = value.split(":");
    const masks = DATA.horizons.find((h) => h.order === order);
    state.horizon = masks ? {order, index: parseInt(index, 10), masks} : null;
    if ($("horizon-select").value !== value) $("horizon-select").value = value;
    if (state.selected !== null && !nodeKnown(nodeById.get(state.selected))) clearSelection();
    refreshPoints();
    if (state.at !== null && !pointKnown(state.at)) setAt(null);
    else restyle(); // a death beyond the horizon is not told
    applyFilters();
    if (state.selected !== null) renderPanel(nodeById.get(state.selected));
    if (searchBox.value.trim()) {
      results = search(searchBox.value, 12);
      active = results.length ? 0 : -1;
      renderResults();
    }
  }

  function renderStatus() {
    const total = DATA.nodes.length;
    const n = shown.nodes.size;
    const m = shown.edges.size;
    const parts = [n === total && m === DATA.edges.length
      ? "Showing everything"
      : "Showing " + n.toLocaleString("en") + " of " + plural(total, "entity", "entities") +
        ", " + m.toLocaleString("en") + " of " + plural(DATA.edges.length, "statement", "statements")];
    if (state.horizon) {
      const h = state.horizon;
      parts.push(" · as of ", h.masks.works[h.index].name, " (" + h.order + " order)");
    }
    if (state.at !== null) parts.push(" · at ", POINTS[state.at].name, " in the story");
    if (state.hood.on && state.selected === null) parts.push(" · select an entity to see its neighbourhood");
    $("status").replaceChildren(...parts.map(textNode));
  }

  // --- selection and the address bar -----------------------------------------
  /* The address bar: "#slug", "#slug@point" or "@point"; each part is
   * percent-decoded on its own and only ever looked up in a Map. */
  function hashParts() {
    const raw = location.hash.replace(/^#/, "");
    const at = raw.indexOf("@");
    const decode = (text) => {
      try {
        return decodeURIComponent(text);
      } catch (err) {
        return "";
      }
    };
    return at < 0 ? {slug: decode(raw), point: null} : {slug: decode(raw.slice(0, at)), point: decode(raw.slice(at + 1))};
  }

  function slugFromHash() {
    return hashParts().slug;
  }

  /* The point the address bar names, as an index, or null. */
  function pointFromHash() {
    const p = hashParts().point;
    return p === null || !pointIndex.has(p) ? null : pointIndex.get(p);
  }

  function hashFor(slug) {
    const point = state.at === null ? "" : "@" + encodeURIComponent(POINTS[state.at].id);
    return (slug === null ? "" : encodeURIComponent(slug)) + point;
  }

  function writeHash() {
    const want = hashFor(state.selected === null ? null : nodeById.get(state.selected).lore.id);
    if (location.hash.replace(/^#/, "") !== want) location.hash = want;
  }

  function select(id, opts) {
    const o = opts || {};
    const node = nodeById.get(id);
    if (!node || !nodeKnown(node)) return false;
    state.selected = id;
    if (state.hood.on) applyFilters();
    renderPanel(node);
    if (!network) {
      // chosen before the graph is drawn: draw() selects it from the address
    } else if (shown.nodes.has(id)) {
      network.setSize("100%", "100%"); // the panel may just have taken room
      network.selectNodes([id]);
      // camera: "pan" (the default) brings the entity to the middle, zooming
      // in only when the view is too far out to read it; "zoom" goes straight
      // there; "stay" leaves the view alone (a click on the node itself).
      const camera = o.camera || "pan";
      if (!state.hood.on && camera !== "stay") {
        const scale = network.getScale() < 0.5 ? 0.8 : network.getScale();
        const view = {scale, offset: panelOffset()};
        if (camera === "pan") view.animation = {duration: 450, easingFunction: "easeInOutQuad"};
        network.focus(id, view);
      }
    } else {
      network.unselectAll();
    }
    renderStatus();
    if (!o.fromHash) writeHash();
    return true;
  }

  /* On a narrow screen the panel is a sheet over the lower part of the graph:
   * aim the camera at the part still in view. */
  function panelOffset() {
    if (panel.hidden || getComputedStyle(panel).position !== "absolute") return {x: 0, y: 0};
    return {x: 0, y: -panel.offsetHeight / 2};
  }

  function clearSelection() {
    state.selected = null;
    panel.hidden = true;
    panel.replaceChildren();
    document.body.classList.remove("has-panel");
    if (network) network.unselectAll();
    if (state.hood.on) applyFilters();
    renderStatus();
    if (location.hash) writeHash();
  }

  window.addEventListener("hashchange", () => {
    if (!settled) return;
    const point = pointFromHash();
    if (point !== state.at) setAt(point, {fromHash: true});
    const id = idOfSlug.get(slugFromHash());
    if (id !== undefined && id !== state.selected) select(id, {fromHash: true});
    else if (!slugFromHash() && state.selected !== null) clearSelection();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && state.selected !== null && document.activeElement !== searchBox) clearSelection();
  });

  // --- start-up ------------------------------------------------------------
  buildControls();
  if (STORY) {
    // the address bar's point first, else the one the page was written at (--at)
    const point = pointFromHash();
    const given = STORY.at === null ? undefined : pointIndex.get(STORY.at);
    if (point !== null) setAt(point, {fromHash: true});
    else if (given !== undefined) setAt(given, {fromHash: true});
  }
  renderStatus();
  layOut();

  /* For tests and debugging: the network and the selection, read-only use. */
  const slugOf = (id) => nodeById.get(id).lore.id;
  window.lorePage = {
    network: null, // set once the graph is drawn
    nodes: nodeSet,
    edges: edgeSet,
    idOf: (slug) => idOfSlug.get(slug), // the vis-network id of an entity
    slugOf,
    select: (slug) => select(idOfSlug.get(slug)),
    search: (q) => search(q, 12).map((r) => r.node.lore.id),
    shownNodeIds: () => Array.from(shown.nodes, slugOf),
    shownEdgeIds: () => Array.from(shown.edges),
    selected: () => (state.selected === null ? null : slugOf(state.selected)),
    nodeFilters,
    edgeFilters,
    applyFilters,
    setHorizon, // "release:2", "story:0", or "" for everything
    setAt: (id) => setAt(id === null || id === "" ? null : pointIndex.get(id)), // a point's id, or null
    at: () => (state.at === null ? null : POINTS[state.at].id),
  };
})();
