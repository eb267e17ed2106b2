// Ask for a text-message code for the phone typed (the sign-in page).
(function () {
  "use strict";
  const form = document.getElementById("sign-in-form");
  const button = document.getElementById("send-code");
  const error = form.querySelector('[data-error="phone"]');
  button.addEventListener("click", () => {
    const body = new FormData();
    body.append("phone", document.getElementById("id_phone").value);
    error.hidden = true;
    fetch(form.dataset.codeUrl, { method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value } })
      .then((r) => r.json().then((answer) => [r.ok, answer])).then(([ok, answer]) => {
        if (!ok) { error.textContent = Object.values(answer.errors).flat().join(" "); error.hidden = false; return; }
        document.getElementById("code-status").textContent = answer.message;
        button.disabled = true;
        setTimeout(() => { button.disabled = false; }, 60000);
      });
  });
})();
