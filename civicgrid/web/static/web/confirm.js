// Irreversible actions (publish, make public, void) ask first: any form with data-confirm shows its text and
// submits only when the user agrees. One listener for the whole page, so templates carry no inline script.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
