// A table wider than its box scrolls inside it (.table-scroll, .scroll): while it overflows, the
// box takes the keyboard's focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-scroll, .scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", mark);
})();
