// Focus after an htmx swap: content marked `data-focus` gets the keyboard focus (the first
// field of a row opened for editing, the row's edit link after saving or closing), so a
// keyboard or screen reader user stays where they were. A file, not inline: the CSP.
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.detail.elt;
  if (!root || !root.isConnected) {
    root = document.getElementById((event.detail.target || {}).id || "");
  }
  var marked = root && (root.matches("[data-focus]") ? root : root.querySelector("[data-focus]"));
  if (!marked) return;
  var focusable = "a[href], button, input:not([type=hidden]), select, textarea";
  var element = marked.matches(focusable) ? marked : marked.querySelector(focusable);
  if (element) element.focus();
  marked.removeAttribute("data-focus");
});

// A form that comes back with errors (after a plain submit or an htmx swap): the error
// summary takes the focus, so the user hears what went wrong and can jump to the field.
function focusErrorSummary(root) {
  var summary = (root || document).querySelector("[data-focus-summary]");
  if (summary) {
    summary.focus();
    summary.removeAttribute("data-focus-summary");
  }
}
document.addEventListener("DOMContentLoaded", function () {
  focusErrorSummary(document);
});
document.addEventListener("htmx:afterSettle", function (event) {
  focusErrorSummary(event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document);
});
