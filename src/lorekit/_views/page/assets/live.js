/* lorekit live page: only in a page served by `lorekit serve`, never in a file.
 *
 * The server announces the version of its page on /events (Server-Sent
 * Events, same origin). When it is not the version this page was built from,
 * the page reloads itself. The selection is in the address (#slug) and
 * survives the reload; the camera is kept in this tab's session storage.
 * A broken universe is served as a page of errors carrying this same script,
 * so the tab comes back to the graph once the data is fixed.
 */
(() => {
  "use strict";
  const mine = document.getElementById("lore-version").textContent.trim();
  const VIEW = "lorekit-live-view";

  function saveView() {
    const net = window.lorePage && window.lorePage.network;
    if (!net) return; // the page of errors: keep the view of the last graph
    try {
      sessionStorage.setItem(VIEW, JSON.stringify({position: net.getViewPosition(), scale: net.getScale()}));
    } catch (err) {
      // storage refused: the selection still comes back from the address
    }
  }

  function restoreView() {
    let view = null;
    try {
      view = JSON.parse(sessionStorage.getItem(VIEW) || "null");
      sessionStorage.removeItem(VIEW);
    } catch (err) {
      return;
    }
    const net = window.lorePage && window.lorePage.network;
    if (!net || !view || typeof view.scale !== "number" || !view.position) return;
    const x = Number(view.position.x);
    const y = Number(view.position.y);
    if (Number.isFinite(x) && Number.isFinite(y) && view.scale > 0) net.moveTo({position: {x, y}, scale: view.scale});
  }

  if (document.body.dataset.state === "ready") restoreView();
  else if (document.body.dataset.state === "loading") {
    const watcher = new MutationObserver(() => {
      if (document.body.dataset.state === "ready") {
        watcher.disconnect();
        restoreView();
      }
    });
    watcher.observe(document.body, {attributes: true, attributeFilter: ["data-state"]});
  }

  const events = new EventSource("/events");
  events.addEventListener("open", () => {
    document.body.dataset.live = "connected";
  });
  events.addEventListener("error", () => {
    document.body.dataset.live = "waiting"; // EventSource tries again by itself
  });
  events.addEventListener("version", (ev) => {
    if (ev.data === mine) return;
    events.close();
    document.body.dataset.live = "reloading";
    saveView();
    location.reload();
  });
  window.loreLive = {version: mine};
})();
