// Draws the overview's charts from the page's JSON data block (the CSP allows no inline script).
// The same figures are in the tables under each chart; the charts use labels and point markers, not
// colour alone, to carry meaning.
/* global Chart */
(function () {
  "use strict";
  var element = document.getElementById("chart-data");
  if (!element || typeof Chart === "undefined") return;
  var data = JSON.parse(element.textContent || "{}");
  var money = new Intl.NumberFormat(data.locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var exact = new Intl.NumberFormat(data.locale, { style: "currency", currency: "EUR" });
  var tick = function (value) {
    return money.format(value);
  };
  Chart.defaults.animation = false;
  Chart.defaults.color = "#1a1a1a";
  Chart.defaults.font.size = 13;
  // Every category gets its label (Chart.js would skip every other one when they crowd): department
  // names are what the reader looks for.
  var categories = { ticks: { autoSkip: false } };
  var moneyAxis = { beginAtZero: true, ticks: { callback: tick, maxRotation: 0 } };
  // Horizontal bars: the chart grows with the number of rows, so labels never overlap (CSSOM, not a
  // style attribute: the CSP allows that).
  var fitRows = function (canvas, rows, perRow) {
    canvas.parentNode.style.height = Math.max(220, 70 + rows * perRow) + "px";
  };
  var bars = document.getElementById("department-chart");
  if (bars) {
    fitRows(bars, data.departments.labels.length, 26);
    new Chart(bars, {
      type: "bar",
      data: {
        labels: data.departments.labels,
        datasets: [
          {
            label: data.departments.label,
            data: data.departments.values,
            backgroundColor: "#1f4e79",
            borderColor: "#0b2540",
            borderWidth: 1,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (c) {
                return exact.format(c.parsed.x);
              },
            },
          },
        },
        scales: { x: moneyAxis, y: categories },
      },
    });
  }
  var trend = document.getElementById("trend-chart");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: [
          {
            label: data.trend.label,
            data: data.trend.values,
            borderColor: "#1f4e79",
            pointStyle: "rectRot",
            pointRadius: 5,
            borderWidth: 2,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (c) {
                return exact.format(c.parsed.y);
              },
            },
          },
        },
        scales: { x: categories, y: { ticks: { callback: tick } } },
      },
    });
  }
  var budget = document.getElementById("budget-chart");
  if (budget && data.budget) {
    // Three series told apart by the legend's words and by their border style, not by colour alone.
    var styles = [
      { bg: "#1f4e79", border: "#0b2540", dash: [] },
      { bg: "#b35900", border: "#5c2e00", dash: [] },
      { bg: "#ffffff", border: "#1a1a1a", dash: [4, 3] },
    ];
    var offset = styles.length - data.budget.series.length;
    fitRows(budget, data.budget.labels.length, 12 + 10 * data.budget.series.length);
    new Chart(budget, {
      type: "bar",
      data: {
        labels: data.budget.labels,
        datasets: data.budget.series.map(function (s, i) {
          var st = styles[i + offset];
          return {
            label: s.label,
            data: s.values,
            backgroundColor: st.bg,
            borderColor: st.border,
            borderWidth: 2,
            borderDash: st.dash,
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: "y",
        plugins: {
          legend: { display: true },
          tooltip: {
            callbacks: {
              label: function (c) {
                return c.dataset.label + ": " + exact.format(c.parsed.x);
              },
            },
          },
        },
        scales: { x: moneyAxis, y: categories },
      },
    });
  }
  document.documentElement.setAttribute("data-charts", "ready");
})();
