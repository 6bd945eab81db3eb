/* Bulletin boards (宣传栏) on a Leaflet map: the list's boards as markers (overdue in red,
 * a click opens the board), and on the board form a lat/lng picker (a click on the map fills
 * 纬度/经度). Points come from a json_script block (no inline script under the CSP). */
(function () {
  "use strict";

  function base(el, lat, lng, zoom) {
    var map = L.map(el, { attributionControl: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    map.setView([lat, lng], zoom);
    return map;
  }

  function initList(el) {
    var source = document.getElementById(el.dataset.boardMap);
    var points = source ? JSON.parse(source.textContent) : [];
    var map = base(el, 31.467, 104.683, 13);
    var markers = points.map(function (p) {
      var m = L.circleMarker([p.lat, p.lng], {
        radius: 7, weight: 2, color: p.overdue ? "#b91c1c" : "#1d4ed8", fillOpacity: 0.7,
        className: p.overdue ? "board-overdue" : "board-ok",
      });
      m.bindTooltip(p.name);
      m.on("click", function () { window.location.href = p.url; });
      return m;
    });
    if (markers.length) {
      var group = L.featureGroup(markers).addTo(map);
      map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 17 });
    }
    el.dataset.points = markers.length;
    el.dataset.ready = "1";
  }

  function initPicker(el) {
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    if (!lat || !lng) return;
    var has = lat.value && lng.value;
    var map = base(el, has ? parseFloat(lat.value) : 31.467, has ? parseFloat(lng.value) : 104.683, has ? 17 : 13);
    var marker = has ? L.marker([parseFloat(lat.value), parseFloat(lng.value)]).addTo(map) : null;
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lng.value = e.latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(e.latlng); else marker = L.marker(e.latlng).addTo(map);
    });
    el.dataset.ready = "1";
  }

  function init() {
    if (!window.L) return;
    document.querySelectorAll("[data-board-map]").forEach(initList);
    document.querySelectorAll("[data-board-picker]").forEach(initPicker);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
