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
  // A button with data-assignment starts the inspection of that assignment (the inspector's start page).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-assignment]");
    if (button && button.form && button.form.elements.assignment) {
      button.form.elements.assignment.value = button.dataset.assignment;
    }
  });
})();
