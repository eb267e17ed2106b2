// The grid map: regions and places from the API as GeoJSON, no internet tiles unless configured. The chosen level
// is drawn with its areas, the levels above it as borders; region names are labelled at zooms where they fit.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const status = document.getElementById("map-status");
  const LEVELS = ["street", "community", "grid"];
  // Offline (no tiles) the outlines are the map: past zoom 18 a grid fills the screen and nothing is left to see.
  // With tiles, the server's last zoom is scaled up two steps rather than asked for tiles it does not have.
  const nativeZoom = Number(el.dataset.tileMaxZoom) || 18;
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.25, minZoom: 5,
    maxZoom: el.dataset.tileUrl ? nativeZoom + 2 : 18 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxNativeZoom: nativeZoom,
      maxZoom: nativeZoom + 2 }).addTo(map);
  }
  const palette = { street: "#b3261e", community: "#1a5fb4", grid: "#2f7d32" };
  const weights = { street: 3, community: 2, grid: 1 };
  const labels = new RegionLabels(map);
  const loaded = {};
  let regionLayers = [], placeLayer = null, fitted = false;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  async function regions(level) {
    if (!loaded[level]) {
      const response = await fetch(`${el.dataset.regionsUrl}?format=geojson&level=${level}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      loaded[level] = await response.json();
    }
    return loaded[level];
  }

  async function loadRegions(level) {
    status.textContent = el.dataset.textLoading;
    const shown = LEVELS.slice(0, LEVELS.indexOf(level) + 1);
    const collections = [];
    try {
      for (const lv of shown) collections.push(await regions(lv));  // one request at a time (each cached once)
    } catch (error) {
      status.textContent = `${el.dataset.textFailed} (${error.message})`;
      return;
    }
    regionLayers.forEach((layer) => layer.remove());
    labels.clear();
    // The chosen level first (filled, clickable), then the borders of the levels above it over it.
    regionLayers = shown.slice().reverse().map((lv) => {
      const data = collections[shown.indexOf(lv)];
      const layer = lv === level
        ? L.geoJSON(data, {
          style: { color: palette[lv], weight: weights[lv], fillOpacity: 0.06 },
          onEachFeature: (f, l) => l.bindPopup(`<b>${escapeHtml(f.properties.name)}</b><br>${escapeHtml(f.properties.code)}`),
        })
        : L.geoJSON(data, { style: { color: palette[lv], weight: weights[lv], fill: false, opacity: 0.7 }, interactive: false });
      return layer.addTo(map);
    });
    const main = regionLayers[0];
    el.dataset.regionCount = String(collections[collections.length - 1].features.length);
    status.textContent = `${el.dataset.regionCount} ${el.dataset.textRegions}`;
    // The first view shows the whole area; changing the layer later keeps where the user has zoomed to.
    if (!fitted) {
      if (main.getLayers().length) map.fitBounds(main.getBounds());
      else map.setView([41.72, 123.45], 11);
      fitted = true;
    }
    shown.forEach((lv) => labels.add(lv, regionLayers[shown.length - 1 - shown.indexOf(lv)]));
  }

  async function loadPlaces(kind) {
    if (placeLayer) { placeLayer.remove(); placeLayer = null; }
    if (!kind) return;
    const response = await fetch(`${el.dataset.placesUrl}?kind=${encodeURIComponent(kind)}`, { credentials: "same-origin" });
    if (!response.ok) { status.textContent = `${el.dataset.textFailed} (${response.status})`; return; }
    const data = await response.json();
    placeLayer = L.geoJSON(data, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 4, color: "#6a1b9a", weight: 1, fillOpacity: 0.7 }),
      onEachFeature: (f, layer) => layer.bindPopup(`<b>${escapeHtml(f.properties.name)}</b><br>${escapeHtml(f.properties.kind_name)} · ${escapeHtml(f.properties.code)}`),
    }).addTo(map);
  }

  document.getElementById("level").addEventListener("change", (e) => loadRegions(e.target.value));
  document.getElementById("kind").addEventListener("change", (e) => loadPlaces(e.target.value));
  loadRegions(document.getElementById("level").value);
})();
