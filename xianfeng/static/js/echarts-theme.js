/* The one ECharts theme for Xianfeng (UI.md): party red, gold used sparingly, calm greys. */
(function (root) {
  "use strict";
  var RED = "#C8161D", GOLD = "#D4A017";
  var GREYS = ["#4B5563", "#9CA3AF", "#D1D5DB"];
  var TEXT = "#1F2937", MUTED = "#6B7280", LINE = "#E5E7EB";
  var theme = {
    color: [RED, GOLD, GREYS[0], "#E0585E", GREYS[1], "#A11218", "#E9C46A", GREYS[2]],
    backgroundColor: "transparent",
    textStyle: {
      fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
      color: TEXT
    },
    title: {
      left: 0,
      textStyle: { color: TEXT, fontSize: 14, fontWeight: 600 },
      subtextStyle: { color: MUTED, fontSize: 12 }
    },
    legend: { textStyle: { color: MUTED } },
    tooltip: {
      backgroundColor: "rgba(255, 255, 255, 0.97)",
      borderColor: LINE,
      textStyle: { color: TEXT }
    },
    categoryAxis: {
      axisLine: { lineStyle: { color: GREYS[1] } },
      axisTick: { show: false },
      axisLabel: { color: GREYS[0] },
      splitLine: { show: false }
    },
    valueAxis: {
      axisLine: { show: false },
      axisLabel: { color: GREYS[0] },
      nameTextStyle: { color: MUTED },
      splitLine: { lineStyle: { color: LINE } }
    },
    bar: { itemStyle: { borderRadius: [3, 3, 0, 0] }, barMaxWidth: 42 },
    pie: { itemStyle: { borderColor: "#FFFFFF", borderWidth: 1 } }
  };
  // Political status from applicant to full member: pale to party red, so full members read as red.
  theme.stageColors = ["#D1D5DB", "#E9C46A", GOLD, "#E0585E", RED];
  root.XIANFENG_CHART_THEME = theme;
  if (root.echarts) {
    root.echarts.registerTheme("xianfeng", theme);
  }
})(window);
