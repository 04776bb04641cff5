/* Charts of the workforce pages: data from the json_script elements "forecast-data" and "coverage-data". */
(function () {
  "use strict";
  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }
  function zoom(points) {
    return points > 400 ? [{ type: "inside", start: 0, end: 100 * 336 / points }, { type: "slider" }] : [];
  }
  function forecast(data) {
    var chart = echarts.init(document.getElementById("forecast-chart"));
    var names = data.names;
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [names.calls, names.agents, names.scheduled] },
      xAxis: { type: "category", data: data.labels },
      yAxis: [{ type: "value", name: names.calls }, { type: "value", name: names.agents }],
      dataZoom: zoom(data.labels.length),
      series: [
        { name: names.calls, type: "bar", data: data.calls },
        { name: names.agents, type: "line", step: "end", yAxisIndex: 1, showSymbol: false, data: data.agents },
        { name: names.scheduled, type: "line", step: "end", yAxisIndex: 1, showSymbol: false, data: data.scheduled }
      ]
    });
    return chart;
  }
  function coverage(data) {
    var chart = echarts.init(document.getElementById("coverage-chart"));
    var names = data.names;
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [names.required, names.covered] },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value" },
      dataZoom: [{ type: "inside" }, { type: "slider" }],
      series: [
        { name: names.required, type: "line", step: "end", showSymbol: false, areaStyle: { opacity: 0.15 },
          data: data.required },
        { name: names.covered, type: "line", step: "end", showSymbol: false, data: data.covered }
      ]
    });
    return chart;
  }
  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    var forecastData = read("forecast-data");
    if (forecastData) { charts.push(forecast(forecastData)); }
    var coverageData = read("coverage-data");
    if (coverageData) { charts.push(coverage(coverageData)); }
    window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
