/* Draws the home dashboard's charts from the json_script block; the tables under them hold the same data. */
(function () {
  "use strict";
  var source = document.getElementById("xf-dashboard-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function barOption(series, unit, title) {
    return {
      title: { text: title, subtext: unit, show: false },
      grid: { left: 8, right: 16, top: 36, bottom: 12, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: series.labels,
        axisLabel: { interval: 0, width: 80, overflow: "break", lineHeight: 14 }
      },
      yAxis: { type: "value", name: unit, minInterval: 1, nameTextStyle: { align: "left" } },
      series: [{ type: "bar", data: series.values, label: { show: true, position: "top" } }]
    };
  }

  function pieOption(series, unit, title) {
    var theme = window.XIANFENG_CHART_THEME || {};
    return {
      title: { text: title, subtext: unit, show: false },
      color: theme.stageColors,
      tooltip: { trigger: "item", formatter: "{b}: {c} " + unit + " ({d}%)" },
      series: [{
        type: "pie",
        radius: ["40%", "68%"],
        center: ["50%", "50%"],
        data: series.labels
          .map(function (label, i) { return { name: label, value: series.values[i], index: i }; })
          .filter(function (item) { return item.value > 0; }),  // empty slices only clutter the labels
        label: { formatter: "{b}\n{c}" }
      }]
    };
  }

  document.querySelectorAll("[data-xf-chart]").forEach(function (node) {
    var series = data[node.dataset.xfChart];
    if (!series) {
      return;
    }
    var unit = node.dataset.unit || "";
    var title = node.dataset.title || "";
    var chart = window.echarts.init(node, "xianfeng", { renderer: "svg" });
    chart.setOption(node.dataset.kind === "pie" ? pieOption(series, unit, title) : barOption(series, unit, title));
    if (series.links) {
      chart.on("click", function (params) {
        var index = params.data && params.data.index !== undefined ? params.data.index : params.dataIndex;
        var url = series.links[index];
        if (url) {
          window.location.href = url;
        }
      });
    }
    charts.push(chart);
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
