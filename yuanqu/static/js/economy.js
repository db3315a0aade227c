/* 经济运行 charts (ECharts, served locally from /static/vendor/echarts.min.js).
 *
 * Each `.chart[data-source]` reads its data from a `json_script` block built on the server from
 * the selectors; every number arrives as a string already rounded by core.wording, so tooltips
 * and labels show exactly those strings and the plotted values are Number(string).
 * Colours follow the Chinese convention: red for a rise, green for a fall.
 */
(function () {
  "use strict";

  var RED = "#b3261e";
  var GREEN = "#1e7b34";
  var BLUE = "#1f5fa8";
  var GREY = "#b8c0ca";
  var PALETTE = ["#b3261e", "#1f5fa8", "#b7791f", "#1e7b34", "#6b4fa0", "#0f7c8c", "#c2581b", "#5b6b7b"];
  var charts = [];

  function num(v) {
    return v === null || v === undefined || v === "" ? null : Number(v);
  }

  function text(v, suffix) {
    return v === null || v === undefined ? "—" : v + (suffix || "");
  }

  function payload(el) {
    var node = document.getElementById(el.getAttribute("data-source"));
    return node ? JSON.parse(node.textContent) : null;
  }

  function seriesOption(d, mode) {
    var s = d[mode];
    var label = mode === "ytd" ? "累计" : "当月";
    var names = [d.this_label + label, d.last_label + label, d.this_label + "累计增速(可比)"];
    return {
      color: [RED, GREY, BLUE],
      animation: false,
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var i = items.length ? items[0].dataIndex : 0;
          return [
            d.months[i],
            names[0] + "：" + text(s["this"][i], d.unit),
            names[1] + "：" + text(s.last[i], d.unit),
            names[2] + "：" + text(d.growth[i], "%")
          ].join("<br>");
        }
      },
      legend: { top: 0, data: names },
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: d.months, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: [
        { type: "value", name: d.unit, nameTextStyle: { align: "right" } },
        { type: "value", name: "%", splitLine: { show: false } }
      ],
      series: [
        { name: names[0], type: "bar", data: s["this"].map(num), barMaxWidth: 18 },
        { name: names[1], type: "bar", data: s.last.map(num), barMaxWidth: 18 },
        {
          name: names[2], type: "line", yAxisIndex: 1, data: d.growth.map(num),
          symbolSize: 6, connectNulls: false
        }
      ]
    };
  }

  var builders = {
    series: function (d, el) {
      return seriesOption(d, el.getAttribute("data-mode") || "month");
    },
    share: function (d, el) {
      // On a phone the outer labels do not fit: show shares inside, names in the legend.
      var narrow = el.clientWidth < 480;
      return {
        color: PALETTE,
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            return p.name + "<br>" + p.data.amount + d.unit + "，占 " + p.data.share + "%";
          }
        },
        legend: { type: "scroll", bottom: 0 },
        series: [{
          type: "pie",
          radius: ["38%", "66%"],
          center: ["50%", "46%"],
          avoidLabelOverlap: true,
          label: narrow
            ? { position: "inside", color: "#fff", fontSize: 10, formatter: function (p) { return p.data.share + "%"; } }
            : { fontSize: 11, formatter: function (p) { return p.name + "\n" + p.data.share + "%"; } },
          labelLine: { show: !narrow },
          data: d.items.map(function (it) {
            return { name: it.name, value: num(it.value), amount: it.value, share: it.share };
          })
        }]
      };
    },
    pull: function (d) {
      return {
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var v = d.items[p.dataIndex].pull;
            return p.name + "<br>拉动 " + text(v, " 个百分点");
          }
        },
        grid: { left: 8, right: 40, top: 10, bottom: 24, containLabel: true },
        xAxis: { type: "value", name: "个百分点", nameLocation: "middle", nameGap: 22, axisLabel: { fontSize: 11 } },
        yAxis: {
          type: "category",
          data: d.items.map(function (it) { return it.name; }),
          axisTick: { show: false },
          axisLabel: { fontSize: 11 }
        },
        series: [{
          type: "bar",
          barMaxWidth: 22,
          data: d.items.map(function (it) {
            var v = num(it.pull);
            return {
              value: v,
              itemStyle: { color: v !== null && v < 0 ? GREEN : RED },
              label: {
                show: v !== null,
                position: v !== null && v < 0 ? "left" : "right",
                formatter: function () { return it.pull; }
              }
            };
          })
        }]
      };
    },
    ranking: function (d) {
      return {
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) { return p.name + "<br>" + d.items[p.dataIndex].metric + d.unit; }
        },
        grid: { left: 8, right: 8, top: 26, bottom: 4, containLabel: true },
        xAxis: {
          type: "category",
          data: d.items.map(function (it) { return it.name; }),
          axisLabel: { interval: 0, fontSize: 11, width: 84, overflow: "break" }
        },
        yAxis: { type: "value", name: d.unit },
        series: [{
          type: "bar",
          barMaxWidth: 36,
          data: d.items.map(function (it) {
            var v = num(it.metric);
            return {
              value: v,
              itemStyle: { color: it.code === d.current ? RED : (v !== null && v < 0 ? GREEN : BLUE) },
              label: {
                show: true,
                position: v !== null && v < 0 ? "bottom" : "top",
                formatter: function () { return it.metric; }
              }
            };
          })
        }]
      };
    }
  };

  function init(root) {
    if (typeof echarts === "undefined") return;
    var nodes = (root || document).querySelectorAll(".chart[data-source]");
    Array.prototype.forEach.call(nodes, function (el) {
      if (echarts.getInstanceByDom(el)) return;
      var d = payload(el);
      if (!d || !builders[d.kind]) return;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(builders[d.kind](d, el));
      charts.push(chart);
    });
  }

  function prune() {
    charts = charts.filter(function (c) { return !c.isDisposed(); });
  }

  // 当月值 / 累计值 toggle on the month chart.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-series-mode]") : null;
    if (!btn) return;
    var el = document.getElementById(btn.getAttribute("data-target"));
    var chart = el && echarts.getInstanceByDom(el);
    if (!chart) return;
    el.setAttribute("data-mode", btn.getAttribute("data-series-mode"));
    chart.setOption(seriesOption(payload(el), el.getAttribute("data-mode")), true);
    Array.prototype.forEach.call(btn.parentNode.querySelectorAll(".seg-btn"), function (b) {
      b.classList.toggle("active", b === btn);
    });
  });

  // htmx swaps the ranking panel: free the old chart, draw the new one.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail && ev.detail.target;
    if (!target) return;
    Array.prototype.forEach.call(target.querySelectorAll(".chart"), function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) c.dispose();
    });
    prune();
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    init(ev.detail && ev.detail.elt ? ev.detail.elt : document);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      prune();
      charts.forEach(function (c) {
        var el = c.getDom();
        var d = payload(el);
        c.resize();
        if (d && builders[d.kind]) c.setOption(builders[d.kind](d, el), true);
      });
    }, 100);
  });

  // The top bar's park switcher returns to `next`; a `park` (or `period`) left in that URL
  // would override the park just chosen, so drop them: the page then shows the new current
  // park at its latest period.
  function cleanSwitcherNext() {
    var next = document.querySelector("form.park-switcher input[name=next]");
    if (!next || !window.URL) return;
    var url = new URL(next.value, window.location.href);
    ["park", "period", "mpage"].forEach(function (k) { url.searchParams.delete(k); });
    next.value = url.pathname + url.search + url.hash;
  }
  cleanSwitcherNext();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  window.yuanquEconomy = { init: init, charts: function () { prune(); return charts.slice(); } };
})();
