// Behaviour every page shares, in one file so that no template needs an inline script (the Content Security
// Policy allows scripts from this site only).
(function () {
  // Irreversible actions (publish, make public, void) ask first: a form with data-confirm shows its text and
  // submits only when the user agrees.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  // A select with data-autosubmit submits its form when changed (the language menu).
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
  // A long menu with data-searchable gets a box that narrows it as one types a name (regions, classes, units:
  // chosen by name, never by code); Enter picks the first match.
  // Filters fold away on a phone, where they would fill the first screen, and stay open on a desktop.
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    if (window.matchMedia("(min-width: 721px)").matches) details.open = true;
  });
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    if (select.options.length <= 12) return;  // a short menu is read at a glance
    var box = document.createElement("input");
    box.type = "search";
    box.className = "menu-search";
    box.placeholder = select.dataset.searchable;
    box.setAttribute("aria-label", select.dataset.searchable);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.trim();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = Boolean(words) && option.value !== "" && option.text.indexOf(words) === -1;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (o) { return !o.hidden && o.value; });
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
  // A button with data-assignment starts the inspection of that assignment (the inspector's start page).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-assignment]");
    if (button && button.form && button.form.elements.assignment) {
      button.form.elements.assignment.value = button.dataset.assignment;
    }
  });
})();
