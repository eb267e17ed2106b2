// The public map of reports: street outlines (named when they fit) and one point per report (private classes at
// their grid's centre). When the filters leave nothing to show, or the data does not load, a note over the map
// says so instead of an empty map.
(function () {
  "use strict";
  const el = document.getElementById("see-map");
  const note = document.getElementById("see-note");
  // Offline (no tiles) the outlines are the map; with tiles, their last zoom is scaled rather than left blank.
  const nativeZoom = Number(el.dataset.tileMaxZoom) || 18;
  const map = L.map(el, { attributionControl: !!el.dataset.tileUrl, minZoom: 5,
    maxZoom: el.dataset.tileUrl ? nativeZoom + 2 : 18 }).setView([41.72, 123.45], 11);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxNativeZoom: nativeZoom,
      maxZoom: nativeZoom + 2 }).addTo(map);
  }
  const labels = window.RegionLabels ? new RegionLabels(map) : null;

  function say(which) {
    note.querySelectorAll("[data-note]").forEach((p) => { p.hidden = p.dataset.note !== which; });
    note.classList.toggle("error", which === "failed");
    note.hidden = !which;
  }

  function json(url) {
    return fetch(url).then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }

  Promise.all([json(el.dataset.streetsUrl), json(el.dataset.url)])
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
      if (labels) labels.add("street", outline);
      say(reports.features.length ? "" : "empty");
    })
    .catch(() => say("failed"));
  document.querySelectorAll(".filters select").forEach((s) => s.addEventListener("change", () => s.form.submit()));
})();
