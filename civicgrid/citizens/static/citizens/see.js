// The public map of reports: street outlines and one point per report (private classes at their grid's centre).
(function () {
  "use strict";
  const el = document.getElementById("see-map");
  const map = L.map(el, { attributionControl: !!el.dataset.tileUrl }).setView([0, 0], 2);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  Promise.all([fetch(el.dataset.streetsUrl).then((r) => r.json()), fetch(el.dataset.url).then((r) => r.json())])
    .then(([streets, reports]) => {
      const outline = L.geoJSON(streets, { style: { color: "#1f6feb", weight: 1.5, fillOpacity: 0.05 } }).addTo(map);
      const points = L.geoJSON(reports, {
        pointToLayer: (f, latlng) => L.circleMarker(latlng, {
          radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9,
          fillColor: f.properties.state === "closed" ? "#1a7f37" : "#cf222e",
        }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          const box = document.createElement("div");
          box.append(Object.assign(document.createElement("strong"), { textContent: p.category }),
            document.createElement("br"), `${p.notes} · ${p.reported}`);
          layer.bindPopup(box);
        },
      }).addTo(map);
      const bounds = points.getBounds().isValid() ? points.getBounds() : outline.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16 });
    });
  document.querySelectorAll(".filters select").forEach((s) => s.addEventListener("change", () => s.form.submit()));
})();
