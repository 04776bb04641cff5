/* Charts of the call-center indicator page: data from the json_script element "kpi-data". */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("kpi-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var names = data.names;
    var volume = echarts.init(document.getElementById("kpi-volume"));
    volume.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [names.offered, names.answered, names.service_level, names.abandonment_rate] },
      xAxis: { type: "category", data: data.labels },
      yAxis: [{ type: "value", name: names.offered }, { type: "value", name: "%", min: 0, max: 100 }],
      series: [
        { name: names.offered, type: "bar", data: data.offered },
        { name: names.answered, type: "bar", data: data.answered },
        { name: names.service_level, type: "line", yAxisIndex: 1, data: data.service_level, connectNulls: false,
          markLine: data.target === null ? undefined : { symbol: "none", data: [{ yAxis: data.target, name: names.target }],
                                                          label: { formatter: names.target + " {c}%" } } },
        { name: names.abandonment_rate, type: "line", yAxisIndex: 1, data: data.abandonment_rate }
      ]
    });
    var times = echarts.init(document.getElementById("kpi-times"));
    times.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [names.asa, names.aht] },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: "s" },
      series: [
        { name: names.asa, type: "line", data: data.asa },
        { name: names.aht, type: "line", data: data.aht }
      ]
    });
    window.addEventListener("resize", function () { volume.resize(); times.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
