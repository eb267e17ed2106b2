// Report form: search the class list (the position comes from web/locate.js).
(function () {
  "use strict";
  const search = document.getElementById("class-search");
  const select = document.getElementById("id_case_class");
  search.addEventListener("input", () => {
    const term = search.value.trim();
    let first = null;
    for (const option of select.options) {
      const match = !term || option.text.includes(term);
      option.hidden = !match;
      if (match && !first) first = option;
    }
    if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) first.selected = true;
  });
})();
