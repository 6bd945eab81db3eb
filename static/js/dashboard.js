/* 驾驶舱: the month-by-month trend charts (ECharts) and the map of the children (Leaflet).
 *
 * The data comes as JSON in data attributes (data-trends, data-dashboard-map) of the parts
 * templates/reports/_dashboard_trends.html and _dashboard_map.html, which htmx swaps in after the
 * page opens (it drops <script> elements, so no json_script). A chart point and a map
 * area are links like every number on the page: a point opens the records its month counted,
 * an area opens that child's own dashboard. Each drawn element gets data-ready="1" (tests wait
 * for it).
 */
(function () {
  "use strict";

  var TONES = ["#cbd5e1", "#dc2626", "#f59e0b", "#84cc16", "#16a34a"];
  var SIZES = ["#cbd5e1", "#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8"];

  function readJSON(text) {
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // One small chart per trend figure (their units differ); a click on a point opens its records.
  function initChart(el) {
    if (!window.echarts) return;
    var holder = el.closest("[data-trends]");
    var data = readJSON(holder && holder.dataset.trends) || { labels: [], series: [] };
    var series = data.series[Number(el.dataset.series)];
    if (!series) return;
    var chart = echarts.init(el);
    chart.setOption({
      title: { text: series.name + (series.unit ? " (" + series.unit + ")" : ""), left: 0, top: 0,
               textStyle: { fontSize: 13, fontWeight: "normal" } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v; } },
      grid: { left: 44, right: 12, top: 32, bottom: 26 },
      xAxis: { type: "category", data: data.labels, axisLabel: { formatter: function (v) { return v.slice(2); } } },
      yAxis: { type: "value", min: 0 },
      series: [{ name: series.name, type: "line", data: series.values, connectNulls: false, symbolSize: 7,
                 itemStyle: { color: "#b91c1c" } }],
    });
    chart.on("click", function (params) {
      var url = series.urls[params.dataIndex];
      if (url) window.location.href = url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }

  // The children's outlines, shaded by the league table's sort figure; a tap opens the child.
  function initMap(el) {
    if (!window.L) return;
    var data = readJSON(el.dataset.dashboardMap) || { areas: [] };
    var palette = data.better === "size" ? SIZES : TONES;
    var map = L.map(el, { attributionControl: false, scrollWheelZoom: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var group = L.featureGroup().addTo(map);
    if (data.outline) {
      L.geoJSON(data.outline, { interactive: false, style: { color: "#475569", weight: 2, fill: false } }).addTo(group);
    }
    data.areas.forEach(function (area) {
      var value = area.value && area.value !== "—" ? area.value + (area.unit ? " " + area.unit : "") : el.dataset.noValue;
      var rank = area.rank ? " · " + el.dataset.rank.replace("{n}", area.rank) : "";
      var layer = L.geoJSON(area.geometry, {
        style: { color: "#334155", weight: 1, fillColor: palette[area.tone] || palette[0], fillOpacity: 0.7 },
      });
      layer.bindTooltip("<strong>" + escapeHTML(area.name) + "</strong><br>" + escapeHTML(data.figure) + ": "
                        + escapeHTML(value) + escapeHTML(rank), { sticky: true });
      layer.on("click", function () { window.location.href = area.url; });
      layer.eachLayer(function (path) {
        var node = path.getElement && path.getElement();
        if (node) { node.dataset.area = area.id; node.dataset.tone = area.tone; }
      });
      layer.addTo(group);
    });
    var bounds = group.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else map.setView([31.467, 104.683], 12);
    el.dataset.areas = data.areas.length;
    el.dataset.ready = "1";
  }

  // The trends and the children arrive after the page (htmx); draw whatever is new.
  function initAll() {
    document.querySelectorAll("[data-dashboard-chart]:not([data-ready])").forEach(initChart);
    document.querySelectorAll("[data-dashboard-map]:not([data-ready])").forEach(initMap);
  }

  window.addEventListener("load", initAll);
  document.addEventListener("htmx:load", initAll);
})();
