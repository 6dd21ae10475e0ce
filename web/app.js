// gaoxin's own script: draws the charts whose data the server puts in data-chart attributes.
// ECharts is served by gaoxin itself (see crates/gaoxin-web/src/assets.rs).
"use strict";

(function () {
  var palette = ["#c0392b", "#2166ac", "#1a9850", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"];

  function draw(el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    if (typeof echarts === "undefined") return;
    el.textContent = "";
    var hasCount = spec.series.some(function (s) { return s.axis === 1; });
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: {
        trigger: "axis",
        valueFormatter: null,
        formatter: function (items) {
          var lines = [items[0].axisValue];
          items.forEach(function (it) {
            if (it.value === null || it.value === undefined) return;
            var s = spec.series[it.seriesIndex];
            lines.push(it.marker + s.name + "：" + it.value + (s.unit === "%" ? "%" : " " + s.unit));
          });
          return lines.join("<br>");
        }
      },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: hasCount ? 56 : 24, top: 36, bottom: 64 },
      xAxis: { type: "category", data: spec.years.map(String), boundaryGap: false },
      yAxis: [
        { type: "value", name: spec.percent_axis, axisLabel: { formatter: "{value}%" } },
        { type: "value", name: spec.count_axis, show: hasCount, scale: true, splitLine: { show: false } }
      ],
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          yAxisIndex: s.axis,
          data: s.values,
          connectNulls: false,
          symbolSize: 7,
          lineStyle: s.axis === 1 ? { type: "dashed" } : {},
          label: { show: true, fontSize: 11, formatter: function (p) { return p.value; } }
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
})();
