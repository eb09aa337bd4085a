/* The period page's charts from the json_script block: the distribution of totals and the trend of
   the average and best total over the scheme's periods. The ranking table above holds the rows. */
(function () {
  "use strict";
  var source = document.getElementById("xf-scoring-chart-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var dist = document.getElementById("xf-scoring-dist");
  var trend = document.getElementById("xf-scoring-trend");
  var charts = [];
  if (dist) {
    var c1 = window.echarts.init(dist, "xianfeng", { renderer: "svg" });
    c1.setOption({
      title: { text: data.distTitle, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.distribution.labels, name: data.unit },
      yAxis: { type: "value", name: data.countLabel, minInterval: 1 },
      series: [{ name: data.countLabel, type: "bar", data: data.distribution.counts }]
    });
    charts.push(c1);
  }
  if (trend) {
    var c2 = window.echarts.init(trend, "xianfeng", { renderer: "svg" });
    c2.setOption({
      title: { text: data.trendTitle, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { data: [data.avgLabel, data.bestLabel], bottom: 0 },
      grid: { left: 8, right: 8, bottom: 28, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.trend.labels },
      yAxis: { type: "value", name: data.unit },
      series: [
        { name: data.avgLabel, type: "line", data: data.trend.avg },
        { name: data.bestLabel, type: "line", data: data.trend.best }
      ]
    });
    charts.push(c2);
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
