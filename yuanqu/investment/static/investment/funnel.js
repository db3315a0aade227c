/* 招商漏斗 (ECharts, served locally): the counts come from a json_script block as strings. */
(function () {
  "use strict";
  document.querySelectorAll(".chart[data-source]").forEach(function (el) {
    var node = document.getElementById(el.getAttribute("data-source"));
    if (!node || typeof echarts === "undefined") return;
    var data = JSON.parse(node.textContent).map(function (d) {
      return { name: d.name, value: Number(d.value) };
    });
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}：{c}个" },
      series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b} {c}个" }, data: data }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
