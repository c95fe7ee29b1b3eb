// Feedback on an action that takes time: when a form sent by POST has no answer after a
// moment, its buttons are disabled (a second click would send it twice) and a line says the
// work is under way, in the words of `data-busy` on the button or form, else the page's
// (`data-busy` on <body>). A question of confirm.js answered "Cancel" sends nothing and
// shows nothing; htmx requests show their own indicators.
(function () {
  "use strict";
  var DELAY_MS = 400;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("hx-post") || form.querySelector(".busy")) return;
    var button = event.submitter;
    var text =
      (button && button.dataset.busy) || form.dataset.busy || document.body.dataset.busy || "";
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (each) {
        each.disabled = true;
      });
      var line = document.createElement("p");
      line.className = "busy";
      line.setAttribute("role", "status");
      line.textContent = text;
      (button && button.parentNode ? button.parentNode : form).appendChild(line);
    }, DELAY_MS);
  });
  // Back from the browser's history, the page is shown as it was left: give it back its buttons.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("p.busy").forEach(function (line) { line.remove(); });
    document.querySelectorAll("form button, form input[type=submit]").forEach(function (each) {
      each.disabled = false;
    });
  });
})();
