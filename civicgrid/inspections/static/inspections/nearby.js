// Once the phone knows where it is, the start page lists the places nearby (nearest first) to inspect.
(function () {
  "use strict";
  const box = document.getElementById("nearby");
  if (!box) return;
  document.addEventListener("civicgrid:located", (event) => {
    const query = new URLSearchParams({ lat: event.detail.lat, lng: event.detail.lng });
    fetch(`${box.dataset.url}?${query}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => { box.innerHTML = html; });  // server-rendered, escaped by the template
  });
})();
