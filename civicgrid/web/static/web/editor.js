// The document editors (briefings, bulletins): insert a figure's placeholder where the cursor is, find a figure
// by its name, print the preview. The preview itself is refreshed by htmx as the text changes.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert]");
    if (button) {
      const area = document.getElementById(button.closest("[data-for]").dataset.for);
      const start = area.selectionStart, end = area.selectionEnd;
      area.setRangeText(button.dataset.insert, start, end, "end");
      area.focus();
      area.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    const print = event.target.closest("[data-print]");
    if (print) {
      // A closed <details> is not laid out, so the sheet would print blank.
      document.querySelectorAll("details.print-preview").forEach((details) => { details.open = true; });
      window.print();
    }
  });
  // The A4 sheet is scaled to the width it is given (a side pane, a phone), as a thumbnail of the printed page.
  function fitSheets() {
    document.querySelectorAll(".paper-frame").forEach((frame) => {
      const sheet = frame.querySelector(".paper");
      if (!sheet) return;
      sheet.style.zoom = "";
      const room = frame.clientWidth - 2 * parseFloat(getComputedStyle(frame).paddingLeft);
      if (room > 0 && sheet.offsetWidth > room) sheet.style.zoom = String(room / sheet.offsetWidth);
    });
  }
  fitSheets();
  window.addEventListener("resize", fitSheets);
  document.addEventListener("toggle", fitSheets, true);
  document.body.addEventListener("htmx:afterSwap", fitSheets);
  window.addEventListener("beforeprint", () => document.querySelectorAll(".paper").forEach((s) => { s.style.zoom = ""; }));
  window.addEventListener("afterprint", fitSheets);
  document.querySelectorAll("[data-figure-search]").forEach((input) => input.addEventListener("input", () => {
    const words = input.value.trim();
    document.querySelectorAll(`#${input.dataset.figureSearch} [data-insert]`).forEach((button) => {
      button.hidden = Boolean(words) && !button.textContent.includes(words);
    });
  }));
})();
