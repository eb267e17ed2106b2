// The grid map: regions and places from the API as GeoJSON, no internet tiles unless configured.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const status = document.getElementById("map-status");
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  const palette = { street: "#b3261e", community: "#1a5fb4", grid: "#2f7d32" };
  let regionLayer = null, placeLayer = null;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  async function loadRegions(level) {
    status.textContent = el.dataset.textLoading;
    const response = await fetch(`${el.dataset.regionsUrl}?format=geojson&level=${level}`, { credentials: "same-origin" });
    if (!response.ok) { status.textContent = `${el.dataset.textFailed} (${response.status})`; return; }
    const data = await response.json();
    if (regionLayer) regionLayer.remove();
    regionLayer = L.geoJSON(data, {
      style: { color: palette[level], weight: level === "grid" ? 1 : 2, fillOpacity: 0.06 },
      onEachFeature: (f, layer) => layer.bindPopup(`<b>${escapeHtml(f.properties.name)}</b><br>${escapeHtml(f.properties.code)}`),
    }).addTo(map);
    el.dataset.regionCount = String(data.features.length);
    status.textContent = `${data.features.length} ${el.dataset.textRegions}`;
    if (data.features.length) map.fitBounds(regionLayer.getBounds());
    else map.setView([41.72, 123.45], 11);
  }

  async function loadPlaces(kind) {
    if (placeLayer) { placeLayer.remove(); placeLayer = null; }
    if (!kind) return;
    const response = await fetch(`${el.dataset.placesUrl}?kind=${encodeURIComponent(kind)}`, { credentials: "same-origin" });
    if (!response.ok) return;
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
