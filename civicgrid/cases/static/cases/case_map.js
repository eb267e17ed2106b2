// The case's point in its grid, on the case page.
(function () {
  const el = document.getElementById("case-map");
  const point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  const map = L.map(el).setView(point, 16);
  const grid = JSON.parse(document.getElementById("case-grid").textContent);
  if (grid) {
    const outline = L.geoJSON(grid, { style: { color: "#2f7d32", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });
  }
  L.circleMarker(point, { radius: 8, color: "#b3261e", weight: 2, fillOpacity: 0.6 }).addTo(map);
})();
