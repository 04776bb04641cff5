// The survey results chart: calls (bars) and questionnaires completed (line) per period, one series per team.
(function () {
  "use strict";
  function draw() {
    var element = document.getElementById("survey-chart");
    var source = document.getElementById("survey-chart-data");
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var series = [];
    data.teams.forEach(function (team) {
      var name = team.name || element.dataset.noTeam;
      series.push({ name: name + " · " + element.dataset.callsLabel, type: "bar", stack: "calls", data: team.calls });
      series.push({ name: name + " · " + element.dataset.completedLabel, type: "line", data: team.completed });
    });
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { top: 40, left: 40, right: 20, bottom: 30 },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
