// Fill the hidden id_lat / id_lng inputs from the phone's GPS (WGS-84) and say so in #position.
// Used by every form that records where it was made (the report form, the inspection start page);
// a #locate button, when present, asks again.
(function () {
  "use strict";
  const script = document.currentScript;
  const lat = document.getElementById("id_lat");
  const lng = document.getElementById("id_lng");
  const status = document.getElementById("position");
  function locate() {
    if (!navigator.geolocation) { status.textContent = script.dataset.failed; return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(7);
      lng.value = pos.coords.longitude.toFixed(7);
      status.textContent = `${script.dataset.located} ${lat.value}, ${lng.value}（±${Math.round(pos.coords.accuracy)} m）`;
      document.dispatchEvent(new CustomEvent("civicgrid:located", { detail: { lat: lat.value, lng: lng.value } }));
    }, () => { status.textContent = script.dataset.failed; }, { enableHighAccuracy: true, timeout: 10000 });
  }
  const button = document.getElementById("locate");
  if (button) button.addEventListener("click", locate);
  if (!lat.value) locate();
})();
