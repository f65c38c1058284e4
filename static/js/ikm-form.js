/* IKM form: digit counter for NIK/NIB, desa narrowed by kecamatan, point picked on a map
   or from the phone's location. Works as a plain form without JavaScript. */
(function () {
  "use strict";
  var form = document.getElementById("ikm-form");
  if (!form) return;
  var lang = document.documentElement.lang || "id";
  var decimalMark = lang.indexOf("en") === 0 ? "." : ",";

  // NIK (16) and NIB (13): count digits as typed, flag anything but digits.
  var messages = document.getElementById("digits-messages").dataset;
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }
  form.querySelectorAll("input[data-digits]").forEach(function (input) {
    var total = parseInt(input.dataset.digits, 10);
    var hint = document.getElementById(input.id + "_digits");
    function check() {
      var v = input.value.replace(/\s/g, "");
      var invalid = false;
      if (!v) { hint.textContent = ""; input.removeAttribute("aria-invalid"); return; }
      if (/\D/.test(v)) { hint.textContent = messages.bad; invalid = true; }
      else if (v.length === total) { hint.textContent = fill(messages.ok, { n: v.length }); }
      else { hint.textContent = fill(messages.short, { n: v.length, total: total }); invalid = true; }
      input.setAttribute("aria-invalid", invalid ? "true" : "false");
    }
    input.addEventListener("input", check);
    check();
  });

  // Desa options carry data-kecamatan; the kecamatan select hides the others.
  var kec = document.getElementById("id_kecamatan");
  var desa = document.getElementById("id_desa");
  function narrow() {
    if (!kec || !desa) return;
    var code = kec.value;
    Array.prototype.forEach.call(desa.options, function (opt) {
      var other = code && opt.dataset.kecamatan && opt.dataset.kecamatan !== code;
      opt.hidden = !!other;
      opt.disabled = !!other;
    });
    var sel = desa.options[desa.selectedIndex];
    if (sel && sel.disabled) desa.value = "";
  }
  if (kec && desa) {
    kec.addEventListener("change", narrow);
    desa.addEventListener("change", function () {
      var sel = desa.options[desa.selectedIndex];
      if (sel && sel.dataset.kecamatan && !kec.value) { kec.value = sel.dataset.kecamatan; narrow(); }
    });
    if (!kec.value && desa.value) {
      var sel = desa.options[desa.selectedIndex];
      if (sel && sel.dataset.kecamatan) kec.value = sel.dataset.kecamatan;
    }
    narrow();
  }

  // Coordinates: click the map or use the device's location.
  var mapEl = document.getElementById("point-map");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var status = document.getElementById("point-status");
  function parse(text) {
    var v = parseFloat(String(text || "").replace(",", "."));
    return isNaN(v) ? null : v;
  }
  function show(v) { return v.toFixed(6).replace(".", decimalMark); }
  var marker = null, map = null;
  function place(la, ln, pan) {
    if (!map) return;
    if (!marker) marker = L.marker([la, ln]).addTo(map); else marker.setLatLng([la, ln]);
    if (pan) map.setView([la, ln], 16);
  }
  function set(la, ln) {
    lat.value = show(la);
    lng.value = show(ln);
    place(la, ln, false);
    status.textContent = lat.value + "; " + lng.value;
  }
  if (mapEl && window.L && lat && lng) {
    map = L.map(mapEl, { zoomSnap: 0.5 }).setView([-8.66, 115.22], 12);
    var tiles = mapEl.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { attribution: mapEl.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    var la0 = parse(lat.value), ln0 = parse(lng.value);
    if (la0 !== null && ln0 !== null) place(la0, ln0, true);
    map.on("click", function (e) { set(e.latlng.lat, e.latlng.lng); });
  }
  var locate = document.getElementById("use-my-location");
  if (locate) {
    if (!navigator.geolocation) locate.hidden = true;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (pos) { set(pos.coords.latitude, pos.coords.longitude); if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 16); },
        function () { status.textContent = locate.dataset.error; },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }
})();
