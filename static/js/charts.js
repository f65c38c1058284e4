/* Draws each <figure class="chart"> with Chart.js from its JSON spec (sentra.lib.charts).
   The server's SVG stays in place when Chart.js is missing; the numbers are also in the
   page's tables. Lines differ by dash, so the chart reads without colour. */
(function () {
  "use strict";
  if (!window.Chart) return;
  var lang = document.documentElement.lang || "id";
  var locale = lang.indexOf("en") === 0 ? "en-GB" : "id-ID";
  function fmt(v, unit) {
    if (v === null || v === undefined) return "–";
    var s = Number(v).toLocaleString(locale, { maximumFractionDigits: unit === "%" ? 1 : 0 });
    return unit === "%" ? s + " %" : s;
  }
  function growth(spec) {
    var years = spec.years.slice();
    var extra = [];
    if (spec.projection) extra = extra.concat(spec.projection.years);
    if (spec.target) extra = extra.concat(spec.target.years);
    extra.forEach(function (y) { if (years.indexOf(y) < 0) years.push(y); });
    years.sort(function (a, b) { return a - b; });
    function on(xs, vs) {
      return years.map(function (y) { var i = xs.indexOf(y); return i < 0 ? null : vs[i]; });
    }
    var ds = [{ label: spec.labels.stock, data: on(spec.years, spec.stock), borderColor: "#1f2d3d",
      backgroundColor: "#1f2d3d", pointRadius: 2, borderWidth: 2, spanGaps: false }];
    if (spec.target) {
      ds.push({ label: spec.labels.target, data: on(spec.target.years, spec.target.low),
        borderColor: "rgba(46,125,50,.6)", borderWidth: 1, pointRadius: 0, fill: false });
      ds.push({ label: spec.labels.target + " ", data: on(spec.target.years, spec.target.high),
        borderColor: "rgba(46,125,50,.6)", borderWidth: 1, pointRadius: 0,
        backgroundColor: "rgba(46,125,50,.18)", fill: "-1" });
    }
    if (spec.projection) {
      var last = spec.years.length - 1;
      var py = [spec.years[last]].concat(spec.projection.years);
      ds.push({ label: spec.labels.projection, data: on(py, [spec.stock[last]].concat(spec.projection.point)),
        borderColor: "#1f2d3d", borderDash: [6, 4], borderWidth: 2, pointRadius: 2 });
      ds.push({ label: spec.labels.interval, data: on(spec.projection.years, spec.projection.low),
        borderColor: "rgba(96,125,139,.6)", borderWidth: 1, pointRadius: 0, fill: false });
      ds.push({ label: spec.labels.interval + " ", data: on(spec.projection.years, spec.projection.high),
        borderColor: "rgba(96,125,139,.6)", borderWidth: 1, pointRadius: 0,
        backgroundColor: "rgba(144,164,174,.35)", fill: "-1" });
    }
    return { type: "line", data: { labels: years, datasets: ds }, options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { filter: function (item) { return !/ $/.test(item.text); } } },
        tooltip: { callbacks: { label: function (c) { return c.dataset.label.trim() + ": " + fmt(c.parsed.y); } } },
        title: { display: true, text: spec.title } },
      scales: { y: { ticks: { callback: function (v) { return fmt(v); } } } } } };
  }
  function bars(spec) {
    return { type: "bar", data: { labels: spec.labels, datasets: [{ label: spec.title, data: spec.values,
      backgroundColor: "#2b8cbe" }] }, options: { indexAxis: "y", responsive: true,
      maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false }, title: { display: true, text: spec.title },
        tooltip: { callbacks: { label: function (c) { return fmt(c.parsed.x, spec.unit); } } } },
      scales: { x: { grace: "15%", ticks: { callback: function (v) { return fmt(v, spec.unit); } } } } },
      plugins: [{ id: "values", afterDatasetsDraw: function (chart) {
        // Each bar's value written beside it: the numbers, not only the lengths.
        var ctx = chart.ctx; ctx.save(); ctx.fillStyle = "#1f2d3d"; ctx.font = "12px sans-serif";
        ctx.textBaseline = "middle";
        chart.getDatasetMeta(0).data.forEach(function (bar, i) {
          ctx.fillText(fmt(spec.values[i], spec.unit), bar.x + 4, bar.y);
        });
        ctx.restore();
      } }] };
  }
  document.querySelectorAll("figure.chart").forEach(function (fig) {
    var data = document.getElementById(fig.dataset.chart);
    if (!data) return;
    var spec = JSON.parse(data.textContent);
    var box = document.createElement("div");
    box.className = "chart-box chart-" + spec.type;
    if (spec.type === "bars") box.classList.add("rows-" + Math.min(spec.labels.length, 20));
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", spec.title);
    box.appendChild(canvas);
    fig.insertBefore(box, fig.firstChild);
    var svg = fig.querySelector(".chart-svg");
    if (svg) svg.hidden = true;
    new window.Chart(canvas, spec.type === "growth" ? growth(spec) : bars(spec));
  });
})();
