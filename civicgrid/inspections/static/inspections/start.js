// Start page: take the phone's position (WGS-84 from GPS) so the record shows how far from the place it began.
(function () {
  "use strict";
  const script = document.currentScript;
  const lat = document.getElementById("id_lat");
  const lng = document.getElementById("id_lng");
  const status = document.getElementById("position");
  if (!navigator.geolocation) { status.textContent = script.dataset.failed; return; }
  navigator.geolocation.getCurrentPosition((pos) => {
    lat.value = pos.coords.latitude.toFixed(7);
    lng.value = pos.coords.longitude.toFixed(7);
    status.textContent = `${script.dataset.located} ${lat.value}, ${lng.value}（±${Math.round(pos.coords.accuracy)} m）`;
  }, () => { status.textContent = script.dataset.failed; }, { enableHighAccuracy: true, timeout: 10000 });
})();
