// A case's actions from the keyboard: the digit shown on an action opens it (its first field, or its button,
// takes the focus); Escape closes it again. The form still asks before an irreversible action.
(function () {
  "use strict";
  const actions = Array.from(document.querySelectorAll("#actions details.action"));
  document.addEventListener("keydown", (event) => {
    if (event.target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const index = Number(event.key) - 1;
    if (Number.isInteger(index) && index >= 0 && index < actions.length) {
      actions.forEach((details, i) => { details.open = i === index; });
      const target = actions[index].querySelector("select, input:not([type=hidden]), textarea, button[type=submit]");
      if (target) target.focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      actions.forEach((details) => { details.open = false; });
    }
  });
})();
