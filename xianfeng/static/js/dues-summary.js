/* Expected vs collected dues per child organization, from the json_script block. The table below the
   chart holds the same figures (the chart is a picture of the table, never the only copy). */
(function () {
  "use strict";
  var source = document.getElementById("xf-dues-chart-data");
  var node = document.getElementById("xf-dues-chart");
  if (!source || !node || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(node, "xianfeng", { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: [data.expectedLabel, data.collectedLabel], top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: data.unit },
    series: [
      { name: data.expectedLabel, type: "bar", data: data.expected, itemStyle: { color: "#D1D5DB" } },
      { name: data.collectedLabel, type: "bar", data: data.collected }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
