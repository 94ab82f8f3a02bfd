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
  // A heading marked with tabindex="-1" (an opened row or list) takes the focus itself.
  var element = marked.matches(focusable + ", [tabindex]") ? marked : marked.querySelector(focusable);
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

// Typing during an autosave. A region marked `data-keep-input` posts itself on "change" and
// is swapped by the answer; the answer holds what was sent, not what the user typed or
// clicked in the region while the request was under way. Those fields keep the user's
// value (and selection) and are saved next: at once, or, for the field still being typed
// in, when it is left. A <details> that was open stays open. After a refused save
// (`data-conflict`) nothing is sent by itself: replacing a colleague's answer is a choice.
(function () {
  var FIELDS = "input:not([type=hidden]), textarea, select";
  var kept = {};

  function state(field) {
    return field.type === "radio" || field.type === "checkbox" ? String(field.checked) : field.value;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = event.detail.elt.closest && event.detail.elt.closest("[data-keep-input]");
    if (!region) return;
    region.querySelectorAll(FIELDS).forEach(function (field) {
      field.setAttribute("data-sent", state(field));
    });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.target;
    if (!region || !region.id || !region.matches("[data-keep-input]")) return;
    var typed = [];
    region.querySelectorAll(FIELDS).forEach(function (field) {
      var sent = field.getAttribute("data-sent");
      if (!field.id || sent === null || state(field) === sent) return;
      typed.push({
        id: field.id,
        value: field.value,
        checked: field.checked,
        focused: field === document.activeElement,
        start: field.selectionStart,
        end: field.selectionEnd,
      });
    });
    var open = [];
    region.querySelectorAll("details[open] > summary[id]").forEach(function (summary) {
      open.push(summary.id);
    });
    kept[region.id] = { typed: typed, open: open };
  });

  function saveWhenLeft(field) {
    // The browser's own "change" (fired before "blur") saves it if the user types on.
    var pending = true;
    field.addEventListener("change", function () { pending = false; }, { once: true });
    field.addEventListener("blur", function () {
      if (pending) htmx.trigger(field, "change");
    }, { once: true });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var id = (event.detail.target || {}).id;
    var keep = id && kept[id];
    var region = keep && document.getElementById(id);
    if (!region) return;
    keep.open.forEach(function (summaryId) {
      var summary = document.getElementById(summaryId);
      if (summary && region.contains(summary)) summary.parentElement.open = true;
    });
    keep.typed.forEach(function (typed) {
      var field = document.getElementById(typed.id);
      if (!field || !region.contains(field)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = typed.checked;
      } else {
        field.value = typed.value;
        if (typed.focused && typed.start !== null) {
          try { field.setSelectionRange(typed.start, typed.end); } catch (e) { /* no selection */ }
        }
      }
      typed.field = field;
    });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var id = (event.detail.target || {}).id;
    var keep = id && kept[id];
    if (!keep) return;
    delete kept[id];
    var region = document.getElementById(id);
    if (!region || region.matches("[data-conflict]")) return;
    var now = null;
    keep.typed.forEach(function (typed) {
      if (!typed.field || !typed.field.isConnected) return;
      var typing = typed.field.matches("textarea, input:not([type=radio]):not([type=checkbox])");
      if (typing && typed.field === document.activeElement) saveWhenLeft(typed.field);
      else now = typed.field;
    });
    if (now) htmx.trigger(now, "change");
  });
})();

// A failed htmx request (a server error, no connection) swaps nothing by design; without a
// word the user would think it was saved. The message comes from the template (translated)
// and goes into the page's status region; the next successful save clears it.
(function () {
  function statusRegion() {
    return document.getElementById("htmx-status");
  }

  function showFailure() {
    var region = statusRegion();
    if (!region) return;
    region.textContent = region.getAttribute("data-error-message");
    region.classList.add("utrecht-alert", "utrecht-alert--error");
  }

  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:afterRequest", function (event) {
    var region = statusRegion();
    var verb = ((event.detail.requestConfig || {}).verb || "").toLowerCase();
    if (!region || !event.detail.successful || verb === "get") return;
    region.textContent = "";
    region.classList.remove("utrecht-alert", "utrecht-alert--error");
  });
})();
