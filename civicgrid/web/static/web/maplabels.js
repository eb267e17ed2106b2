// Region names as permanent labels on a Leaflet map, only where they can be read: a level's names show once its
// areas are large enough on screen to hold them (streets when zoomed out, communities in between, grids when
// zoomed in), with the level above as context; a name that would not fit inside its own area or would overlap a
// name already placed is left out. Names come from imported files and are set as text, never parsed as HTML.
(function () {
  "use strict";
  const ORDER = ["street", "community", "grid"];
  const FONT = { street: 15, community: 13, grid: 12 };
  const MAX_LABELS = 400;

  // Wide enough for the name in the label's font (CJK characters are one em, Latin ones about 0.6 em).
  function labelSize(text, px) {
    let width = 0;
    for (const ch of text) width += ch.charCodeAt(0) > 0x2e80 ? px : px * 0.62;
    return { width: width + 8, height: px + 6 };
  }

  function centerOf(layer) {
    try { return layer.getCenter(); } catch (e) { return layer.getBounds().getCenter(); }
  }

  function RegionLabels(map, options) {
    this.map = map;
    this.className = (options && options.className) || "";
    this.entries = [];
    map.on("zoomend moveend resize", () => this.update());
  }

  // Labels for every feature of a GeoJSON layer of one level (replacing that level's earlier labels).
  RegionLabels.prototype.add = function (level, geoLayer) {
    this.clear(level);
    geoLayer.eachLayer((layer) => {
      const name = String((layer.feature && layer.feature.properties.name) || "");
      if (!name) return;
      const span = document.createElement("span");
      span.textContent = name;
      const tip = L.tooltip({ permanent: true, direction: "center", interactive: false, opacity: 1,
        className: `region-label region-label-${level} ${this.className}` }).setContent(span);
      this.entries.push({ level, layer, tip, center: null, shown: false, size: labelSize(name, FONT[level] || 12) });
    });
    this.update();
  };

  RegionLabels.prototype.clear = function (level) {
    this.entries = this.entries.filter((e) => {
      if (level && e.level !== level) return true;
      if (e.shown) this.map.removeLayer(e.tip);
      return false;
    });
  };

  // How many times over an area's box on screen could hold its name (the smaller of width and height).
  RegionLabels.prototype.room = function (entry) {
    const b = entry.layer.getBounds();
    const nw = this.map.latLngToContainerPoint(b.getNorthWest());
    const se = this.map.latLngToContainerPoint(b.getSouthEast());
    return Math.min((se.x - nw.x) / entry.size.width, (se.y - nw.y) / entry.size.height);
  };

  // The finest level whose typical area holds its name, and the level above it.
  RegionLabels.prototype.levels = function () {
    const present = ORDER.filter((level) => this.entries.some((e) => e.level === level));
    for (let i = present.length - 1; i >= 0; i--) {
      const rooms = this.entries.filter((e) => e.level === present[i]).map((e) => this.room(e)).sort((a, b) => a - b);
      if (rooms[Math.floor(rooms.length / 2)] >= 1) return present.slice(Math.max(0, i - 1), i + 1);
    }
    return [];
  };

  RegionLabels.prototype.update = function () {
    const map = this.map;
    if (!map._loaded) return;
    const levels = this.levels();
    const size = map.getSize();
    const placed = [];
    // The finer level's names first: they are what the zoom is for; the level above fills the gaps around them.
    const candidates = this.entries.filter((e) => levels.includes(e.level))
      .sort((a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level));
    const view = map.getBounds();
    const show = new Set();
    for (const entry of candidates) {
      if (placed.length >= MAX_LABELS) break;
      if (entry.level === levels[levels.length - 1] && this.room(entry) < 1) continue;  // would spill out of its area
      const bounds = entry.layer.getBounds();
      if (!view.intersects(bounds)) continue;
      entry.center = entry.center || centerOf(entry.layer);
      // Zoomed in past an area's middle, its name moves to the middle of the part on screen, so it stays in sight.
      entry.at = view.contains(entry.center) ? entry.center : L.latLngBounds(
        [Math.max(view.getSouth(), bounds.getSouth()), Math.max(view.getWest(), bounds.getWest())],
        [Math.min(view.getNorth(), bounds.getNorth()), Math.min(view.getEast(), bounds.getEast())]).getCenter();
      const p = map.latLngToContainerPoint(entry.at);
      const box = { x1: p.x - entry.size.width / 2 - 3, x2: p.x + entry.size.width / 2 + 3,
        y1: p.y - entry.size.height / 2 - 2, y2: p.y + entry.size.height / 2 + 2 };
      if (box.x2 < 0 || box.y2 < 0 || box.x1 > size.x || box.y1 > size.y) continue;
      if (placed.some((o) => box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2)) continue;
      placed.push(box);
      show.add(entry);
    }
    for (const entry of this.entries) {
      if (show.has(entry) && !entry.shown) map.addLayer(entry.tip.setLatLng(entry.at));
      else if (show.has(entry) && !entry.tip.getLatLng().equals(entry.at)) entry.tip.setLatLng(entry.at);
      else if (!show.has(entry) && entry.shown) map.removeLayer(entry.tip);
      entry.shown = show.has(entry);
    }
    map.getContainer().dataset.labels = String(show.size);
  };

  window.RegionLabels = RegionLabels;
})();
