// The dashboard and the command view: charts (ECharts), the map of open cases over a grid choropleth of overdue
// cases (Leaflet), every element drilling down to the case list behind it; the command view refreshes itself.
(function () {
  "use strict";
  const script = document.currentScript;
  const dark = Boolean(script.dataset.dark);
  let data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const charts = {};

  function chart(id) {
    const el = document.getElementById(id);
    if (!el) return null;
    if (!charts[id]) {
      charts[id] = echarts.init(el, dark ? "dark" : null);
      charts[id].on("click", (params) => { if (params.data && params.data.link) window.location = params.data.link; });
    }
    return charts[id];
  }

  function draw() {
    const trend = chart("trend");
    if (trend) {
      const link = (day) => `${script.dataset.cases}?created_after=${day}T00:00:00%2B08:00&created_before=${day}T23:59:59%2B08:00`;
      trend.setOption({
        tooltip: {trigger: "axis"}, legend: {data: [script.dataset.reported, script.dataset.closed]},
        xAxis: {type: "category", data: data.trend.days.map((d) => d.slice(5))}, yAxis: {type: "value"},
        series: [
          {name: script.dataset.reported, type: "bar", data: data.trend.reported.map((v, i) => ({value: v, link: link(data.trend.days[i])}))},
          {name: script.dataset.closed, type: "line", data: data.trend.closed},
        ],
      });
    }
    for (const [id, rows] of [["classes", data.classes], ["sources", data.sources]]) {
      const c = chart(id);
      if (c) c.setOption({tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "70%"], data: rows}]});
    }
  }

  let map = null;
  let pointLayer = null;
  let gridLayer = null;
  let outlines = null;

  function drawMap() {
    const el = document.getElementById("case-map");
    if (!el) return;
    if (!map) {
      map = L.map(el, {preferCanvas: true});
      fetch(script.dataset.grids, {credentials: "same-origin"}).then((r) => r.json()).then((geo) => {
        outlines = geo;
        drawGrids();
      });
    }
    if (pointLayer) pointLayer.remove();
    pointLayer = L.layerGroup(data.points.map((p) => L.circleMarker([p.lat, p.lng], {
      radius: 3, color: p.overdue ? "#c0392b" : "#1f6feb", weight: 1, fillOpacity: 0.8,
    }).on("click", () => { window.location = `${script.dataset.cases}${encodeURIComponent(p.number)}/`; }))).addTo(map);
    if (outlines) drawGrids();
  }

  // Region names come from imported files: shown as text, never parsed as HTML.
  function textElement(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function drawGrids() {
    if (gridLayer) gridLayer.remove();
    const counts = data.overdue_by_grid;
    const max = Math.max(1, ...Object.values(counts));
    gridLayer = L.geoJSON(outlines, {
      style: (f) => {
        const n = counts[f.properties.code] || 0;
        return {color: "#888", weight: 0.5, fillColor: "#c0392b", fillOpacity: n ? 0.15 + 0.6 * n / max : 0};
      },
      onEachFeature: (f, layer) => {
        const n = counts[f.properties.code] || 0;
        layer.bindTooltip(textElement(`${f.properties.name}：${n}`));
        layer.on("click", () => { window.location = `${script.dataset.cases}?region=${f.properties.code}&overdue=true`; });
      },
    }).addTo(map);
    gridLayer.bringToBack();
    if (outlines.features.length) map.fitBounds(gridLayer.getBounds());
    else map.setView([41.8, 123.4], 11);
  }

  function refreshKpis() {
    for (const k of data.kpis) {
      const el = document.querySelector(`[data-kpi="${k.key}"] b`);
      if (el) el.textContent = k.key === "on_time_closure_rate" ? (k.value === null ? "—" : `${Math.round(k.value * 100)}%`) : k.value;
    }
  }

  draw();
  drawMap();
  if (script.dataset.refresh) {
    const status = document.getElementById("updated");
    const tick = () => fetch(script.dataset.refresh, {credentials: "same-origin"}).then((r) => r.json()).then((fresh) => {
      data = fresh;
      draw();
      drawMap();
      refreshKpis();
      status.textContent = `${script.dataset.updated} ${new Date().toLocaleTimeString()}`;
    });
    status.textContent = `${script.dataset.updated} ${new Date().toLocaleTimeString()}`;
    setInterval(tick, 60000);
  }
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
})();
