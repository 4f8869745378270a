/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID"> with
   Chart.js (static/vendor/chart.umd.min.js, loaded only on pages with a chart;
   its address is this script's data-lib). Colours come from the design tokens.
   The numbers stay in the table beside each chart. No inline script needed. */
(function () {
  "use strict";
  var self = document.currentScript;
  function token(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }
  var SERIES = {
    answered: ["--color-accent", "#1f5fbf"],
    unanswered: ["--color-warn", "#8a5300"],
    median_hours: ["--color-accent", "#1f5fbf"],
    creators: ["--color-accent", "#1f5fbf"],
    contributors: ["--color-ok", "#1c6b3a"],
    readers: ["--color-line-strong", "#9aa1ad"],
    due: ["--color-warn", "#8a5300"],
    reviewed: ["--color-ok", "#1c6b3a"],
    opened: ["--color-warn", "#8a5300"],
    closed: ["--color-ok", "#1c6b3a"],
  };
  function draw() {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var text = token("--color-ink", "#1b2230");
      var grid = token("--color-line", "#d9dce3");
      new window.Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (set) {
            var colour = SERIES[set.key] || ["--color-accent", "#1f5fbf"];
            return { label: set.label, data: set.data, backgroundColor: token(colour[0], colour[1]) };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: spec.legend && spec.datasets.length > 1, labels: { color: text } },
            tooltip: { callbacks: { label: function (item) {
              return item.dataset.label + ": " + item.formattedValue + (spec.unit ? " " + spec.unit : "");
            } } },
          },
          scales: {
            x: { stacked: spec.stacked, ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { display: false } },
            y: { stacked: spec.stacked, beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
          },
        },
      });
      canvas.dataset.drawn = "true";
    });
  }
  function start() {
    if (!document.querySelector("canvas[data-chart]")) return;
    if (window.Chart) return draw();
    var lib = document.createElement("script");
    lib.src = self.dataset.lib;
    lib.onload = draw;
    document.head.appendChild(lib);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:afterSettle", start);
})();
