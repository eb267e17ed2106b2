// The citizen's report form: photos resized on the phone, a map with a draggable pin, a category picker that
// shows choices instead of picking one, an optional phone with a text-message code. The form is sent by
// fetch, so a refusal (outside the district, no location, a wrong code) keeps everything typed and attached.
(function () {
  "use strict";
  const MAX_SIDE = 1600;
  const MAX_PHOTOS = 9;
  const msg = document.currentScript.dataset;
  const form = document.getElementById("public-report");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const $ = (id) => document.getElementById(id);
  const photos = []; // {blob, url, name}

  // --- errors -------------------------------------------------------------------------------------------
  function clearErrors() {
    form.querySelectorAll("[data-error]").forEach((el) => { el.hidden = true; el.textContent = ""; });
  }
  function showErrors(errors) {
    let first = null;
    Object.entries(errors).forEach(([field, list]) => {
      const el = form.querySelector(`[data-error="${field}"]`) || form.querySelector('[data-error="__all__"]');
      el.textContent = [el.textContent, ...list].filter(Boolean).join(" ");
      el.hidden = false;
      first = first || el;
    });
    if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  // --- photos -------------------------------------------------------------------------------------------
  function resize(file) {
    return new Promise((resolve, reject) => {
      const img = new Image();
      const source = URL.createObjectURL(file);
      img.onload = () => {
        const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(source);
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encode"))), "image/jpeg", 0.85);
      };
      img.onerror = () => { URL.revokeObjectURL(source); reject(new Error("decode")); };
      img.src = source;
    });
  }
  function drawPhotos() {
    const list = $("photo-list");
    list.replaceChildren(...photos.map((p, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = p.url; img.alt = p.name;
      const remove = document.createElement("button");
      remove.type = "button"; remove.textContent = msg.msgRemove; remove.className = "link";
      remove.addEventListener("click", () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); drawPhotos(); });
      li.append(img, remove);
      return li;
    }));
  }
  $("photo-input").addEventListener("change", async (event) => {
    clearErrors();
    for (const file of event.target.files) {
      if (photos.length >= MAX_PHOTOS) { showErrors({ photos: [msg.msgTooMany] }); break; }
      try {
        const blob = await resize(file);
        photos.push({ blob, url: URL.createObjectURL(blob), name: file.name.replace(/\.[^.]*$/, "") + ".jpg" });
      } catch (e) {
        photos.push({ blob: file, url: URL.createObjectURL(file), name: file.name }); // the server judges it
      }
    }
    event.target.value = "";
    drawPhotos();
  });

  // --- map ----------------------------------------------------------------------------------------------
  const mapEl = $("report-map");
  const map = L.map(mapEl, { zoomControl: true, attributionControl: !!form.dataset.tileUrl });
  if (form.dataset.tileUrl) {
    L.tileLayer(form.dataset.tileUrl, { attribution: form.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  let marker = null;
  let gridOutline = null;
  let placeKind = "";
  fetch(form.dataset.streetsUrl).then((r) => r.json()).then((streets) => {
    const layer = L.geoJSON(streets, {
      style: { color: "#1f6feb", weight: 1.5, fillOpacity: 0.06 },
      onEachFeature: (f, l) => l.bindTooltip(f.properties.name, { permanent: false }),
    }).addTo(map);
    if (!marker && layer.getBounds().isValid()) map.fitBounds(layer.getBounds());
  });
  map.setView([0, 0], 2);
  map.on("click", (e) => place(e.latlng.lat, e.latlng.lng, null));

  function place(lat, lng, known) {
    $("id_lat").value = lat.toFixed(7);
    $("id_lng").value = lng.toFixed(7);
    $("id_place").value = known ? known.id : "";
    if (!marker) {
      // The pin's images by their collected (hashed) names: Leaflet's own guess from its CSS misses them.
      const icon = L.icon({
        iconUrl: form.dataset.pin, iconRetinaUrl: form.dataset.pin2x, shadowUrl: form.dataset.pinShadow,
        iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
      });
      marker = L.marker([lat, lng], { draggable: true, autoPan: true, icon }).addTo(map);
      marker.on("dragend", () => { const p = marker.getLatLng(); place(p.lat, p.lng, null); });
    } else {
      marker.setLatLng([lat, lng]);
    }
    map.setView([lat, lng], Math.max(map.getZoom(), 16));
    describe(lat, lng, known);
  }
  function describe(lat, lng, known) {
    const words = $("where-words");
    const error = form.querySelector('[data-error="location"]');
    error.hidden = true;
    fetch(`${form.dataset.locateUrl}?lat=${lat}&lng=${lng}`).then((r) => r.json().then((body) => [r.ok, body]))
      .then(([ok, body]) => {
        if (gridOutline) { gridOutline.remove(); gridOutline = null; }
        if (!ok) { words.textContent = ""; showErrors(body.errors); return; }
        $("submit-status").textContent = "";
        if (body.grid_outline) {
          gridOutline = L.geoJSON(body.grid_outline, { style: { color: "#1a7f37", weight: 2, fillOpacity: 0.08 },
            interactive: false }).addTo(map);
        }
        const near = known || body.place;
        placeKind = near ? near.kind : "";
        if (near && !known) $("id_place").value = near.id;
        words.textContent = msg.msgHere + body.words + (near ? `（${near.name}）` : "");
        suggest();
      });
  }
  function locateMe() {
    if (!navigator.geolocation) { $("where-words").textContent = msg.msgGpsFailed; return; }
    $("where-words").textContent = msg.msgLocating;
    navigator.geolocation.getCurrentPosition(
      (pos) => place(pos.coords.latitude, pos.coords.longitude, null),
      () => { $("where-words").textContent = msg.msgGpsFailed; },
      { enableHighAccuracy: true, timeout: 10000 });
  }
  $("use-gps").addEventListener("click", locateMe);
  locateMe();

  function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }
  function choices(listEl, items, render, pick) {
    listEl.replaceChildren(...items.map((item) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button"; b.textContent = render(item);
      b.addEventListener("click", () => { listEl.hidden = true; pick(item); });
      li.append(b);
      return li;
    }));
    if (!items.length) { const li = document.createElement("li"); li.className = "hint"; li.textContent = msg.msgNone; listEl.append(li); }
    listEl.hidden = false;
  }
  $("place-search").addEventListener("input", debounce((e) => {
    const q = e.target.value.trim();
    if (!q) { $("place-results").hidden = true; return; }
    fetch(`${form.dataset.placesUrl}?q=${encodeURIComponent(q)}`).then((r) => r.json()).then((body) => {
      choices($("place-results"), body.places, (p) => `${p.name}${p.address ? " · " + p.address : ""}`,
        (p) => { if (!$("id_address").value) $("id_address").value = p.address || p.name; place(p.lat, p.lng, p); });
    });
  }, 300));

  // --- category -----------------------------------------------------------------------------------------
  function choose(code, name) {
    $("id_case_class").value = code;
    const chosen = $("chosen-class");
    chosen.textContent = msg.msgChosen + name;
    chosen.hidden = false;
    form.querySelectorAll(".class-choice").forEach((b) => b.classList.toggle("selected", b.dataset.code === code));
  }
  form.querySelectorAll(".class-choice").forEach((b) => b.addEventListener("click", () => choose(b.dataset.code, b.dataset.name)));
  $("class-search").addEventListener("input", debounce((e) => {
    const q = e.target.value.trim();
    if (!q) { $("class-results").hidden = true; return; }
    fetch(`${form.dataset.suggestUrl}?mode=search&text=${encodeURIComponent(q)}`).then((r) => r.json()).then((body) => {
      choices($("class-results"), body.classes, (c) => `${c.name} · ${c.group}`, (c) => choose(c.code, c.name));
    });
  }, 250));
  const suggest = debounce(() => {
    const text = $("id_description").value.trim();
    const params = new URLSearchParams({ text, place: $("id_place").value });
    fetch(`${form.dataset.suggestUrl}?${params}`).then((r) => r.json()).then((body) => {
      const box = $("suggestions");
      const chips = box.querySelector(".chips");
      chips.replaceChildren(...body.classes.map((c) => {
        const b = document.createElement("button");
        b.type = "button"; b.className = "chip"; b.textContent = c.name; b.dataset.code = c.code;
        b.addEventListener("click", () => choose(c.code, c.name));
        return b;
      }));
      box.hidden = !body.classes.length;
    });
  }, 400);
  $("id_description").addEventListener("input", suggest);

  // --- contact ------------------------------------------------------------------------------------------
  form.querySelectorAll("input[name=contact]").forEach((r) => r.addEventListener("change", () => {
    $("phone-fields").hidden = form.querySelector("input[name=contact]:checked").value !== "phone";
  }));
  const sendCode = $("send-code");
  if (sendCode) sendCode.addEventListener("click", () => {
    clearErrors();
    const body = new FormData();
    body.append("phone", $("id_phone").value);
    fetch(form.dataset.codeUrl, { method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then((r) => r.json().then((answer) => [r.ok, answer])).then(([ok, answer]) => {
        if (!ok) { showErrors(answer.errors); return; }
        $("code-status").textContent = answer.message;
        let wait = 60;
        sendCode.disabled = true;
        const timer = setInterval(() => {
          sendCode.textContent = `${--wait}s`;
          if (wait <= 0) { clearInterval(timer); sendCode.disabled = false; sendCode.textContent = sendCode.dataset.label; }
        }, 1000);
      });
  });
  if (sendCode) sendCode.dataset.label = sendCode.textContent;

  // --- submit -------------------------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors();
    const body = new FormData(form);
    photos.forEach((p) => body.append("photos", p.blob, p.name));
    const button = $("submit-report");
    button.disabled = true;
    $("submit-status").textContent = msg.msgSending;
    fetch(form.action, { method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then((r) => r.json().then((answer) => [r.status, answer]))
      .then(([status, answer]) => {
        if (status === 201) { window.location.assign(answer.track); return; }
        $("submit-status").textContent = msg.msgFailed;
        showErrors(answer.errors || { __all__: [msg.msgFailed] });
      })
      .catch(() => { $("submit-status").textContent = msg.msgNetwork; })
      .finally(() => { button.disabled = false; });
  });
})();
