// The grids without any inspection in the period, on a map. Names come from imported boundary files, so
// tooltips are text elements, never HTML strings.
(function () {
  const data = JSON.parse(document.getElementById("uncovered-grids").textContent);
  const map = L.map("uncovered-map");
  const layer = L.geoJSON(data, {style: {color: "#c0392b", weight: 1, fillOpacity: 0.35}})
    .bindTooltip((l) => {
      const span = document.createElement("span");
      span.textContent = `${l.feature.properties.name} ${l.feature.properties.code}`;
      return span;
    }).addTo(map);
  if (data.features.length) { map.fitBounds(layer.getBounds()); } else { map.setView([41.8, 123.4], 11); }
})();
