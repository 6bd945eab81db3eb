/* The case map: open cases as coloured dots, reloaded when the filters change. */
(function () {
  "use strict";
  var COLORS = { reported: "#6b7280", registered: "#2563eb", dispatched: "#d97706", handled: "#7c3aed",
                 returned: "#db2777", suspended: "#0f766e" };
  window.addEventListener("load", function () {
    var el = document.querySelector("[data-case-map]");
    if (!el || !window.L) return;
    var map = L.map(el, { attributionControl: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    map.setView([31.467, 104.683], 14);
    var contextEl = document.getElementById(el.dataset.context);
    var context = contextEl ? JSON.parse(contextEl.textContent) : null;
    var outlines = L.featureGroup((context && context.boundaries || []).map(function (b) {
      return L.geoJSON(b.geometry, { style: { color: "#1d4ed8", weight: 1.2, fillOpacity: 0.03 } }).bindTooltip(b.label);
    })).addTo(map);
    if (outlines.getLayers().length) map.fitBounds(outlines.getBounds(), { padding: [10, 10] });
    var layer = L.featureGroup().addTo(map);
    var form = document.querySelector("[data-map-filters]");
    function load() {
      el.dataset.ready = "0";
      var params = new URLSearchParams(new FormData(form));
      fetch(el.dataset.source + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          layer.clearLayers();
          data.points.forEach(function (p) {
            var m = L.circleMarker([p.lat, p.lng], { radius: 7, weight: p.overdue ? 3 : 1,
              color: p.overdue ? "#b91c1c" : "#fff", fillColor: COLORS[p.status] || "#111", fillOpacity: 0.9 });
            m.bindTooltip(p.label);
            m.on("click", function () { window.location.href = p.url; });
            layer.addLayer(m);
          });
          if (data.points.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17 });
          var count = document.querySelector("[data-map-count]");
          if (count) count.textContent = data.points.length;
          el.dataset.ready = "1";
          el.dataset.points = String(data.points.length);
        });
    }
    form.addEventListener("change", load);
    load();
  });
})();
