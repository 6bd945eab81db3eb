/* Maps (Leaflet) and charts (ECharts), both served locally. Data comes from json_script tags. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function initMap(el) {
    if (!window.L) return;
    var data = readJSON(el.dataset.map) || {};
    var map = L.map(el, { attributionControl: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var layers = [];
    if (data.boundary) layers.push(L.geoJSON(data.boundary, { style: { color: "#b91c1c", weight: 3, fillOpacity: 0.04 } }));
    (data.boundaries || []).forEach(function (b) {
      var layer = L.geoJSON(b.geometry, { style: { color: "#1d4ed8", weight: 1.5, fillOpacity: 0.06 } });
      layer.bindTooltip(b.label, { sticky: true });
      layer.on("click", function () { window.location.href = b.url; });
      layers.push(layer);
    });
    (data.points || []).forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lng], { radius: 6, color: "#b91c1c", fillOpacity: 0.8 });
      m.bindTooltip(p.label);
      m.on("click", function () { window.location.href = p.url; });
      layers.push(m);
    });
    var group = L.featureGroup(layers).addTo(map);
    if (layers.length && group.getBounds().isValid()) {
      map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 17 });
    } else if (data.center) {
      map.setView(data.center, 15);
    } else {
      map.setView([31.467, 104.683], 13);
    }
    el.dataset.ready = "1";
  }

  function initChart(el) {
    if (!window.echarts) return;
    var series = readJSON(el.dataset.source) || [];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: series,
                 label: { formatter: "{b}\n{c}" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }

  function labelCells(root) {
    root.querySelectorAll(".table-wrap table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("tr:first-child th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (td.tagName === "TD" && headers[i] && !td.hasAttribute("colspan")) td.setAttribute("data-label", headers[i]);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  // Irreversible submissions ask first: <form data-confirm="..."> or <button data-confirm="...">;
  // a form whose radio group picks a workflow step (data-confirm-choice="decision") takes the
  // question of the picked step from a json_script map (data-confirm-map="element id").
  function confirmMessage(form, submitter) {
    if (submitter && submitter.getAttribute("data-confirm")) return submitter.getAttribute("data-confirm");
    var choice = form.getAttribute("data-confirm-choice");
    if (choice) {
      var checked = form.querySelector('input[name="' + choice + '"]:checked');
      var map = readJSON(form.getAttribute("data-confirm-map")) || {};
      if (checked && map[checked.value]) return map[checked.value];
    }
    return form.getAttribute("data-confirm");
  }
  // Captured at the document, so the question comes before any form's own submit handler
  // (the score sheet flushes its outbox first): a "no" stops the submission there.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.getAttribute) return;
    var message = confirmMessage(form, e.submitter);
    if (message && !window.confirm(message)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("htmx:afterSwap", function (e) { labelCells(e.target.parentNode || document); });
  // Small page actions as data attributes, since the Content-Security-Policy allows no inline
  // script, onclick or javascript: URL: <button data-print> prints the page; <a data-back> goes
  // back in history; <button data-suggest="pk"
  // data-suggest-for="id_unit"> puts a suggested value into that field.
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    if (e.target.closest("[data-print]")) { window.print(); return; }
    if (e.target.closest("[data-back]")) { e.preventDefault(); window.history.back(); return; }
    var suggestion = e.target.closest("[data-suggest]");
    if (suggestion) {
      var field = document.getElementById(suggestion.getAttribute("data-suggest-for") || "id_unit");
      if (field) field.value = suggestion.getAttribute("data-suggest");
    }
  });

  // <input type="checkbox" data-check-all="selector"> ticks or clears every checkbox the
  // selector matches (the task table's 全选 for bulk assignment).
  document.addEventListener("change", function (e) {
    var all = e.target.getAttribute && e.target.getAttribute("data-check-all");
    if (!all) return;
    document.querySelectorAll(all).forEach(function (box) { box.checked = e.target.checked; });
  });

  window.addEventListener("load", function () {
    document.querySelectorAll("[data-map]").forEach(initMap);
    document.querySelectorAll("[data-chart]").forEach(initChart);
  });
})();
