/* The city explorer, then the start-up code of every page (see app_core.js). */
  /* ------------------------------------------------------------------ city explorer */
  function explorerPage(root) {
    picker(root);
    var out = el("div", { "class": "plans-explorer" });
    root.appendChild(out);
    var dots = chartBox(root, 400, "percentiles");
    clickToPassage(dots);
    note(root, "百分位：在提及同一指标（同一口径）的文件中，目标不如该城市高的文件所占比例（指标越低越好时反向）。未提及的指标不画点：空缺即空缺，不当作零。Percentile among the documents stating the same indicator and scope (reversed when lower is better); an indicator a city does not state has no dot: a gap stays a gap, never a zero.");
    var detail = el("div", {});
    root.appendChild(detail);
    var byName = {};
    D.docs.forEach(function (d, i) { (byName[d[1]] = byName[d[1]] || []).push(i); });
    function table(head, rows) {
      var t = el("table", { "class": "plans-table" }), tr = el("tr");
      head.forEach(function (h) { tr.appendChild(el("th", {}, h)); });
      var th = el("thead"); th.appendChild(tr); t.appendChild(th);
      var tb = el("tbody");
      rows.forEach(function (r) {
        var row = el("tr");
        r.forEach(function (v) {
          if (v && v.href) {
            var td = el("td", v.passage ? { "class": "num" } : {});
            td.appendChild(el("a", v.passage ? { href: v.href, "class": "plans-passage", title: "原文出处 open the passage" } : { href: v.href }, v.text));
            row.appendChild(td);
          }
          else { row.appendChild(el("td", { "class": typeof v === "number" ? "num" : "" }, v == null ? "" : String(v))); }
        });
        tb.appendChild(row);
      });
      t.appendChild(tb);
      return t;
    }
    function draw() {
      var names = selected.length ? selected : [D.docs[0][1]];
      var docs = [];
      names.forEach(function (n) { (byName[n] || []).forEach(function (i) { docs.push(i); }); });
      docs = docs.slice(0, 8);
      out.textContent = "";
      if (!selected.length) { out.appendChild(el("p", { "class": "plans-source" }, "未选择城市，显示第一份文件。No city chosen: showing the first document.")); }
      var inds = {}, series = [];
      docs.forEach(function (di) { D.vals.forEach(function (v) { if (v[0] === di) { inds[v[1] + "|" + v[2]] = v; } }); });
      var keys = Object.keys(inds).sort(function (a, b) {
        var x = inds[a], y = inds[b]; return D.inds[x[1]][1] < D.inds[y[1]][1] ? -1 : (D.inds[x[1]][1] > D.inds[y[1]][1] ? 1 : (x[2] < y[2] ? -1 : 1)); });
      var shownKeys = keys.slice(0, 46);
      var cats = shownKeys.map(function (k) { var v = inds[k], ind = D.inds[v[1]]; return ind[1] + (v[2] ? " · " + v[2] : ""); });
      docs.forEach(function (di) {
        var d = D.docs[di], pts = [];
        D.vals.forEach(function (v) {
          var k = v[1] + "|" + v[2], y = shownKeys.indexOf(k);
          if (v[0] === di && y >= 0 && v[5] != null) { pts.push({ value: [v[5], y], v: v, h: passageOf(D.docs[v[0]][0], v[7]) }); }
        });
        series.push({ name: d[1], type: "scatter", symbolSize: 11, itemStyle: { color: colorFor(d[1]) }, data: pts });
      });
      setHeight(dots, shownKeys.length * 22 + 130);
      dots.setOption(Object.assign({}, BASE_OPT, {
        title: title("城市目标在同类文件中的百分位", "Percentile of each " + D.target_year + " target among the documents stating it"),
        legend: { top: 40, left: 0 }, grid: { left: 10, right: 30, top: 80, bottom: 45, containLabel: true },
        tooltip: { formatter: function (p) { var v = p.data.v, ind = D.inds[v[1]];
          return esc(p.seriesName) + "<br>" + esc(ind[1]) + " " + esc(ind[2]) + "<br>目标 target " + esc(fmt(v[4], ind[3])) +
            "<br>百分位 percentile " + Math.round(v[5]) + " (" + v[6] + " 份文件 documents)" +
            (passageOf(D.docs[v[0]][0], v[7]) ? "<br><span style='color:#3360a9'>点击查看原文 click: the passage</span>" : ""); } },
        xAxis: { type: "value", min: 0, max: 100, name: "百分位 percentile（100 = 最有雄心 most ambitious）", nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "category", data: cats, inverse: true },
        series: series
      }), true);
      detail.textContent = "";
      docs.forEach(function (di) {
        var d = D.docs[di];
        var h = el("h2", { style: "border-left:6px solid " + colorFor(d[1]) + ";padding-left:8px" }, d[1]);
        detail.appendChild(h);
        detail.appendChild(el("p", { "class": "plans-source" }, [d[2], d[3], d[4], d[5], d[0]].filter(Boolean).join(" · ")));
        var rows = D.vals.filter(function (v) { return v[0] === di; }).map(function (v) {
          var ind = D.inds[v[1]];
          return [ind[5] ? { href: ind[5] + "#cities=" + encodeURIComponent(d[1]), text: ind[1] } : ind[1], ind[2], v[2],
                  fmt(v[3], ind[3]), passageOf(d[0], v[7]) ? { href: passageOf(d[0], v[7]), text: fmt(v[4], ind[3]), passage: true } : fmt(v[4], ind[3]),
                  v[5] == null ? "—" : Math.round(v[5]), v[6]];
        });
        detail.appendChild(el("h3", {}, "指标 Indicators (" + rows.length + ")"));
        detail.appendChild(table(["指标 indicator", "indicator (en)", "口径 scope", "基期 baseline", D.target_year + " 目标 target",
                                  "百分位 percentile", "提及文件数 documents stating it"], rows));
        var miles = D.miles.filter(function (m) { return m[0] === di; }).map(function (m) {
          var ind = D.inds[m[1]]; return [ind[1], m[2], m[3], fmt(m[4], ind[3])]; });
        detail.appendChild(el("h3", {}, "阶段目标 Milestones (" + miles.length + ")"));
        if (miles.length) { detail.appendChild(table(["指标 indicator", "口径 scope", "年份 year", "目标 target"], miles)); }
        var flags = D.flags.filter(function (f) { return f[0] === di; }).map(function (f) { return [f[1], f[2]]; });
        detail.appendChild(el("h3", {}, "质量标记 Quality flags (" + flags.length + ")"));
        if (flags.length) { detail.appendChild(table(["类型 kind", "数量 count"], flags)); }
      });
    }
    listeners.push(draw);
    return draw;
  }

  var root = document.getElementById("plans-app");
  var draw = D.kind === "explorer" ? explorerPage(root) : indicatorPage(root);
  selected = readHash();
  window.addEventListener("hashchange", function () { selected = readHash(); listeners.forEach(function (f) { f(); }); });
  listeners.forEach(function (f) { f(); });
  window.plansApp = { select: setSelection, selected: function () { return selected.slice(); } };
