/* The field app: every screen is drawn from this device's IndexedDB, every submission waits in the outbox
   until it has been sent. Sending order for one item: its photos (each id kept as soon as the server answers,
   so a retry never uploads twice), then the report, inspection or handling step with the same
   Idempotency-Key on every retry. */
(() => {
  "use strict";
  const CFG = JSON.parse(document.getElementById("field-config").textContent);
  const T = CFG.strings;
  const DB_PREFIX = "civicgrid-field-";
  const CACHE_PREFIX = "civicgrid-field-";
  const MAX_SIDE = 1600;
  const PARALLEL_SENDS = 6;  // what a browser opens to one host at once: on a slow network latency dominates
  const $ = (id) => document.getElementById(id);

  let db = null;
  let session = null; // {key, expires_at, user}
  let bundle = null;
  let position = null; // the last fix {lat, lng, acc}
  let syncing = false;
  const drafts = {report: [], handle: []}; // photos picked but not yet saved: {id, blob, taken_at, lat, lng, url}
  let inspectPhotos = {}; // item code -> photos
  let editing = null; // the outbox item being corrected
  let openCase = null;
  let openAssignment = null;
  let recorded = new Set(); // assignments whose inspection is in the outbox (done on this device)

  class SessionEnded extends Error {}
  class Offline extends Error {}

  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
  const uuid = () => crypto.randomUUID();
  const localTime = (iso) => iso ? new Date(iso).toLocaleString("zh-CN", {hour12: false}) : "";

  /** A DOM element: h("p", {class: "x"}, "text", child…); text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else if (name === "class") el.className = value;
      else el.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function say(text, kind) {
    const status = $("status");
    status.textContent = text || "";
    status.className = "status" + (kind ? " " + kind : "");
  }

  // -- storage -------------------------------------------------------------------------------------------------
  function openDb(userId) {
    return idb.openDB(DB_PREFIX + userId, 1, {
      upgrade(database) {
        database.createObjectStore("meta");
        database.createObjectStore("outbox", {keyPath: "id"});
        database.createObjectStore("blobs");
      },
    });
  }

  /** Another account's data never stays on the device once someone else opens the app. */
  async function dropOtherAccounts(userId) {
    if (!indexedDB.databases) return false;
    let dropped = false;
    for (const info of await indexedDB.databases()) {
      if (info.name && info.name.startsWith(DB_PREFIX) && info.name !== DB_PREFIX + userId) {
        await idb.deleteDB(info.name);
        dropped = true;
      }
    }
    if (dropped) await dropCaches();
    return dropped;
  }

  async function dropCaches() {
    if (!self.caches) return;
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
  }

  /** Forget everything this app keeps on the device (a session that ended, another account). */
  async function wipe() {
    if (db) { db.close(); db = null; }
    await idb.deleteDB(DB_PREFIX + CFG.user_id);
    await dropCaches();
    session = null; bundle = null;
  }

  async function saveItem(item) { await db.put("outbox", item); }
  async function outbox() {
    return (await db.getAll("outbox")).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  // -- network -------------------------------------------------------------------------------------------------
  function csrf() {
    const input = document.querySelector("#logout input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /** One API call with the device key; 401 ends the session, a network failure is Offline. */
  async function api(path, {method = "GET", json, form, key} = {}) {
    const headers = {"Authorization": "Field " + session.key, "Accept": "application/json"};
    if (key) headers["Idempotency-Key"] = key;
    let body;
    if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
    if (form) body = form;
    let response;
    try {
      response = await fetch(path, {method, headers, body, credentials: "omit", cache: "no-store"});
    } catch (error) {
      throw new Offline(String(error));
    }
    if (response.status === 401) throw new SessionEnded();
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    return {status: response.status, data};
  }

  async function startSession() {
    const response = await fetch(CFG.session_url, {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}});
    if (!response.ok || response.redirected) return null;
    return response.json();
  }

  /** Field errors from a 400 as one readable line: "description: 该字段不能为空。" */
  function messages(data) {
    if (!data) return "";
    if (typeof data === "string") return data;
    if (Array.isArray(data)) return data.map(messages).join("；");
    if (data.detail) return String(data.detail);
    return Object.entries(data).map(([field, value]) => `${field}: ${messages(value)}`).join("；");
  }

  // -- sending the outbox --------------------------------------------------------------------------------------
  async function uploadPhotos(item) {
    for (const photo of item.photos) {
      if (photo.server_id) continue;
      const blob = await db.get("blobs", photo.id);
      const form = new FormData();
      form.append("file", blob, photo.id + ".jpg");
      form.append("taken_at", photo.taken_at);
      if (photo.lat !== null && photo.lat !== undefined) {
        form.append("lat", photo.lat.toFixed(7));
        form.append("lng", photo.lng.toFixed(7));
      }
      const {status, data} = await api("/api/v1/photos/", {method: "POST", form});
      if (status !== 201) return fail(item, status, data);
      photo.server_id = data.id; // kept at once: a retry after a lost answer never uploads this photo again
      await saveItem(item);
    }
    return true;
  }

  async function fail(item, status, data) {
    if (status >= 500 || status === 429) {
      item.error = fmt(T.server_error, {status});
      item.status = "waiting";
    } else {
      item.error = messages(data) || fmt(T.server_error, {status});
      item.status = "failed";
    }
    await saveItem(item);
    return false;
  }

  const photoIds = (item, ids) => item.photos.filter((p) => !ids || ids.includes(p.id)).map((p) => p.server_id);

  async function sendReport(item) {
    const d = item.data;
    const {status, data} = await api("/api/v1/cases/", {method: "POST", key: item.key, json: {
      case_class: d.case_class, description: d.description, lat: d.lat, lng: d.lng,
      ...(d.address ? {address: d.address} : {}), ...(d.place ? {place: d.place} : {}), photo_ids: photoIds(item)}});
    if (status !== 201) return fail(item, status, data);
    item.result = fmt(T.case_sent, {number: data.case.number});
    return true;
  }

  async function sendHandle(item) {
    const d = item.data;
    const path = `/api/v1/cases/${encodeURIComponent(d.number)}/actions/handle/`;
    const {status, data} = await api(path, {method: "POST", key: item.key,
                                            json: {note: d.note, photo_ids: photoIds(item)}});
    if (status === 409) {
      // The case moved on meanwhile: say what it is now and that this step was not taken; keep the item.
      const current = await api(`/api/v1/cases/${encodeURIComponent(d.number)}/`);
      const state = current.status === 200 ? current.data.state_name : "?";
      const handledByOther = current.status === 200 && current.data.state !== "handling";
      item.status = "conflict";
      item.error = fmt(handledByOther ? T.conflict_handle : T.conflict_other, {state}) +
                   (data && data.detail ? `（${data.detail}）` : "");
      item.server_state = state;
      await saveItem(item);
      return false;
    }
    if (status !== 200) return fail(item, status, data);
    item.result = fmt(T.handled_sent, {state: data.state_name});
    return true;
  }

  async function sendInspection(item) {
    const d = item.data;
    item.progress = item.progress || {};
    if (!item.progress.inspection) {
      const {status, data} = await api("/api/v1/inspections/", {method: "POST", key: item.key + ":start", json: {
        place: d.place, kind: d.kind, assignment: d.assignment, lat: d.lat, lng: d.lng}});
      if (status !== 201) return fail(item, status, data);
      item.progress.inspection = data.id;
      await saveItem(item);
    }
    const base = `/api/v1/inspections/${item.progress.inspection}/`;
    if (!item.progress.results) {
      const results = d.results.map((r) => ({item: r.item, outcome: r.outcome, findings: r.findings, note: r.note,
                                             photo_ids: photoIds(item, r.photos)}));
      const {status, data} = await api(base + "results/", {method: "POST", key: item.key + ":results", json: results});
      if (status !== 200) return fail(item, status, data);
      item.progress.results = true;
      await saveItem(item);
    }
    const {status, data} = await api(base + "submit/", {method: "POST", key: item.key + ":submit"});
    if (status !== 200) return fail(item, status, data);
    item.result = fmt(T.inspection_sent, {score: data.inspection.score, cases: data.cases_opened.length});
    return true;
  }

  const SENDERS = {report: sendReport, handle: sendHandle, inspection: sendInspection};

  async function send(item) {
    item.status = "sending";
    item.error = "";
    await saveItem(item);
    if (!(await uploadPhotos(item))) return;
    if (!(await SENDERS[item.kind](item))) return;
    item.status = "sent";
    item.sent_at = new Date().toISOString();
    await saveItem(item);
    for (const photo of item.photos) await db.delete("blobs", photo.id); // sent: the device keeps no copy
  }

  /** Send what waits, then fetch the bundle again. Runs on start, on `online` and from the 同步 button. */
  async function sync() {
    if (syncing || !session || !db) return;
    syncing = true;
    document.body.dataset.sync = "running";
    say(T.syncing);
    try {
      // A few items at once: on a slow mobile network the round trips, not the bytes, dominate.
      const queue = (await outbox()).filter((i) => i.status === "waiting" || i.status === "sending");
      let failure = null;
      const worker = async () => {
        while (queue.length && !failure) {
          const item = queue.shift();
          try {
            await send(item);
          } catch (error) {
            if (error instanceof Offline) {
              item.status = "waiting";
              item.error = T.network_error;
              await saveItem(item);
            }
            failure = failure || error;
          }
        }
      };
      await Promise.all(Array.from({length: PARALLEL_SENDS}, worker));
      if (failure) throw failure;
      // A server error (e.g. a busy database while several arrive together) is tried once more, one at a time.
      for (const item of await outbox()) if (item.status === "waiting") await send(item);
      await refreshBundle();
      say(T.synced, "ok");
      document.body.dataset.sync = "done";
    } catch (error) {
      if (error instanceof SessionEnded) return sessionEnded();
      say(fmt(T.sync_failed, {reason: error instanceof Offline ? T.network_error : String(error)}), "warn");
      document.body.dataset.sync = "failed";
    } finally {
      syncing = false;
      if (db) await render();
    }
  }

  async function refreshBundle() {
    const {status, data} = await api("/api/v1/field/bundle/");
    if (status !== 200) throw new Error(fmt(T.server_error, {status}));
    data.synced_at = new Date().toISOString();
    await db.put("meta", data, "bundle");
    bundle = data;
    await warm(data);
  }

  /** Request the shell, its assets and the thumbnails once through the worker, whose routes keep them. The
   *  thumbnails go with the device key: the web session may have ended while the device session lives. */
  async function warm(data) {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    const keyed = {credentials: "same-origin", headers: session ? {"Authorization": "Field " + session.key} : {}};
    const requests = [...[location.pathname, ...CFG.assets].map((url) => [url, {credentials: "same-origin"}]),
                      ...data.cases.flatMap((c) => c.thumbnails).map((url) => [url, keyed])];
    await Promise.all(requests.map(([url, init]) => fetch(url, init).catch(() => null)));
  }

  async function sessionEnded() {
    await wipe();
    // The web session ends too, so that a revoked (lost) phone cannot open a new field session by itself.
    try {
      await fetch(CFG.logout_url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf()}});
    } catch (error) { /* offline: the server refuses the device key anyway */ }
    showSignIn(T.session_ended);
  }

  function showSignIn(text) {
    $("signin-text").textContent = text;
    document.body.dataset.sync = "signed-out";
    for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== "screen-signin";
    $("tabs").hidden = true;
    $("sync").hidden = true;
    say("");
  }

  // -- photos --------------------------------------------------------------------------------------------------
  /** A picked photo, resized to at most 1600 px (which drops its EXIF), with the device's time and place now. */
  async function takePhoto(file) {
    const taken_at = new Date().toISOString();
    const where = position ? {lat: position.lat, lng: position.lng} : {lat: null, lng: null};
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    return {id: uuid(), blob, taken_at, ...where, server_id: null};
  }

  async function pick(input, list, previews) {
    for (const file of input.files) list.push(await takePhoto(file));
    input.value = "";
    drawPreviews(list, previews);
  }

  function drawPreviews(list, container) {
    for (const img of container.querySelectorAll("img")) URL.revokeObjectURL(img.src);
    container.replaceChildren(...list.map((photo, n) => h("figure", {class: "preview"},
      photo.blob ? h("img", {src: URL.createObjectURL(photo.blob), alt: ""}) : null,
      h("figcaption", {}, fmt(T.captured, {time: localTime(photo.taken_at)})),
      h("button", {type: "button", class: "link", onclick: () => { list.splice(n, 1); drawPreviews(list, container); }},
        T.remove))));
  }

  /** Store a new (or corrected) submission with its photos; it goes at the next sync. */
  async function enqueue(kind, data, photos) {
    const item = editing && editing.kind === kind ? editing : {id: uuid(), kind, created_at: new Date().toISOString()};
    // A corrected item is a new request: a new key (the server kept its answer to the old one).
    Object.assign(item, {key: uuid(), data, status: "waiting", error: "", result: "", progress: {},
                         photos: photos.map(({blob, url, ...rest}) => rest)});
    const tx = db.transaction(["outbox", "blobs"], "readwrite");
    for (const photo of photos) if (photo.blob) tx.objectStore("blobs").put(photo.blob, photo.id);
    tx.objectStore("outbox").put(item);
    await tx.done;
    editing = null;
    say(T.saved, "ok");
    await countOutbox();
    if (navigator.onLine) sync();
    return item;
  }

  // -- screens -------------------------------------------------------------------------------------------------
  function show(name) {
    for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== "screen-" + name;
    for (const tab of document.querySelectorAll("#tabs a")) {
      tab.classList.toggle("active", tab.dataset.screen === name || (name === "case" && tab.dataset.screen === "queue"));
    }
    window.scrollTo(0, 0);
  }

  function route() {
    const [name, arg] = location.hash.replace(/^#/, "").split("/");
    if (!session) return;
    if (name === "case" && arg) { drawCase(decodeURIComponent(arg)); return show("case"); }
    if (name === "inspect" && arg) { drawInspection(Number(arg)); return show("inspect"); }
    if (name === "inspect") { drawAssignments(); $("inspect-form").hidden = true; return show("inspect"); }
    if (name === "report") { return show("report"); }
    if (name === "outbox") { drawOutbox(); return show("outbox"); }
    drawQueue();
    show("queue");
  }

  const today = () => new Date().toLocaleDateString("sv-SE"); // YYYY-MM-DD in the device's zone

  function caseCard(c) {
    return h("a", {class: "card", href: "#case/" + encodeURIComponent(c.number)},
      h("strong", {}, c.class_name), h("span", {class: "badge"}, c.state_name),
      h("span", {class: "small"}, c.number), h("p", {}, c.description),
      h("span", {class: "small muted"}, c.address || "",
        c.handle_due ? " · " + fmt(T.due, {time: localTime(c.handle_due)}) : ""));
  }

  function taskCard(a) {
    return h("a", {class: "card", href: "#inspect/" + a.id},
      h("strong", {}, a.place_name), h("span", {class: "badge"}, a.kind_name),
      h("span", {class: "small muted"}, `${a.day} ${T.window} ${localTime(a.window_start).slice(-8, -3)}–` +
        localTime(a.window_end).slice(-8, -3)));
  }

  function section(title, cards) {
    return h("section", {class: "group"}, h("h3", {}, title),
      cards.length ? cards : h("p", {class: "muted"}, T.nothing));
  }

  function drawQueue() {
    if (!bundle) { $("queue").replaceChildren(h("p", {class: "muted"}, T.never_synced)); return; }
    const mine = bundle.cases.filter((c) => c.queue !== "reported");
    const reported = bundle.cases.filter((c) => c.queue === "reported");
    const tasks = bundle.assignments.filter((a) => a.day === today() && !recorded.has(a.id));
    $("queue").replaceChildren(
      h("p", {class: "small muted"}, fmt(T.last_sync, {time: localTime(bundle.synced_at)})),
      section(T.my_cases, mine.map(caseCard)), section(T.my_tasks, tasks.map(taskCard)),
      section(T.my_reports, reported.map(caseCard)));
    if (document.body.dataset.queue !== "shown") performance.mark("field-queue-shown");
    document.body.dataset.queue = "shown";
  }

  async function drawCase(number) {
    openCase = bundle && bundle.cases.find((c) => c.number === number);
    const form = $("handle-form");
    if (!openCase) { $("case").replaceChildren(h("p", {}, T.case_not_cached)); form.hidden = true; return; }
    const c = openCase;
    const queued = (await outbox()).find((i) => i.kind === "handle" && i.data.number === number && i.status !== "sent");
    $("case").replaceChildren(...[
      h("h2", {}, c.class_name, " ", h("span", {class: "badge"}, c.state_name)),
      h("p", {class: "small"}, c.number, " · ", fmt(T.reported_at, {time: localTime(c.reported_at)})),
      h("p", {}, c.description),
      h("p", {class: "small muted"}, c.address, " · ", T.grid, " ", c.grid),
      c.handle_due ? h("p", {class: "small"}, fmt(T.due, {time: localTime(c.handle_due)})) : null,
      c.thumbnails.length ? h("div", {class: "previews"}, c.thumbnails.map((src) => h("img", {src, alt: T.photos_of_case}))) : null,
      queued ? h("p", {class: "notice"}, T.queued_for_case) : null].filter(Boolean));
    form.hidden = !(c.queue === "handle" && c.state === "handling") || Boolean(queued && editing !== queued);
    if (!editing) { $("handle-note").value = ""; drafts.handle = []; }
    drawPreviews(drafts.handle, $("handle-previews"));
  }

  function drawAssignments() {
    const list = bundle ? bundle.assignments.filter((a) => !recorded.has(a.id)) : [];
    $("assignments").replaceChildren(
      section(T.my_tasks, list.filter((a) => a.day === today()).map(taskCard)),
      section(T.upcoming_tasks, list.filter((a) => a.day !== today()).map(taskCard)));
  }

  function drawInspection(id, restore) {
    openAssignment = bundle && bundle.assignments.find((a) => a.id === id);
    if (!openAssignment) { drawAssignments(); return; }
    const a = openAssignment;
    const place = bundle.places.find((p) => p.code === a.place) || {};
    const items = bundle.checklists[a.checklist] || [];
    $("assignments").replaceChildren();
    $("inspect-title").textContent = fmt(T.inspection_of, {place: a.place_name});
    $("inspect-place").textContent = [a.kind_name, a.point_type_name, place.address,
      place.chief ? `${place.chief_title || T.chief}：${place.chief} ${place.chief_phone || ""}` : ""].filter(Boolean).join(" · ");
    const previous = restore ? Object.fromEntries(restore.data.results.map((r) => [r.item, r])) : {};
    inspectPhotos = {};
    $("checklist").replaceChildren(...items.map((item) => {
      const was = previous[item.code] || {outcome: "pass", findings: 0, note: "", photos: []};
      inspectPhotos[item.code] = restore ? restore.photos.filter((p) => was.photos.includes(p.id)) : [];
      const failBox = h("div", {class: "fail-box"},
        h("label", {}, T.findings, h("input", {type: "number", min: "1", max: "999", name: "findings",
                                               value: String(was.findings || 1)})),
        h("label", {}, T.note, h("input", {type: "text", name: "note", maxlength: "1000", value: was.note})),
        h("label", {class: "photo-picker"}, T.take_photo,
          h("input", {type: "file", accept: "image/*", capture: "environment", multiple: true, name: "photos",
                      onchange: (e) => pick(e.target, inspectPhotos[item.code], e.target.closest(".fail-box").querySelector(".previews"))})),
        h("div", {class: "previews"}));
      failBox.hidden = was.outcome !== "fail";
      const choice = (value, label) => h("label", {class: "outcome outcome-" + value},
        h("input", {type: "radio", name: "outcome-" + item.code, value, checked: was.outcome === value,
                    onchange: () => { failBox.hidden = value !== "fail"; }}), label);
      const box = h("fieldset", {class: "item", "data-item": item.code},
        h("legend", {}, `${item.code} ${item.text}`),
        h("div", {class: "outcomes"}, choice("pass", T.pass), choice("fail", T.fail)), failBox);
      drawPreviews(inspectPhotos[item.code], failBox.querySelector(".previews"));
      return box;
    }));
    $("inspect-form").hidden = false;
  }

  async function drawOutbox() {
    const items = (await outbox()).reverse();
    const describe = (item) => {
      if (item.kind === "report") return item.data.description;
      if (item.kind === "handle") return `${item.data.number} ${item.data.note}`;
      return item.data.place_name;
    };
    $("outbox").replaceChildren(...(items.length ? items.map((item) => h("article",
      {class: `card outbox-item ${item.status}`, "data-status": item.status, "data-kind": item.kind},
      h("strong", {}, T["kind_" + item.kind]), h("span", {class: "badge " + item.status}, T[item.status]),
      h("p", {}, describe(item)),
      h("p", {class: "small muted"}, localTime(item.created_at), " · ", fmt(T.photo_added, {n: item.photos.length}),
        item.status !== "sent" && item.photos.some((p) => p.server_id) ?
          " · " + fmt(T.photos_progress, {done: item.photos.filter((p) => p.server_id).length, all: item.photos.length}) : ""),
      item.error ? h("p", {class: "error reason"}, item.error) : null,
      item.result ? h("p", {class: "result"}, item.result) : null,
      h("div", {class: "actions"},
        ["failed", "waiting"].includes(item.status) ? h("button", {type: "button", class: "edit", onclick: () => edit(item)}, T.edit) : null,
        item.status === "failed" ? h("button", {type: "button", class: "resend", onclick: () => resend(item)}, T.resend) : null,
        item.status !== "sent" && item.status !== "sending" ?
          h("button", {type: "button", class: "discard danger", onclick: () => discard(item)}, T.discard) : null)))
      : [h("p", {class: "muted"}, T.nothing)]));
  }

  async function countOutbox() {
    const items = await outbox();
    recorded = new Set(items.filter((i) => i.kind === "inspection").map((i) => i.data.assignment));
    const waiting = items.filter((i) => i.status !== "sent").length;
    const badge = $("outbox-count");
    badge.textContent = String(waiting);
    badge.hidden = waiting === 0;
  }

  async function resend(item) {
    item.status = "waiting";
    item.error = "";
    await saveItem(item);
    await render();
    sync();
  }

  async function discard(item) {
    if (!window.confirm(T.discard_confirm)) return;
    const tx = db.transaction(["outbox", "blobs"], "readwrite");
    for (const photo of item.photos) tx.objectStore("blobs").delete(photo.id);
    tx.objectStore("outbox").delete(item.id);
    await tx.done;
    await render();
  }

  /** Open the item's form with what was typed and photographed, to correct it and save it again. */
  async function edit(item) {
    editing = item;
    const photos = [];
    for (const p of item.photos) photos.push({...p, blob: await db.get("blobs", p.id)});
    if (item.kind === "report") {
      $("report-class").value = item.data.case_class;
      $("report-description").value = item.data.description;
      $("report-address").value = item.data.address || "";
      drafts.report = photos;
      drawPreviews(drafts.report, $("report-previews"));
      location.hash = "#report";
    } else if (item.kind === "handle") {
      drafts.handle = photos;
      location.hash = "#case/" + encodeURIComponent(item.data.number);
      $("handle-note").value = item.data.note;
    } else {
      location.hash = "#inspect/" + item.data.assignment;
      drawInspection(item.data.assignment, {...item, photos});
    }
  }

  async function render() {
    const net = $("net");
    net.textContent = navigator.onLine ? T.online : T.offline;
    net.className = "net " + (navigator.onLine ? "on" : "off");
    await countOutbox();
    if (!$("screen-outbox").hidden) await drawOutbox();
    if (!$("screen-queue").hidden) drawQueue();
  }

  // -- forms ---------------------------------------------------------------------------------------------------
  function fillReportForm() {
    const classes = bundle ? bundle.classes : [];
    const groups = new Map();
    for (const c of classes) {
      if (!groups.has(c.major_name)) groups.set(c.major_name, h("optgroup", {label: c.major_name}));
      groups.get(c.major_name).append(h("option", {value: c.code}, c.minor_name));
    }
    $("report-class").replaceChildren(h("option", {value: ""}, "—"), ...groups.values());
    $("report-place").replaceChildren(h("option", {value: ""}, "—"),
      ...(bundle ? bundle.places : []).map((p) => h("option", {value: p.code}, `${p.name}（${p.kind}）`)));
    $("report-grid").replaceChildren(h("option", {value: ""}, "—"),
      ...(bundle ? bundle.grids : []).map((g) => h("option", {value: g.code}, g.name)));
  }

  function filterClasses() {
    const words = $("class-search").value.trim();
    let first = null;
    for (const option of $("report-class").querySelectorAll("option[value]:not([value=''])")) {
      option.hidden = Boolean(words) && !option.textContent.includes(words) && !option.parentElement.label.includes(words);
      if (!option.hidden && !first) first = option;
    }
    if (words && first) $("report-class").value = first.value;
  }

  function gridCentre(code) {
    const grid = bundle.grids.find((g) => g.code === code);
    if (!grid) return null;
    const ring = grid.boundary.type === "MultiPolygon" ? grid.boundary.coordinates[0][0] : grid.boundary.coordinates[0];
    const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
    return {lng: (Math.min(...xs) + Math.max(...xs)) / 2, lat: (Math.min(...ys) + Math.max(...ys)) / 2};
  }

  function reportPosition() {
    if (position) return {lat: position.lat, lng: position.lng};
    const place = bundle && bundle.places.find((p) => p.code === $("report-place").value);
    if (place) return {lat: place.lat, lng: place.lng};
    return $("report-grid").value ? gridCentre($("report-grid").value) : null;
  }

  function formError(id, text) {
    $(id).textContent = text || "";
    $(id).hidden = !text;
    return !text;
  }

  async function submitReport(event) {
    event.preventDefault();
    const where = reportPosition();
    const data = {case_class: $("report-class").value, description: $("report-description").value.trim(),
                  address: $("report-address").value.trim(), place: $("report-place").value || null, ...where};
    const problem = !data.case_class ? T.need_class : !data.description ? T.need_description :
      !where ? T.need_position : !drafts.report.length ? T.need_photo : "";
    if (!formError("report-error", problem)) return;
    await enqueue("report", data, drafts.report);
    drafts.report = [];
    $("report-form").reset();
    drawPreviews(drafts.report, $("report-previews"));
    location.hash = "#outbox";
  }

  async function submitHandle(event) {
    event.preventDefault();
    const note = $("handle-note").value.trim();
    if (!formError("handle-error", !note ? T.need_note : "")) return;
    await enqueue("handle", {number: openCase.number, note, state_seen: openCase.state}, drafts.handle);
    drafts.handle = [];
    location.hash = "#outbox";
  }

  async function submitInspection(event) {
    event.preventDefault();
    const a = openAssignment;
    const results = [];
    const photos = [];
    for (const box of $("checklist").querySelectorAll("fieldset.item")) {
      const code = box.dataset.item;
      const outcome = box.querySelector(`input[name="outcome-${code}"]:checked`).value;
      const mine = outcome === "fail" ? inspectPhotos[code] : [];
      if (outcome === "fail" && !mine.length) return formError("inspect-error", fmt(T.need_fail_photo, {item: code}));
      photos.push(...mine);
      results.push({item: code, outcome, findings: outcome === "fail" ? Number(box.querySelector("input[name=findings]").value || 1) : 0,
                    note: outcome === "fail" ? box.querySelector("input[name=note]").value.trim() : "",
                    photos: mine.map((p) => p.id)});
    }
    formError("inspect-error", "");
    const where = position ? {lat: position.lat, lng: position.lng} : {};
    await enqueue("inspection", {assignment: a.id, place: a.place, place_name: a.place_name, kind: a.kind,
                                 results, ...where}, photos);
    location.hash = "#outbox";
  }

  function watchPosition() {
    if (!navigator.geolocation) { $("report-position").textContent = T.no_position; return; }
    $("report-position").textContent = T.locating;
    navigator.geolocation.watchPosition((fix) => {
      position = {lat: fix.coords.latitude, lng: fix.coords.longitude, acc: Math.round(fix.coords.accuracy)};
      $("report-position").textContent = fmt(T.located, {lat: position.lat.toFixed(5), lng: position.lng.toFixed(5),
                                                         acc: position.acc});
    }, () => { $("report-position").textContent = T.no_position; }, {enableHighAccuracy: true, maximumAge: 30000});
  }

  // -- start ---------------------------------------------------------------------------------------------------
  async function registerWorker() {
    if (!navigator.serviceWorker) return;
    try {
      await navigator.serviceWorker.register(CFG.worker, {scope: "/field/"});
      if (!navigator.serviceWorker.controller) {
        // The first visit: once the worker takes the page over, request the shell through it to keep a copy.
        await new Promise((resolve) => {
          navigator.serviceWorker.addEventListener("controllerchange", resolve, {once: true});
          setTimeout(resolve, 5000);
        });
      }
    } catch (error) { /* no worker (private mode, old browser): the app still works while online */ }
  }

  async function start() {
    $("report-form").addEventListener("submit", submitReport);
    $("handle-form").addEventListener("submit", submitHandle);
    $("inspect-form").addEventListener("submit", submitInspection);
    $("report-photos").addEventListener("change", (e) => pick(e.target, drafts.report, $("report-previews")));
    $("handle-photos").addEventListener("change", (e) => pick(e.target, drafts.handle, $("handle-previews")));
    $("class-search").addEventListener("input", filterClasses);
    $("sync").addEventListener("click", () => sync());
    window.addEventListener("online", () => { render(); sync(); });
    window.addEventListener("offline", () => render());
    window.addEventListener("hashchange", route);
    $("logout").addEventListener("submit", () => wipe());

    const worker = registerWorker();
    const dropped = await dropOtherAccounts(CFG.user_id);
    db = await openDb(CFG.user_id);
    session = await db.get("meta", "session");
    if (!session && navigator.onLine) {
      const started = await startSession();
      if (started && started.user.id !== CFG.user_id) { await wipe(); return showSignIn(T.other_account); }
      if (started) { session = started; await db.put("meta", started, "session"); }
    }
    if (!session) return showSignIn(navigator.onLine ? T.session_ended : T.no_session);
    if (session.user.id !== CFG.user_id) { await wipe(); return showSignIn(T.other_account); }
    if (dropped) say(T.other_account, "warn");
    bundle = await db.get("meta", "bundle") || null;
    fillReportForm();
    route();
    await render();
    watchPosition();
    await worker;
    if (navigator.onLine) {
      await sync();
      fillReportForm();
      route();
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
