/* The survey results chart: the three rates of each group as bars (ECharts, canvas). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    if (!window.echarts) return;
    document.querySelectorAll("[data-survey-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.surveyChart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var names = ["awareness", "behaviour", "satisfaction"];
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        legend: { top: 0 },
        grid: { left: 40, right: 10, top: 36, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: names.map(function (n) {
          return { name: el.dataset["label" + n.charAt(0).toUpperCase() + n.slice(1)], type: "bar", data: data.series[n] };
        }),
      });
      window.addEventListener("resize", function () { chart.resize(); });
      el.dataset.ready = "1";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
