// Work queues from the keyboard: j/k move between cases, Enter opens, x ticks; "tick all" per queue.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll(".queue-row"));
  let current = -1;
  function focus(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("current", i === current));
    rows[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", (event) => {
    if (event.target.matches("input[type=text], input[type=search], textarea, select")) return;
    if (event.key === "j") { focus(current + 1); event.preventDefault(); }
    else if (event.key === "k") { focus(current - 1); event.preventDefault(); }
    else if (event.key === "Enter" && current >= 0) { rows[current].querySelector("a").click(); event.preventDefault(); }
    else if (event.key === "x" && current >= 0) {
      const box = rows[current].querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
    }
  });
  // After an action the page opens at its queue, below the top where the result is said: move the result
  // into that queue, where the eye is.
  const target = window.location.hash && document.querySelector(window.location.hash);
  const said = document.querySelector("main > .messages");
  if (target && said && target.classList.contains("queue")) {
    target.querySelector("h2").after(said);
    target.scrollIntoView();
  } else if (said) {
    window.scrollTo(0, 0);  // the queue is done: the result at the top is what there is to read
  }
  document.querySelectorAll("#queue-filters select").forEach((menu) => menu.addEventListener("change", () => menu.form.submit()));
  // The box is disabled in the page until this runs, so a tick made before the script loads is never lost.
  document.querySelectorAll(".check-all").forEach((all) => {
    all.addEventListener("change", () => {
      all.closest("form").querySelectorAll("input[name=numbers]").forEach((box) => { box.checked = all.checked; });
    });
    all.disabled = false;
  });
})();
