/* Dashboards: draw each <canvas data-chart="ID"> from the JSON in <script id="ID"> (json_script).
   No inline script (strict CSP); the table under each chart holds the same figures. */
(function () {
  "use strict";
  var COLOURS = {
    excellent: "#1b5e20", good: "#66a86a", completed: "#f2b233", not_completed: "#b3261e",
    self: "#8fa3b5", manager: "#3f5fa8", final: "#a4161a", on_time: "#2e7d6b", score: "#a4161a"
  };

  function options(data) {
    var percent = data.kind === "stacked_percent" || data.kind === "percent";
    var stacked = data.kind === "stacked_percent";
    var horizontal = Boolean(data.horizontal);
    var valueAxis = {
      stacked: stacked, beginAtZero: true,
      max: percent ? 100 : undefined,
      ticks: { callback: function (value) { return percent ? value + " %" : value; } }
    };
    var categoryAxis = { stacked: stacked, ticks: { autoSkip: false } };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: data.series.length > 1, position: "bottom" },
        tooltip: { callbacks: { label: function (item) {
          var value = horizontal ? item.parsed.x : item.parsed.y;
          if (value === null || value === undefined) { return item.dataset.label + ": –"; }
          return item.dataset.label + ": " + value.toLocaleString(document.documentElement.lang || "vi") + (percent ? " %" : "");
        } } }
      },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (data.horizontal) {
      canvas.parentElement.style.height = Math.max(180, 34 * data.labels.length + 90) + "px";
    }
    var line = data.kind === "line";
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series) {
          var colour = COLOURS[series.key] || "#555";
          return {
            label: series.label, data: series.data, backgroundColor: colour, borderColor: colour,
            borderWidth: line ? 2 : 0, tension: 0.2, spanGaps: true
          };
        })
      },
      options: options(data)
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
