/* lorekit graph page: the layout.
 *
 * A deterministic force-directed layout (Fruchterman-Reingold forces, with
 * repulsion summed by a Barnes-Hut quadtree and weighted by degree as in
 * ForceAtlas2), run for a bounded number of steps that cool to rest. Each
 * connected part of the graph is laid out on its own, then the parts are
 * packed in rows, largest first, so a lone entity sits beside the rest
 * instead of being pushed off into the distance. It runs once when the page
 * opens; vis-network then draws the positions with its physics off, so
 * nothing moves afterwards unless the reader drags it.
 *
 * vis-network's own physics took about 30 ms a step at 2,000 nodes; this one
 * takes a few, so a large universe is laid out in under a second. Parts of
 * thousands of entities take fewer steps with a coarser quadtree (steps and
 * theta2 below): 10,000 entities are laid out in about two seconds.
 *
 * Last, a few passes push apart entities whose boxes (the shape and its
 * label) overlap, so that names stay readable.
 *
 * loreLayout(ids, links, options) -> {run(budgetMs) -> bool done, progress(), positions()}
 *   ids    array of node ids
 *   links  array of [fromIndex, toIndex]
 *   options.boxes  optional array of [halfWidth, halfHeight, dy] per node: the box
 *                  its shape and label take, centred dy below the node
 *   options.steps, options.theta2  optional: cooling steps and the quadtree's
 *                  theta squared, for every part (by default they follow its size)
 */
function loreLayout(ids, links, options) {
  "use strict";
  const opts = options || {};
  const n = ids.length;
  const K = opts.edgeLength || 100;

  const adj = Array.from({length: n}, () => []);
  for (const [a, b] of links) {
    if (a === b) continue;
    adj[a].push(b);
    adj[b].push(a);
  }

  // Connected parts, each in breadth-first order from its best-linked entity.
  const parts = [];
  const part = new Int32Array(n).fill(-1);
  const byDegree = Array.from({length: n}, (_, i) => i)
    .sort((a, b) => adj[b].length - adj[a].length || a - b);
  for (const root of byDegree) {
    if (part[root] >= 0) continue;
    const members = [root];
    part[root] = parts.length;
    for (let q = 0; q < members.length; q++) {
      for (const w of adj[members[q]]) {
        if (part[w] < 0) { part[w] = parts.length; members.push(w); }
      }
    }
    parts.push(members);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const sims = parts.map((members) => simulation(members));
  const total = sims.reduce((sum, s) => sum + s.steps, 0) || 1;
  let current = 0;
  let done = 0;

  /* One part's simulation; its positions are written into x and y. */
  function simulation(members) {
    const m = members.length;
    const local = new Map(members.map((v, i) => [v, i]));
    const src = [];
    const dst = [];
    for (const v of members) {
      for (const w of adj[v]) {
        if (v < w) { src.push(local.get(v)); dst.push(local.get(w)); }
      }
    }
    // Fewer steps, with a coarser quadtree, for big parts: each step costs
    // m log m, and the breadth-first spiral they start from is already close
    // to a layout (at 10,000 entities this is the page's longest wait).
    const big = m > 6000;
    const steps = m < 3 ? 0 : opts.steps || (m <= 300 ? 400 : m <= 3000 ? 160 : big ? 70 : 120);
    const theta2 = opts.theta2 || (m <= 3000 ? 1.0 : big ? 1.69 : 1.44);
    const px = new Float64Array(m);
    const py = new Float64Array(m);
    const mass = new Float64Array(m);
    // start on a sunflower spiral in breadth-first order: neighbours start close
    const golden = Math.PI * (3 - Math.sqrt(5));
    for (let i = 0; i < m; i++) {
      const r = K * 0.5 * Math.sqrt(i + 0.5) * (m < 3 ? 1.6 : 1);
      px[i] = r * Math.cos(i * golden);
      py[i] = r * Math.sin(i * golden);
      mass[i] = 1 + Math.sqrt(adj[members[i]].length);
    }
    const tree = quadtree(m, theta2);
    const fx = new Float64Array(m);
    const fy = new Float64Array(m);
    const start = K * Math.sqrt(m) * 0.25 + K;
    let step = 0;

    function tick() {
      const temperature = start * Math.pow(1 - step / steps, 2) + 1;
      tree.build(px, py, mass);
      fx.fill(0);
      fy.fill(0);
      const strength = K * K * 0.35;
      for (let i = 0; i < m; i++) tree.repel(i, px, py, mass, strength, fx, fy);
      for (let e = 0; e < src.length; e++) {
        const a = src[e], b = dst[e];
        const dx = px[a] - px[b];
        const dy = py[a] - py[b];
        const f = (Math.sqrt(dx * dx + dy * dy) + 1e-9) / K; // d^2 / k, along (dx, dy) / d
        fx[a] -= dx * f; fy[a] -= dy * f;
        fx[b] += dx * f; fy[b] += dy * f;
      }
      for (let i = 0; i < m; i++) {
        fx[i] -= px[i] * 0.02 * mass[i]; // a little gravity keeps the part round
        fy[i] -= py[i] * 0.02 * mass[i];
        const f = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]);
        if (f > 0) {
          const move = Math.min(f, temperature) / f;
          px[i] += fx[i] * move;
          py[i] += fy[i] * move;
        }
      }
      step++;
    }

    return {
      steps,
      /* One step; true once the part is at rest. */
      tick() {
        if (step < steps) tick();
        if (step < steps) return false;
        if (opts.boxes) separate(members, px, py);
        members.forEach((v, i) => { x[v] = px[i]; y[v] = py[i]; });
        return true;
      },
    };
  }

  /* Push apart the boxes of a part that overlap, along the axis where they
   * overlap least; neighbours are found through a grid of cells at least as
   * wide as two boxes, kept in flat arrays sorted by cell (no keys to build). */
  function separate(members, px, py) {
    const m = members.length;
    const gap = 6;
    const hw = new Float64Array(m);
    const hh = new Float64Array(m);
    const dy = new Float64Array(m);
    let widest = 1;
    for (let i = 0; i < m; i++) {
      const b = opts.boxes[members[i]];
      hw[i] = b[0] + gap / 2;
      hh[i] = b[1] + gap / 2;
      dy[i] = b[2];
      widest = Math.max(widest, hw[i], hh[i]);
    }
    const gx = new Int32Array(m);
    const gy = new Int32Array(m);
    const order = new Int32Array(m);
    for (let pass = 0; pass < 25; pass++) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let i = 0; i < m; i++) {
        x0 = Math.min(x0, px[i]); x1 = Math.max(x1, px[i]);
        y0 = Math.min(y0, py[i] + dy[i]); y1 = Math.max(y1, py[i] + dy[i]);
      }
      // cells of at least two boxes' width, and not many more cells than boxes
      const cell = Math.max(2 * widest, Math.sqrt(((x1 - x0) * (y1 - y0)) / (4 * m + 16)));
      const cols = Math.floor((x1 - x0) / cell) + 1;
      const rows = Math.floor((y1 - y0) / cell) + 1;
      const start = new Int32Array(cols * rows + 1);
      for (let i = 0; i < m; i++) {
        gx[i] = Math.floor((px[i] - x0) / cell);
        gy[i] = Math.floor((py[i] + dy[i] - y0) / cell);
        start[gx[i] * rows + gy[i] + 1]++;
      }
      for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
      const fill = start.slice(0, cols * rows);
      for (let i = 0; i < m; i++) order[fill[gx[i] * rows + gy[i]]++] = i; // by cell, then index
      let moved = false;
      for (let i = 0; i < m; i++) {
        for (let ox = -1; ox <= 1; ox++) {
          const cx = gx[i] + ox;
          if (cx < 0 || cx >= cols) continue;
          for (let oy = -1; oy <= 1; oy++) {
            const cy = gy[i] + oy;
            if (cy < 0 || cy >= rows) continue;
            const c = cx * rows + cy;
            for (let k = start[c]; k < start[c + 1]; k++) {
              const j = order[k];
              if (j <= i) continue;
              const ddx = px[j] - px[i];
              const ddy = py[j] + dy[j] - (py[i] + dy[i]);
              const overX = hw[i] + hw[j] - Math.abs(ddx);
              const overY = hh[i] + hh[j] - Math.abs(ddy);
              if (overX <= 0 || overY <= 0) continue;
              moved = true;
              if (overX < overY) {
                const push = (overX / 2) * (ddx > 0 || (ddx === 0 && i < j) ? 1 : -1);
                px[i] -= push; px[j] += push;
              } else {
                const push = (overY / 2) * (ddy > 0 || (ddy === 0 && i < j) ? 1 : -1);
                py[i] -= push; py[j] += push;
              }
            }
          }
        }
      }
      if (!moved) break;
    }
  }

  /* Place the parts in rows, largest first, with a gap of one edge length. */
  function pack() {
    const boxes = parts.map((members, p) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const v of members) {
        x0 = Math.min(x0, x[v]); y0 = Math.min(y0, y[v]);
        x1 = Math.max(x1, x[v]); y1 = Math.max(y1, y[v]);
      }
      return {p, x0, y0, w: x1 - x0 + K, h: y1 - y0 + K};
    });
    const area = boxes.reduce((sum, b) => sum + b.w * b.h, 0);
    const width = Math.max(Math.sqrt(area) * 1.5, ...boxes.map((b) => b.w));
    let cx = 0, cy = 0, row = 0;
    for (const b of boxes) { // parts are already largest first
      if (cx > 0 && cx + b.w > width) { cx = 0; cy += row; row = 0; }
      for (const v of parts[b.p]) { x[v] += cx - b.x0; y[v] += cy - b.y0; }
      cx += b.w;
      row = Math.max(row, b.h);
    }
  }

  return {
    /* Run steps for about `budget` milliseconds; true when the layout is done. */
    run(budget) {
      const until = performance.now() + (budget || Infinity);
      while (current < sims.length) {
        if (sims[current].tick()) current++;
        else done++;
        if (performance.now() >= until) break;
      }
      return current >= sims.length;
    },
    progress: () => Math.min(1, done / total),
    positions() {
      pack();
      const out = {};
      for (let i = 0; i < n; i++) out[ids[i]] = {x: Math.round(x[i] * 10) / 10, y: Math.round(y[i] * 10) / 10};
      return out;
    },
  };
}

/* A Barnes-Hut quadtree over m bodies, in flat arrays, rebuilt at each step.
 * A cell is taken as one body when its side is under theta times its
 * distance; theta2 is theta squared. */
function quadtree(m, theta2) {
  "use strict";
  let size = 4 * m + 16;
  let mass = new Float64Array(size);
  let cx = new Float64Array(size);
  let cy = new Float64Array(size);
  let side = new Float64Array(size);
  let x0 = new Float64Array(size);
  let y0 = new Float64Array(size);
  let body = new Int32Array(size); // -1 empty, >= 0 one body, -2 divided
  let kids = new Int32Array(4 * size);
  let cells = 0;
  let stack = new Int32Array(4 * size);

  function grow() {
    size *= 2;
    const more = (a, T, k) => { const b = new T(k * size); b.set(a); return b; };
    mass = more(mass, Float64Array, 1);
    cx = more(cx, Float64Array, 1);
    cy = more(cy, Float64Array, 1);
    side = more(side, Float64Array, 1);
    x0 = more(x0, Float64Array, 1);
    y0 = more(y0, Float64Array, 1);
    body = more(body, Int32Array, 1);
    kids = more(kids, Int32Array, 4);
    stack = new Int32Array(4 * size);
  }

  function cell(left, top, s) {
    if (cells >= size) grow();
    const c = cells++;
    mass[c] = 0; cx[c] = 0; cy[c] = 0;
    x0[c] = left; y0[c] = top; side[c] = s;
    body[c] = -1;
    kids[4 * c] = kids[4 * c + 1] = kids[4 * c + 2] = kids[4 * c + 3] = -1;
    return c;
  }

  function kid(c, px, py) {
    const half = side[c] / 2;
    const q = (px >= x0[c] + half ? 1 : 0) + (py >= y0[c] + half ? 2 : 0);
    let k = kids[4 * c + q];
    if (k < 0) {
      k = cell(x0[c] + (q & 1 ? half : 0), y0[c] + (q & 2 ? half : 0), half);
      kids[4 * c + q] = k;
    }
    return k;
  }

  function build(px, py, pm) {
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (let i = 0; i < m; i++) {
      left = Math.min(left, px[i]); top = Math.min(top, py[i]);
      right = Math.max(right, px[i]); bottom = Math.max(bottom, py[i]);
    }
    cells = 0;
    const root = cell(left - 1, top - 1, Math.max(right - left, bottom - top) + 2);
    // cx and cy sum mass times position while bodies go in; divided at the end
    for (let i = 0; i < m; i++) {
      let c = root;
      const mi = pm[i], xi = px[i] * mi, yi = py[i] * mi;
      for (let depth = 0; ; depth++) {
        const w = mass[c];
        cx[c] += xi;
        cy[c] += yi;
        mass[c] = w + mi;
        if (body[c] === -1 && w === 0) { body[c] = i; break; }
        if (depth > 40) break; // points in the same place: leave them lumped
        if (body[c] >= 0) {
          const j = body[c];
          body[c] = -2;
          const k = kid(c, px[j], py[j]);
          cx[k] = px[j] * pm[j]; cy[k] = py[j] * pm[j]; mass[k] = pm[j]; body[k] = j;
        }
        c = kid(c, px[i], py[i]);
      }
    }
    for (let c = 0; c < cells; c++) {
      if (mass[c] > 0) { cx[c] /= mass[c]; cy[c] /= mass[c]; }
    }
  }

  /* Add to (fx, fy)[i] the push of every other body: strength * mi * mj / d. */
  function repel(i, px, py, pm, strength, fx, fy) {
    let top = 0;
    stack[top++] = 0;
    while (top) {
      const c = stack[--top];
      if (body[c] === i || mass[c] === 0) continue;
      let dx = px[i] - cx[c];
      let dy = py[i] - cy[c];
      let d2 = dx * dx + dy * dy;
      if (body[c] >= 0 || side[c] * side[c] < theta2 * d2) {
        if (d2 < 1e-4) { // the same place: push apart in a fixed, made-up direction
          dx = ((i * 7919) % 13) - 5.5;
          dy = ((i * 104729) % 11) - 4.5;
          d2 = dx * dx + dy * dy;
        }
        const f = (strength * pm[i] * mass[c]) / d2;
        fx[i] += dx * f;
        fy[i] += dy * f;
      } else {
        for (let q = 0; q < 4; q++) {
          const k = kids[4 * c + q];
          if (k >= 0) stack[top++] = k;
        }
      }
    }
  }

  return {build, repel};
}
