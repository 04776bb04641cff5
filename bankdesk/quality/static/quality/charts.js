/* Charts of the outlet-quality pages. Each element [data-chart] names, in data-source, the id of a
   json_script holding {x: [labels], axes: [name, name?], series: [{name, type: "bar"|"line", data, axis}]}
   (numbers may come as strings: decimals are sent exactly). No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function option(spec) {
    var axes = (spec.axes || [""]).map(function (name, index) {
      return {type: "value", name: name, position: index ? "right" : "left", minInterval: spec.integer ? 1 : 0,
              max: spec.max || null};
    });
    return {
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: 48, right: axes.length > 1 ? 64 : 24, top: 40, bottom: 32},
      xAxis: {type: "category", data: spec.x},
      yAxis: axes,
      series: spec.series.map(function (series) {
        return {name: series.name, type: series.type || "line", yAxisIndex: series.axis || 0, smooth: false,
                connectNulls: false, step: series.step || false,
                data: series.data.map(function (value) { return value === null ? null : Number(value); })};
      })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec.x || !spec.x.length) {
      element.classList.add("chart-empty");
      element.textContent = element.dataset.empty || "";
      return;
    }
    var chart = window.echarts.init(element);
    chart.setOption(option(spec));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
}());
