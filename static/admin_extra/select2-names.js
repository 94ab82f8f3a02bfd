// Django admin's autocomplete boxes (select2) name themselves by the chosen value only:
// an empty box has no accessible name (axe: aria-input-field-name). Give each box the
// text of its field's label. Runs after Django's autocomplete.js, also for inline rows
// added later.
"use strict";
(function () {
  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var box = select.parentElement.querySelector(".select2-selection");
      if (!label || !box) { return; }
      // aria-labelledby wins over aria-label: point select2's own reference at the label.
      if (!label.id) { label.id = select.id + "-label"; }
      box.setAttribute("aria-labelledby", label.id);
      var shown = box.querySelector(".select2-selection__rendered");
      if (shown) { shown.setAttribute("aria-labelledby", label.id); }
    });
  }
  // After Django's autocomplete.js has turned the selects into select2 boxes.
  window.addEventListener("load", function () { window.setTimeout(nameBoxes, 0); });
  document.addEventListener("formset:added", function () { window.setTimeout(nameBoxes, 0); });
})();
