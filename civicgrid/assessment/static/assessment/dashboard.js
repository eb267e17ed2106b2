// The dashboard and the command view: charts (ECharts), the map of open cases over a grid choropleth of overdue
// cases (Leaflet), the street ranking and (command view) the latest cases, every element drilling down to the cases
// behind it. Both pages refresh from data.json (every minute, or every ?refresh=N seconds) in place: the charts,
// map layers, figures and lists are updated, never rebuilt, so nothing blinks and the map keeps the user's zoom.
// Every visible word comes from the page (data-* attributes), in the page's language.
(function () {
  "use strict";
  // Twelve colours told apart at a glance (ECharts' default nine repeat on a longer legend).
  const PALETTE = ["#1f6feb", "#e8590c", "#2f9e44", "#c2255c", "#7048e8", "#f08c00", "#0c8599", "#862e9c",
    "#5c940d", "#d6336c", "#1098ad", "#868e96"];
  const script = document.currentScript;
  const text = script.dataset;
  const dark = Boolean(text.dark);
  let data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const charts = {};
  const unit = text.unit || "";
  const withUnit = (v) => (unit ? `${v} ${unit}` : String(v));
  const percent = (v) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`);

  function chart(id) {
    const el = document.getElementById(id);
    if (!el) return null;
    if (!charts[id]) {
      charts[id] = echarts.init(el, dark ? "dark" : null);
      charts[id].on("click", (params) => { if (params.data && params.data.link) window.location = params.data.link; });
    }
    return charts[id];
  }

  // Charts ---------------------------------------------------------------------------------------------------

  function trendOption() {
    const link = (day) => `${text.cases}?created_after=${day}T00:00:00%2B08:00&created_before=${day}T23:59:59%2B08:00`;
    return {
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", valueFormatter: withUnit },
      legend: { top: 0, data: [text.reported, text.closed] },
      grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trend.days.map((d) => d.slice(5)), axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", name: unit, minInterval: 1, nameTextStyle: { align: "right" } },
      series: [
        { name: text.reported, type: "bar", barMaxWidth: 14, itemStyle: { color: dark ? "#4aa3ff" : "#1f6feb" },
          data: data.trend.reported.map((v, i) => ({ value: v, link: link(data.trend.days[i]) })) },
        { name: text.closed, type: "line", symbolSize: 5, itemStyle: { color: dark ? "#5ee08a" : "#1e7b34" },
          data: data.trend.closed },
      ],
    };
  }

  // A donut whose legend names every slice in full (wrapped, never cut with "…") with its count and share; the
  // slices large enough to hold it carry their share. The legend sits beside the donut where the chart is wide
  // enough, under it on a phone.
  function pieOption(el, rows) {
    const total = rows.reduce((sum, r) => sum + r.value, 0);
    const share = (v) => (total ? `${Math.round((v / total) * 1000) / 10}%` : "0%");
    const byName = Object.fromEntries(rows.map((r) => [r.name, r.value]));
    const width = el.clientWidth || 300;
    const height = el.clientHeight || 300;
    const side = width >= 340;
    const outer = side ? Math.min(width * 0.24, height * 0.42) : Math.min(width * 0.28, 100);
    const legendText = { color: dark ? "#cfe3f7" : "#1f2933", width: side ? width * 0.46 - 36 : width - 60,
      overflow: "break", lineHeight: 16 };
    return {
      backgroundColor: "transparent",
      color: PALETTE,
      title: { show: !rows.length, text: text.empty || "", left: "center", top: "middle",
        textStyle: { fontSize: 14, fontWeight: "normal", color: dark ? "#8ea3b8" : "#6b7780" } },
      tooltip: { trigger: "item", formatter: (p) => `${echarts.format.encodeHTML(p.name)}<br>${withUnit(p.value)} · ${p.percent}%` },
      legend: {
        type: side ? "scroll" : "plain", orient: "vertical", itemGap: 8, textStyle: legendText,
        ...(side ? { left: width * 0.54, top: "middle" } : { left: 8, top: outer * 2 + 24 }),
        formatter: (name) => `${name}  ${withUnit(byName[name])}  ${share(byName[name])}`,
      },
      series: [{
        type: "pie", radius: [outer * 0.55, outer], center: side ? [width * 0.27, "50%"] : ["50%", outer + 12],
        minAngle: 3, avoidLabelOverlap: true, itemStyle: { borderColor: dark ? "#102339" : "#fff", borderWidth: 1 },
        label: { show: true, position: "inside", fontSize: 11, color: "#fff", textBorderColor: "rgba(0,0,0,.45)",
          textBorderWidth: 2, width: outer * 0.5, overflow: "break",
          formatter: (p) => (p.percent >= 7 ? `${Math.round(p.percent)}%` : "") },
        labelLayout: { hideOverlap: true },
        data: rows,
      }],
    };
  }

  function draw() {
    const trend = chart("trend");
    if (trend) trend.setOption(trendOption());
    for (const [id, rows] of [["classes", data.classes], ["sources", data.sources]]) {
      const c = chart(id);
      if (!c) continue;
      const el = c.getDom();
      // On a phone the legend goes under the donut: the chart grows with the number of names.
      if (el.clientWidth < 340) {
        const needed = `${Math.round(Math.min(el.clientWidth * 0.28, 100) * 2 + 40 + Math.max(rows.length, 1) * 24)}px`;
        if (el.style.height !== needed) { el.style.height = needed; c.resize(); }
      } else if (el.style.height) {
        el.style.height = "";
        c.resize();
      }
      c.setOption(pieOption(el, rows));
    }
  }

  // The map ---------------------------------------------------------------------------------------------------

  const colours = dark
    ? { open: "#4aa3ff", overdue: "#ff5c5c", ring: "#0b1a2b", grid: "#7f9bb8", community: "#a9d1ff", street: "#ffd08a" }
    : { open: "#1f6feb", overdue: "#d1242f", ring: "#ffffff", grid: "#8a96a3", community: "#1a5fb4", street: "#7a1f1a" };
  // Grids by their overdue cases: none, 1–2, 3–5, 6 or more.
  const STEPS = [{ min: 6, fill: "#d7263d", label: "6+" }, { min: 3, fill: "#f78c40", label: "3–5" },
    { min: 1, fill: "#ffd166", label: "1–2" }];
  const step = (n) => STEPS.find((s) => n >= s.min) || null;
  const fillOpacity = dark ? 0.62 : 0.55;

  let map = null;
  let labels = null;
  let gridLayer = null;
  let fitted = false;
  const pointLayer = L.layerGroup();
  const markers = new Map();  // case number → [marker, "lat,lng,overdue"]

  // Region names come from imported files: shown as text, never parsed as HTML.
  function textElement(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function legend() {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      const box = L.DomUtil.create("div", "map-legend");
      box.id = "map-legend";
      const row = (swatchClass, colour, label) => {
        const line = L.DomUtil.create("div", "map-legend-row", box);
        const swatch = L.DomUtil.create("i", swatchClass, line);
        swatch.style.background = colour;
        line.append(textElement(label));
      };
      row("dot", colours.open, text.legendOpen);
      row("dot", colours.overdue, text.legendOverdue);
      L.DomUtil.create("div", "map-legend-title", box).textContent = text.legendGrids;
      row("square empty", "transparent", "0");
      STEPS.slice().reverse().forEach((s) => row("square", s.fill, s.label));
      box.querySelectorAll("i.square").forEach((i) => { i.style.opacity = String(fillOpacity + 0.15); });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function drawMap() {
    const el = document.getElementById("case-map");
    if (!el) return;
    if (!map) {
      // No internet tiles: the outlines are the map, so zooming stops where a grid still shows its borders.
      map = L.map(el, { preferCanvas: true, minZoom: 5, maxZoom: 18, zoomSnap: 0.5 });
      if (dark) el.classList.add("dark-map");
      labels = new RegionLabels(map, { className: dark ? "on-dark" : "" });
      pointLayer.addTo(map);
      // The panel's size follows the page's layout (charts growing on a phone, the window resized): keep up with it.
      if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize()).observe(el);
      legend().addTo(map);
      map.setView([41.8, 123.4], 11);
      fetch(text.grids, { credentials: "same-origin" }).then((r) => r.json()).then(drawOutlines);
    }
    drawPoints();
    if (gridLayer) styleGrids();
  }

  // Only the points that changed are added, moved or removed.
  function drawPoints() {
    const seen = new Set();
    for (const p of data.points) {
      const key = `${p.lat},${p.lng},${p.overdue}`;
      seen.add(p.number);
      const known = markers.get(p.number);
      if (known && known[1] === key) continue;
      if (known) pointLayer.removeLayer(known[0]);
      const marker = L.circleMarker([p.lat, p.lng], {
        radius: p.overdue ? 5 : 4, color: colours.ring, weight: 1, fillColor: p.overdue ? colours.overdue : colours.open,
        fillOpacity: 0.9,
      }).on("click", () => { window.location = `${text.cases}${encodeURIComponent(p.number)}/`; });
      pointLayer.addLayer(marker);
      markers.set(p.number, [marker, key]);
    }
    for (const [number, [marker]] of markers) {
      if (!seen.has(number)) { pointLayer.removeLayer(marker); markers.delete(number); }
    }
  }

  function gridStyle(code) {
    const s = step(data.overdue_by_grid[code] || 0);
    return { color: colours.grid, weight: 0.6, opacity: 0.8, fillColor: s ? s.fill : "#000", fillOpacity: s ? fillOpacity : 0 };
  }

  function gridTooltip(f) {
    return textElement(`${f.properties.name}：${withUnit(data.overdue_by_grid[f.properties.code] || 0)}`);
  }

  // Re-styled in place on refresh: the layers stay, so the map neither blinks nor moves.
  function styleGrids() {
    gridLayer.eachLayer((layer) => {
      layer.setStyle(gridStyle(layer.feature.properties.code));
      layer.setTooltipContent(gridTooltip(layer.feature));
    });
  }

  // The legend sits in the bottom-right corner: the district is fitted beside it or above it, whichever leaves
  // the larger map, never under it.
  function fitBesideLegend(bounds) {
    const box = document.getElementById("map-legend");
    const right = (box ? box.offsetWidth : 0) + 12, bottom = (box ? box.offsetHeight : 0) + 12;
    const beside = map.getBoundsZoom(bounds, false, L.point(right + 8, 16));
    const above = map.getBoundsZoom(bounds, false, L.point(16, bottom + 8));
    map.fitBounds(bounds, { paddingTopLeft: [8, 8], paddingBottomRight: above >= beside ? [8, bottom] : [right, 8] });
  }

  function drawOutlines(geo) {
    const of = (level) => ({ type: "FeatureCollection", features: geo.features.filter((f) => (f.properties.level || "grid") === level) });
    gridLayer = L.geoJSON(of("grid"), {
      style: (f) => gridStyle(f.properties.code),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(gridTooltip(f), { sticky: true });
        layer.on("click", () => { window.location = `${text.cases}?region=${f.properties.code}&overdue=true`; });
      },
    }).addTo(map);
    const borders = ["community", "street"].map((level) => [level, L.geoJSON(of(level), {
      interactive: false, style: { color: colours[level], weight: level === "street" ? 2 : 1.2, opacity: 0.9, fill: false },
    }).addTo(map)]);
    pointLayer.eachLayer((m) => m.bringToFront());
    const all = L.featureGroup([gridLayer, ...borders.map(([, layer]) => layer)]);
    // Fitted once, when the outlines first arrive; a refresh never moves the map the user has zoomed.
    if (!fitted && all.getLayers().some((l) => l.getLayers().length)) fitBesideLegend(all.getBounds());
    else if (!fitted && data.points.length) fitBesideLegend(L.latLngBounds(data.points.map((p) => [p.lat, p.lng])));
    fitted = true;
    for (const [level, layer] of borders) labels.add(level, layer);
    labels.add("grid", gridLayer);
  }

  // Figures, the ranking and the latest cases: text replaced in place --------------------------------------

  function refreshKpis() {
    for (const k of data.kpis) {
      const el = document.querySelector(`[data-kpi="${k.key}"] b`);
      if (el) el.textContent = k.key === "on_time_closure_rate" ? percent(k.value) : k.value;
    }
  }

  const dash = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));
  const CELLS = {
    rank: (r) => ({ text: dash(r.rank) }), name: (r) => ({ text: r.name }), score: (r) => ({ text: dash(r.score) }),
    grade: (r) => ({ text: r.grade || "" }), cases: (r) => ({ text: String(r.cases) }),
    on_time: (r) => ({ text: percent(r.on_time_closure_rate), href: r.on_time_closure_rate === null ? "" : r.link }),
  };

  function setCell(td, value) {
    let a = td.querySelector("a");
    if (value.href) {
      if (!a) { td.textContent = ""; a = td.appendChild(document.createElement("a")); }
      if (a.getAttribute("href") !== value.href) a.href = value.href;
      if (a.textContent !== value.text) a.textContent = value.text;
    } else if (a || td.textContent !== value.text) {
      td.textContent = value.text;
    }
  }

  // Rows are reused, and grown or cut to the new length; cells whose text is unchanged are left alone.
  function fillTable(tbody, rows) {
    const fields = tbody.dataset.fields.split(" ");
    rows.forEach((row, i) => {
      let tr = tbody.rows[i];
      if (!tr) {
        tr = tbody.insertRow();
        fields.forEach((f) => { tr.insertCell().dataset.field = f; });
      }
      fields.forEach((f, j) => setCell(tr.cells[j], CELLS[f](row)));
    });
    while (tbody.rows.length > rows.length) tbody.deleteRow(-1);
  }

  function refreshRanking() {
    const tbody = document.getElementById("ranking-rows");
    if (!tbody) return;
    const limit = Number(tbody.dataset.limit) || data.ranking.length;
    fillTable(tbody, data.ranking.slice(0, limit));
  }

  const LATEST_FIELDS = ["number", "class_name", "region_name", "state", "reported"];

  function latestItem(li) {
    if (!li.firstChild) {
      const a = li.appendChild(document.createElement("a"));
      for (const f of LATEST_FIELDS) a.appendChild(document.createElement("span")).className = `latest-${f}`;
      a.appendChild(document.createElement("span")).className = "latest-overdue badge danger";
    }
    return li.firstChild;
  }

  function fillLatest(list, rows) {
    rows.forEach((row, i) => {
      const li = list.children[i] || list.appendChild(document.createElement("li"));
      const a = latestItem(li);
      if (a.getAttribute("href") !== row.link) a.href = row.link;
      for (const f of LATEST_FIELDS) {
        const span = a.querySelector(`.latest-${f}`);
        if (span.textContent !== row[f]) span.textContent = row[f];
      }
      const flag = a.querySelector(".latest-overdue");
      flag.textContent = row.overdue ? text.overdue : "";
      flag.hidden = !row.overdue;
      li.classList.toggle("is-overdue", row.overdue);
    });
    while (list.children.length > rows.length) list.lastElementChild.remove();
  }

  // The list scrolls (CSS) only when it is longer than its panel: a second, hidden copy follows the first so the
  // loop has no seam. Hovering pauses it; with reduced motion it does not move and scrolls by hand instead.
  function refreshLatest() {
    const list = document.getElementById("latest");
    if (!list) return;
    fillLatest(list, data.latest);
    const track = list.parentElement;
    const viewport = track.parentElement;
    let copy = document.getElementById("latest-copy");
    const scrolls = list.offsetHeight > viewport.clientHeight && data.latest.length > 1;
    if (scrolls) {
      if (!copy) {
        copy = track.appendChild(document.createElement("ul"));
        copy.id = "latest-copy";
        copy.className = list.className;
        copy.setAttribute("aria-hidden", "true");
      }
      fillLatest(copy, data.latest);
      copy.querySelectorAll("a").forEach((a) => { a.tabIndex = -1; });
      track.style.setProperty("--latest-seconds", `${Math.max(20, data.latest.length * 3)}s`);
    } else if (copy) {
      copy.remove();
    }
    viewport.classList.toggle("scrolling", scrolls);
    document.getElementById("latest-empty").hidden = data.latest.length > 0;
  }

  // Refresh ---------------------------------------------------------------------------------------------------

  const status = document.getElementById("updated");
  function stamp(message) {
    if (status) status.textContent = `${message} ${new Date().toLocaleTimeString()}`;
  }

  draw();
  drawMap();
  refreshRanking();
  refreshLatest();
  if (text.refresh) {
    // ?refresh=N (seconds, 2–3600) for a wall screen that should follow faster or slower than once a minute.
    const asked = Number(new URLSearchParams(window.location.search).get("refresh"));
    const seconds = asked >= 2 && asked <= 3600 ? asked : 60;
    const tick = () => fetch(text.refresh, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then((fresh) => {
        data = fresh;
        draw();
        drawMap();
        refreshKpis();
        refreshRanking();
        refreshLatest();
        stamp(text.updated);
      })
      .catch(() => stamp(text.failed));
    stamp(text.updated);
    setInterval(tick, seconds * 1000);
  }
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { Object.values(charts).forEach((c) => c.resize()); draw(); refreshLatest(); }, 150);
  });
})();
