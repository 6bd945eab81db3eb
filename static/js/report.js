/* Report form: the place comes from the phone's GPS, a tap on the map, or the typed address. */
(function () {
  "use strict";
  function setPoint(form, lat, lng, map, marker) {
    form.querySelector("[name=lat]").value = lat.toFixed(6);
    form.querySelector("[name=lng]").value = lng.toFixed(6);
    var text = form.querySelector("[data-location-text]");
    if (text) text.textContent = lat.toFixed(6) + ", " + lng.toFixed(6);
    if (map) {
      if (!marker.current) marker.current = L.marker([lat, lng]).addTo(map);
      marker.current.setLatLng([lat, lng]);
      map.setView([lat, lng], Math.max(map.getZoom(), 16));
    }
  }
  window.addEventListener("load", function () {
    document.querySelectorAll("form").forEach(function (form) {
      var pickerEl = form.querySelector("[data-picker]");
      if (!pickerEl) return;
      var map = null, marker = {};
      if (window.L) {
        map = L.map(pickerEl, { attributionControl: false });
        var tiles = document.body.dataset.tileUrl;
        if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
        map.setView([31.467, 104.683], 14);
        var dataEl = document.getElementById(pickerEl.dataset.picker);
        var data = dataEl ? JSON.parse(dataEl.textContent) : null;
        if (data && data.boundaries && data.boundaries.length) {
          var outlines = L.featureGroup(data.boundaries.map(function (b) {
            return L.geoJSON(b.geometry, { style: { color: "#1d4ed8", weight: 1.5, fillOpacity: 0.04 } }).bindTooltip(b.label);
          })).addTo(map);
          map.fitBounds(outlines.getBounds(), { padding: [10, 10] });
        }
        map.on("click", function (e) { setPoint(form, e.latlng.lat, e.latlng.lng, map, marker); });
        var lat = parseFloat(form.querySelector("[name=lat]").value), lng = parseFloat(form.querySelector("[name=lng]").value);
        if (!isNaN(lat) && !isNaN(lng)) setPoint(form, lat, lng, map, marker);
        pickerEl.dataset.ready = "1";
      }
      var locate = form.querySelector("[data-locate]");
      if (locate) locate.addEventListener("click", function () {
        if (!navigator.geolocation) return;
        locate.disabled = true;
        navigator.geolocation.getCurrentPosition(function (pos) {
          locate.disabled = false;
          setPoint(form, pos.coords.latitude, pos.coords.longitude, map, marker);
        }, function () {
          locate.disabled = false;
          var text = form.querySelector("[data-location-text]");
          if (text) text.textContent = text.dataset.failed || "定位失败，请在地图上点选";
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    });
  });
})();
