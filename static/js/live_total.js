// The live total of a scores form: the task points (fixed) plus the general-criteria scores
// being typed, the band they give, and a warning when the proposed level differs from it
// (the server asks for a reason then: services/band_reason.py). Reads its data from the
// `data-live` attribute of <output id="live-total-output"> and shows the total there.
(function () {
  "use strict";
  var output = document.getElementById("live-total-output");
  if (!output || !output.dataset.live) return;
  var live = JSON.parse(output.dataset.live);
  var form = output.closest("form");
  var separator = (1.5).toLocaleString("vi-VN").charAt(1) === "," ? "," : ".";

  function number(text) {
    var value = parseFloat(String(text || "").trim().replace(",", "."));
    return isNaN(value) ? 0 : value;
  }
  function shown(value) {
    return value.toFixed(2).replace(".", document.documentElement.lang === "en" ? "." : separator);
  }
  function band(total) {
    for (var i = 0; i < live.levels.length; i += 1) {
      if (total >= number(live.levels[i].min)) return live.levels[i];
    }
    return live.levels[live.levels.length - 1];
  }
  function update() {
    var total = number(live.task_points);
    form.querySelectorAll("fieldset.scores input").forEach(function (input) {
      total += number(input.value);
    });
    total = Math.min(100, Math.round(total * 100) / 100);
    var level = band(total);
    var text = live.total_text.replace("%(total)s", shown(total)).replace("%(band)s", level.name);
    var proposed = form.querySelector("[name=proposed_level]");
    var reason = form.querySelector("[name=" + live.reason_field + "]");
    var differs = proposed && proposed.value && proposed.value !== level.code;
    if (differs && reason && !reason.value.trim()) {
      text += " " + live.differs_text.replace("%(band)s", level.name);
    }
    output.textContent = text;
    output.classList.toggle("warn", Boolean(differs));
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
