// Report form: search the class list, take the position from the phone (WGS-84 from GPS).
(function () {
  "use strict";
  const script = document.currentScript;
  const search = document.getElementById("class-search");
  const select = document.getElementById("id_case_class");
  search.addEventListener("input", () => {
    const term = search.value.trim();
    let first = null;
    for (const option of select.options) {
      const match = !term || option.text.includes(term);
      option.hidden = !match;
      if (match && !first) first = option;
    }
    if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) first.selected = true;
  });
  const lat = document.getElementById("id_lat");
  const lng = document.getElementById("id_lng");
  const status = document.getElementById("position");
  function locate() {
    if (!navigator.geolocation) { status.textContent = script.dataset.failed; return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(7);
      lng.value = pos.coords.longitude.toFixed(7);
      status.textContent = `${script.dataset.located} ${lat.value}, ${lng.value}（±${Math.round(pos.coords.accuracy)} m）`;
    }, () => { status.textContent = script.dataset.failed; }, { enableHighAccuracy: true, timeout: 10000 });
  }
  document.getElementById("locate").addEventListener("click", locate);
  if (!lat.value) locate();
})();
