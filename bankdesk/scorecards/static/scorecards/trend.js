// The QA trend chart: average score (line, left axis 0-100) and evaluations (bars, right axis) per month.
// Data comes from the page's json_script element; no inline script (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("qa-trend-chart");
  var source = document.getElementById("qa-trend-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {data: [data.labels.average, data.labels.count, data.labels.fatal]},
    grid: {left: 48, right: 48, top: 40, bottom: 32},
    xAxis: {type: "category", data: data.months},
    yAxis: [
      {type: "value", min: 0, max: 100, name: data.labels.average},
      {type: "value", minInterval: 1, name: data.labels.count}
    ],
    series: [
      {name: data.labels.average, type: "line", data: data.average, connectNulls: false, yAxisIndex: 0,
       label: {show: true}},
      {name: data.labels.count, type: "bar", data: data.count, yAxisIndex: 1, itemStyle: {opacity: 0.35}},
      {name: data.labels.fatal, type: "bar", data: data.fatal, yAxisIndex: 1, itemStyle: {color: "#c0392b"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
