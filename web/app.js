// gaoxin's own script: draws the charts whose data the server puts in data-chart attributes.
// ECharts is served by gaoxin itself (see crates/gaoxin-web/src/assets.rs).
"use strict";

(function () {
  var palette = ["#c0392b", "#2166ac", "#1a9850", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"];

  function withUnit(value, unit) {
    return unit === "%" ? value + "%" : value + " " + unit;
  }

  function draw(el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    if (typeof echarts === "undefined") return;
    el.textContent = "";
    // Room for the legend below the plot: about three names a row.
    var legendRows = Math.ceil(spec.series.length / 3);
    el.style.height = 220 + legendRows * 24 + "px";
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var lines = [items[0].axisValue];
          items.forEach(function (it) {
            if (it.value === null || it.value === undefined) return;
            lines.push(it.marker + it.seriesName + "：" + withUnit(it.value, spec.unit));
          });
          return lines.join("<br>");
        }
      },
      legend: { type: "plain", bottom: 0, left: 0, right: 0, itemGap: 12 },
      grid: { left: 56, right: 24, top: 24, bottom: 32 + legendRows * 24 },
      xAxis: {
        type: "category",
        data: spec.categories || spec.years.map(String),
        boundaryGap: false
      },
      yAxis: {
        type: "value",
        // From zero, so a month's small change is not magnified into a cliff; the target and the
        // expected path are series, so they are always in view. Ranks fit their range.
        scale: !!spec.inverse,
        // Ranks: 1 at the top.
        inverse: !!spec.inverse,
        minInterval: spec.inverse ? 1 : undefined,
        axisLabel: { formatter: function (v) { return withUnit(v, spec.unit); } }
      },
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          data: s.values,
          // Quarterly figures have values every third month: join them.
          connectNulls: true,
          symbolSize: s.dashed ? 0 : 7,
          lineStyle: s.dashed ? { type: "dashed", width: 1.5 } : undefined,
          label: { show: !s.dashed && !spec.categories, fontSize: 11 }
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

// A progress report: the milestones reached decide whether the item is behind; when it is, why
// and what next are required, and the form says so before it is sent (the server checks again).
// Every report form on a page (the item's page has one, the month page one per report) has its
// own choice and its own fields.
(function () {
  function update(select) {
    var form = select.form;
    var fields = form && form.querySelector("fieldset.behind-fields");
    if (!fields) return;
    var option = select.options[select.selectedIndex];
    var behind = option && option.getAttribute("data-behind") === "1";
    fields.classList.toggle("behind", behind);
    var note = fields.querySelector(".behind-now");
    if (note) note.hidden = !behind;
    ["behind_reason", "next_steps"].forEach(function (name) {
      var el = form.querySelector('[name="' + name + '"]');
      if (el) el.required = behind;
    });
  }
  function start() {
    document.querySelectorAll('select[name="reached"]').forEach(function (select) {
      select.addEventListener("change", function () {
        update(select);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// 数据大屏: the page fetches itself again every data-refresh seconds and swaps the new screen
// in, so a wall display keeps current without a reload's flash; when the server cannot be
// reached the last screen stays, marked stale; when the session has ended the page reloads to
// the sign-in form.
(function () {
  function refresh() {
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (r.redirected) {
          location.reload();
          return null;
        }
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("screen");
        var current = document.getElementById("screen");
        if (!fresh || !current) throw new Error("no screen");
        current.replaceWith(fresh);
      })
      .catch(function () {
        var stale = document.getElementById("screen-stale");
        if (stale) stale.hidden = false;
      });
  }
  function start() {
    var root = document.getElementById("screen");
    if (!root) return;
    var secs = parseInt(root.getAttribute("data-refresh"), 10) || 60;
    setInterval(refresh, secs * 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// 打印或存为 PDF: the browser's print dialog (its PDF printer embeds the fonts); the print
// stylesheet lays the view out on A4.
(function () {
  function start() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () {
        window.print();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
