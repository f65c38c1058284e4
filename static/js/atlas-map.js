/* Atlas map: choropleth of desa/kecamatan from the packaged polygons, values from
   /atlas/peta/data.json, optional gridded IKM points. No tile server needed. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var form = document.getElementById("map-controls");
  var status = document.getElementById("map-status");
  // Sequential palette, light to dark; each class also gets a hatch density in the legend
  // and every area shows its value as text, so colour is never the only cue.
  var PALETTE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
  var NO_DATA = "#ffffff";
  var map = L.map(el, { zoomSnap: 0.5, preferCanvas: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  map.setView([-8.66, 115.22], 12);
  var geometries = {};
  var areaLayer = null;
  var pointLayer = L.layerGroup().addTo(map);
  var legend = L.control({ position: "bottomright" });
  var current = null;
  var fitted = false;

  function params() {
    var fd = new FormData(form);
    var p = new URLSearchParams();
    ["level", "indicator", "subsector", "scale"].forEach(function (k) {
      if (fd.get(k)) p.set(k, fd.get(k));
    });
    return p;
  }

  function fmt(v, indicator) {
    if (v === null || v === undefined) return "–";
    var opts = { maximumFractionDigits: (indicator === "n" || indicator === "workers") ? 0 : 1 };
    if (indicator === "investment" || indicator === "production_value") {
      if (Math.abs(v) >= 1e9) return (v / 1e9).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " M";
      if (Math.abs(v) >= 1e6) return (v / 1e6).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " jt";
    }
    var s = Number(v).toLocaleString("id-ID", opts);
    if (indicator === "growth" || indicator.indexOf("share") > -1) s += " %";
    return s;
  }

  function loadGeometry(level) {
    if (geometries[level]) return Promise.resolve(geometries[level]);
    return fetch(el.dataset.geometryUrl + "?level=" + level, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (g) { geometries[level] = g; return g; });
  }

  function draw(level, data) {
    if (areaLayer) map.removeLayer(areaLayer);
    var showLabels = form.elements.labels.checked;
    areaLayer = L.geoJSON(geometries[level], {
      style: function (f) {
        var a = data.areas[f.properties.code];
        var cls = a ? a["class"] : null;
        return {
          color: "#333", weight: level === "kecamatan" ? 2 : 1, fillOpacity: 0.75,
          fillColor: cls === null || cls === undefined ? NO_DATA : PALETTE[Math.min(cls, PALETTE.length - 1) + (PALETTE.length - data.breaks.length)],
          dashArray: cls === null || cls === undefined ? "4 3" : null,
        };
      },
      onEachFeature: function (f, layer) {
        var code = f.properties.code;
        var a = data.areas[code] || {};
        var text = f.properties.name + ": " + fmt(a.value, data.indicator);
        layer.bindTooltip(showLabels ? fmt(a.value, data.indicator) : text, {
          permanent: showLabels, direction: "center", className: showLabels ? "area-label" : "",
        });
        layer.on("click", function () {
          window.location.href = el.dataset.profileUrl.replace("CODE", code);
        });
        layer.feature.properties._text = text;
      },
    }).addTo(map);
    areaLayer.eachLayer(function (layer) {
      var path = layer.getElement && layer.getElement();
      if (!path) return;
      path.setAttribute("data-area", layer.feature.properties.code);
      path.setAttribute("aria-label", layer.feature.properties._text);
      path.setAttribute("role", "link");
    });
    if (!fitted) { map.fitBounds(areaLayer.getBounds()); fitted = true; }
    drawLegend(data);
    drawTable(data);
    declutterSoon();
    status.textContent = data.label + " · " + Object.keys(data.areas).length + " wilayah" +
      (data.as_of_label ? " · " + data.as_of_label : "");
    el.setAttribute("data-ready", level);
  }

  function drawLegend(data) {
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      // Built node by node, colours set through the CSSOM: the Content-Security-Policy
      // refuses style="" attributes in markup (innerHTML).
      function swatch(colour, dashed) {
        var i = document.createElement("i");
        i.style.background = colour;
        if (dashed) i.style.borderStyle = "dashed";
        return i;
      }
      function line(text) {
        div.appendChild(document.createTextNode(text));
        div.appendChild(document.createElement("br"));
      }
      var title = document.createElement("strong");
      title.textContent = data.label;
      div.appendChild(title);
      div.appendChild(document.createElement("br"));
      var lo = data.lower;
      var offset = PALETTE.length - data.breaks.length;
      data.breaks.forEach(function (b, i) {
        div.appendChild(swatch(PALETTE[i + offset], false));
        line((i === 0 ? fmt(lo, data.indicator) : "> " + fmt(data.breaks[i - 1], data.indicator)) +
          " – " + fmt(b, data.indicator) + " (" + data.counts[i] + " wilayah)");
      });
      if (data.no_data) {
        div.appendChild(swatch(NO_DATA, true));
        div.appendChild(document.createTextNode("tanpa data (" + data.no_data + " wilayah)"));
      }
      div.setAttribute("data-testid", "legend");
      return div;
    };
    legend.remove();
    legend.addTo(map);
  }

  function drawTable(data) {
    var body = document.querySelector("#area-table tbody");
    if (!body) return;
    body.innerHTML = "";
    Object.keys(data.areas).sort(function (x, y) {
      return data.areas[x].name.localeCompare(data.areas[y].name);
    }).forEach(function (code) {
      var a = data.areas[code];
      var tr = document.createElement("tr");
      var link = document.createElement("a");
      link.href = el.dataset.profileUrl.replace("CODE", code);
      link.textContent = a.name;
      var td = document.createElement("td"); td.appendChild(link); tr.appendChild(td);
      [fmt(a.value, data.indicator), a["class"] === null ? "–" : String(a["class"] + 1)].forEach(function (t) {
        var c = document.createElement("td"); c.className = "num"; c.textContent = t; tr.appendChild(c);
      });
      body.appendChild(tr);
    });
  }

  // Labels never overlap: cluster counts are placed first, then each area's number
  // label unless it would touch one already placed (greedy, in screen pixels).
  function overlaps(a, b) {
    return !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);
  }
  function declutter() {
    var placed = [];
    el.querySelectorAll(".cluster-icon").forEach(function (n) { placed.push(n.getBoundingClientRect()); });
    el.querySelectorAll(".area-label").forEach(function (n) {
      n.classList.remove("label-hidden");
      var r = n.getBoundingClientRect();
      if (placed.some(function (p) { return overlaps(r, p); })) n.classList.add("label-hidden");
      else placed.push(r);
    });
  }
  function declutterSoon() { window.requestAnimationFrame(declutter); }
  map.on("zoomend moveend", declutterSoon);

  var dataRequest = 0;
  function refresh() {
    var mine = ++dataRequest;
    var p = params();
    var level = p.get("level") || "desa";
    status.textContent = "Memuat…";
    Promise.all([
      loadGeometry(level),
      fetch(el.dataset.dataUrl + "?" + p.toString(), { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    ]).then(function (res) {
      if (mine !== dataRequest) return;  // the filters changed meanwhile
      current = res[1];
      draw(level, current);
      refreshPoints();
    }).catch(function () { status.textContent = "Data peta gagal dimuat."; });
  }

  var pointsRequest = 0;
  function refreshPoints() {
    var mine = ++pointsRequest;
    pointLayer.clearLayers();
    declutterSoon();
    if (!el.dataset.pointsUrl || !form.elements.points || !form.elements.points.checked) return;
    var b = map.getBounds();
    var p = params();
    p.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(","));
    p.set("zoom", Math.round(map.getZoom()));
    fetch(el.dataset.pointsUrl + "?" + p.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (mine !== pointsRequest) return;  // a newer request is on its way
        if (d.mode === "grid") {
          d.points.forEach(function (g) {
            var size = 20 + Math.min(16, Math.log10(g[0] + 1) * 6);
            L.marker([g[1], g[2]], {
              icon: L.divIcon({ className: "cluster-icon", html: String(g[0]), iconSize: [size, size] }),
              title: g[0] + " IKM",
              interactive: false,
            }).addTo(pointLayer);
          });
        } else if (d.mode === "points") {
          d.points.forEach(function (pt) {
            var m = L.circleMarker([pt[2], pt[3]], { radius: 5, color: "#000", weight: 1, fillColor: "#ffb000", fillOpacity: 1 });
            var a = document.createElement("a");
            a.href = el.dataset.ikmUrl.replace("/0/", "/" + pt[0] + "/");
            a.textContent = pt[1];
            m.bindPopup(a).addTo(pointLayer);
          });
        }
        declutterSoon();
      });
  }

  // The controls redraw on change; Enter must not reload the page (was onsubmit=).
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("change", function (e) {
    if (e.target.name === "points") { refreshPoints(); return; }
    if (e.target.name === "level") fitted = false;
    refresh();
  });
  map.on("moveend", refreshPoints);
  refresh();
})();
