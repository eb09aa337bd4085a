/* The compliance heatmap (branches × months) from the json_script block; the table below holds the same
   cells with the same links. Colour and a symbol in every cell, so status never rests on colour alone. */
(function () {
  "use strict";
  var source = document.getElementById("xf-matrix-data");
  var node = document.getElementById("xf-heatmap");
  if (!source || !node || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // severity (engine.SEVERITY) → colour: n/a, met, pending, due soon, overdue, missed
  var COLOURS = ["#FFFFFF", "#86EFAC", "#E5E7EB", "#FCD34D", "#F87171", "#DC2626"];
  var pieces = data.legend.map(function (item) {
    return { value: item.severity, label: item.symbol + " " + item.label, color: COLOURS[item.severity] };
  });
  // Dark symbols on light cells, white on the two reds (contrast, WCAG AA).
  var cells = data.cells.map(function (c) {
    return {
      value: [c[0], c[1], c[2]], met: c[3], total: c[4], symbol: c[5], url: c[6],
      label: { color: c[2] >= 4 ? "#FFFFFF" : "#1F2937", fontWeight: "bold" }
    };
  });
  var chart = window.echarts.init(node, "xianfeng", { renderer: "svg" });
  chart.setOption({
    title: { text: data.title, show: false },
    tooltip: {
      formatter: function (params) {
        var d = params.data;
        var row = data.rows[d.value[1]], month = data.months[d.value[0]];
        var label = data.legend.filter(function (l) { return l.severity === d.value[2]; })[0];
        var figures = d.total ? " (" + d.met + "/" + d.total + ")" : "";
        return row + "<br>" + month + ": " + (label ? label.symbol + " " + label.label : "") + figures;
      }
    },
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: "category", data: data.months, splitArea: { show: true } },
    yAxis: {
      type: "category",
      data: data.rows,
      inverse: true,
      axisLabel: { width: 180, overflow: "truncate" }
    },
    visualMap: {
      type: "piecewise",
      pieces: pieces,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      dimension: 2
    },
    series: [{
      type: "heatmap",
      data: cells,
      label: { show: true, formatter: function (p) { return p.data.symbol; } },
      itemStyle: { borderColor: "#FFFFFF", borderWidth: 1 },
      emphasis: { itemStyle: { borderColor: "#1F2937", borderWidth: 1 } }
    }]
  });
  chart.on("click", function (params) {
    if (params.data && params.data.url) {
      window.location.href = params.data.url;
    }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
