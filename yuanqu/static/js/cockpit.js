/* Cockpit and big-screen charts: each `.chart[data-option]` names a json_script block holding a
 * plain ECharts option built on the server (each module's cockpit.py); numbers arrive already
 * rounded. Charts follow their box's size (phones, the big screen). On the big screen
 * (`body[data-refresh]`) the page reloads itself every N seconds. */
(function () {
  "use strict";

  function init() {
    if (typeof echarts === "undefined") return;
    var dark = document.body.classList.contains("screen");
    var charts = [];
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var node = document.getElementById(el.getAttribute("data-option"));
      if (!node) return;
      var chart = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
      var option = JSON.parse(node.textContent);
      if (dark) option.backgroundColor = "transparent";
      chart.setOption(option);
      charts.push(chart);
    });
    if (typeof ResizeObserver !== "undefined") {
      var observer = new ResizeObserver(function () {
        charts.forEach(function (c) { c.resize(); });
      });
      document.querySelectorAll(".chart[data-option]").forEach(function (el) { observer.observe(el); });
    } else {
      window.addEventListener("resize", function () {
        charts.forEach(function (c) { c.resize(); });
      });
    }
    var refresh = Number(document.body.getAttribute("data-refresh") || 0);
    if (refresh > 0) {
      window.setTimeout(function () { window.location.reload(); }, refresh * 1000);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
