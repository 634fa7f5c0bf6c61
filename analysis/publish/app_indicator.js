/* The indicator page: distribution, ranking, groups, province tiles, table + CSV (see app_core.js). */
  /* ------------------------------------------------------------------ indicator page */
  function indicatorPage(root) {
    var I = D.indicator, unit = I.unit || "", rows = D.rows, scope = D.scopes[0].key, groupBy = "province", mapBy = "median";
    var hib = I.direction !== "lower_is_better";
    function cur() { return rows.filter(function (r) { return r.s === scope; }); }
    picker(root);
    if (D.scopes.length > 1) {
      buttons(root, "口径 Scope: ", D.scopes, function (k) { scope = k; draw(); });
    }
    var benches = function () { return D.benchmarks.filter(function (b) { return b.scope == null || b.scope === scope; }); };
    var benchLines = function () {
      return { symbol: "none", silent: true, lineStyle: { color: BENCH, type: "dashed" },
               label: { formatter: "{b}", color: BENCH, fontFamily: FONT },
               data: benches().map(function (b) { return { xAxis: b.value, name: b.label }; }) };
    };
    var tip = function (r, v) {
      return esc(r.c) + " · " + esc(r.p || "") + "<br>" + esc(fmt(v, unit)) + (r.q ? "<br><span style='color:#666'>" +
        esc(r.q.length > 60 ? r.q.slice(0, 60) + "…" : r.q) + "</span>" : "") +
        (passageOf(r.d, r.o) ? "<br><span style='color:#3360a9'>点击查看原文 click: the passage</span>" : "");
    };

    root.appendChild(el("h2", {}, "分布 Distribution"));
    var strip = chartBox(root, 320, "distribution");
    note(root, "每个点是一份文件；同值的点上下错开，不互相遮挡。虚线：基准。Each dot is one document; equal values are spread vertically so none hides another. Dashed lines: benchmarks.");
    root.appendChild(el("h2", {}, "排名 Ranking"));
    var rank = chartBox(root, 400, "ranking");
    note(root, "只列出最高和最低各 10 份文件及所选城市；并列名次相同。Top and bottom 10 and the selected cities; ties share a rank.");
    root.appendChild(el("h2", {}, "分组 Groups"));
    buttons(root, "分组 Group by: ", [{ key: "province", label: "省份 province" }, { key: "level", label: "行政级别 admin level" },
                                      { key: "region", label: "地区 region" }], function (k) { groupBy = k; drawGroups(); });
    var groups = chartBox(root, 400, "groups");
    note(root, "箱线：最小值、四分位数、中位数、最大值；彩色点为所选城市。Box: min, quartiles, median, max; coloured dots: selected cities.");
    root.appendChild(el("h2", {}, "省份方块图 Province tile grid"));
    buttons(root, "着色 Colour: ", [{ key: "median", label: "目标中位数 median target" }, { key: "share", label: "提及比例 share stating it" }],
            function (k) { mapBy = k; drawMap(); });
    var map = chartBox(root, 470, "map");
    note(root, D.map_note);
    root.appendChild(el("h2", {}, "数据表 Table"));
    var tableBox = el("div", { "class": "plans-grapher-table" });
    root.appendChild(tableBox);
    [strip, rank, groups].forEach(clickToPassage);

    function drawStrip() {
      var rs = cur(), pts = [[], [], []];
      rs.forEach(function (r) {
        var j = jitter(r.d) * 0.6, sel = isSel(r.c);
        if (r.b != null) { (sel ? pts[2] : pts[0]).push({ value: [r.b, 0 + j], r: r, v: r.b, itemStyle: sel ? { color: colorFor(r.c) } : undefined }); }
        (sel ? pts[2] : pts[1]).push({ value: [r.t, 1 + j], r: r, v: r.t, itemStyle: sel ? { color: colorFor(r.c) } : undefined });
      });
      var small = rs.length > 600 ? 4 : 7;
      strip.setOption(Object.assign({}, BASE_OPT, {
        title: title(I.zh + "：基期与" + D.target_year + "年目标", I.en + ": baseline and " + D.target_year + " target"),
        legend: { top: 0, right: 0 }, grid: { left: 10, right: 40, top: 70, bottom: 40, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) { return tip(p.data.r, p.data.v); } },
        xAxis: { type: "value", scale: true, name: unit, nameLocation: "end" },
        yAxis: { type: "value", min: -0.5, max: 1.5, interval: 0.5, axisLabel: { formatter: function (v) {
          return Math.abs(v) < 1e-9 ? "基期 baseline" : (Math.abs(v - 1) < 1e-9 ? D.target_year + " 目标 target" : ""); } },
          axisTick: { show: false }, splitLine: { show: false } },
        series: [
          { name: "基期 baseline", type: "scatter", symbolSize: small, itemStyle: { color: BASE, opacity: 0.7 }, data: pts[0] },
          { name: "目标 target", type: "scatter", symbolSize: small, itemStyle: { color: OTHER, opacity: 0.8 }, data: pts[1], markLine: benchLines() },
          { name: "已选 selected", type: "scatter", symbolSize: 13, z: 5, data: pts[2],
            label: { show: true, position: "top", formatter: function (p) { return p.data.r.c; }, fontFamily: FONT } }]
      }), true);
    }
    function ranks(rs) {
      var s = rs.slice().sort(function (a, b) { return hib ? b.t - a.t : a.t - b.t; });
      s.forEach(function (r, i) { r._rank = (i && s[i - 1].t === r.t) ? s[i - 1]._rank : i + 1; });
      return s;
    }
    function drawRank() {
      var s = ranks(cur()), K = 10, items = [];
      s.forEach(function (r, i) {
        var edge = s.length <= 2 * K + 2 || i < K || i >= s.length - K;
        if (edge || isSel(r.c)) {
          if (items.length && s.indexOf(items[items.length - 1]) !== i - 1) { items.push(null); }
          items.push(r);
        }
      });
      var cats = items.map(function (r, i) { return r ? r._rank + ". " + r.c : "⋯".repeat(1 + (i % 3)); });
      setHeight(rank, items.length * 22 + 110);
      rank.setOption(Object.assign({}, BASE_OPT, {
        title: title(I.zh + "：排名（" + (hib ? "越高越靠前" : "越低越靠前") + "）",
                     "Ranking (" + (hib ? "higher first" : "lower first") + "), " + s.length + " documents"),
        grid: { left: 10, right: 60, top: 60, bottom: 30, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.r ? tip(p.data.r, p.data.r.t) : ""; } },
        xAxis: { type: "value", name: unit, scale: false },
        yAxis: { type: "category", inverse: true, data: cats, axisLabel: { fontFamily: FONT } },
        series: [{ type: "bar", barMaxWidth: 16, markLine: Object.assign(benchLines(), { label: { show: false } }),
                   label: { show: true, position: "right", formatter: function (p) { return p.data && p.data.r ? fmt(p.data.r.t, unit) : ""; } },
                   data: items.map(function (r) {
                     return r ? { value: r.t, r: r, itemStyle: { color: isSel(r.c) ? colorFor(r.c) : OTHER } } : { value: null };
                   }) }]
      }), true);
    }
    function groupKey(r) { return groupBy === "province" ? (r.p || "未知 unknown") : (groupBy === "level" ? r.l : r.r); }
    function drawGroups() {
      var g = {}, rs = cur();
      rs.forEach(function (r) { var k = groupKey(r); (g[k] = g[k] || []).push(r); });
      var keys = Object.keys(g).map(function (k) {
        var v = g[k].map(function (r) { return r.t; }).sort(function (a, b) { return a - b; });
        return { k: k, v: v, med: quantile(v, 0.5) };
      }).sort(function (a, b) { return hib ? b.med - a.med : a.med - b.med; });
      var cats = keys.map(function (x) { return x.k + " (" + x.v.length + ")"; });
      var box = keys.map(function (x) { return [x.v[0], quantile(x.v, 0.25), x.med, quantile(x.v, 0.75), x.v[x.v.length - 1]]; });
      var selPts = [];
      keys.forEach(function (x, i) { g[x.k].forEach(function (r) { if (isSel(r.c)) { selPts.push({ value: [r.t, i], r: r, itemStyle: { color: colorFor(r.c) } }); } }); });
      setHeight(groups, keys.length * 26 + 120);
      groups.setOption(Object.assign({}, BASE_OPT, {
        title: title(I.zh + "：按" + { province: "省份", level: "行政级别", region: "地区" }[groupBy] + "分组",
                     "By " + { province: "province", level: "administrative level", region: "region" }[groupBy] + " (documents)"),
        grid: { left: 10, right: 40, top: 60, bottom: 30, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) {
          if (p.data && p.data.r) { return tip(p.data.r, p.data.r.t); }
          var b = box[p.dataIndex]; return esc(cats[p.dataIndex]) + "<br>中位数 median " + esc(fmt(b[2], unit)) +
            "<br>范围 range " + esc(fmt(b[0], unit)) + " – " + esc(fmt(b[4], unit)); } },
        xAxis: { type: "value", scale: true, name: unit },
        yAxis: { type: "category", inverse: true, data: cats },
        series: [{ type: "boxplot", data: box, itemStyle: { color: "#e8eef7", borderColor: "#3360a9" }, boxWidth: [4, 14],
                   markLine: Object.assign(benchLines(), { label: { show: false } }) },
                 { type: "scatter", data: selPts, symbolSize: 11, z: 5 }]
      }), true);
    }
    function drawMap() {
      var g = {}, rs = cur();
      rs.forEach(function (r) { (g[r.p] = g[r.p] || []).push(r.t); });
      var data = [], empty = [], vals = [];
      D.tiles.forEach(function (t) {
        var v = (g[t.province] || []).slice().sort(function (a, b) { return a - b; });
        var n = D.docs_by_province[t.province] || 0;
        var val = mapBy === "median" ? quantile(v, 0.5) : (n ? 100 * v.length / n : null);
        if (val != null) { vals.push(val); }
        (val == null ? empty : data).push({ value: [t.col, t.row, val == null ? 0 : val], t: t, n: v.length, docs: n, med: quantile(v, 0.5) });
      });
      var lo = vals.length ? Math.min.apply(null, vals) : 0, hi = vals.length ? Math.max.apply(null, vals) : 1;
      map.setOption(Object.assign({}, BASE_OPT, {
        title: title(I.zh + "：各省" + (mapBy === "median" ? "目标中位数" : "提及该指标的文件比例"),
                     mapBy === "median" ? "Median " + D.target_year + " target by province" : "Share of a province's documents stating it"),
        grid: { left: 10, right: 10, top: 60, bottom: 60 },
        tooltip: { formatter: function (p) { var d = p.data; return esc(d.t.province) + "<br>中位数 median " + esc(fmt(d.med, unit)) +
          "<br>" + d.n + " / " + d.docs + " 份文件提及 documents state it"; } },
        xAxis: { type: "category", data: [0, 1, 2, 3, 4, 5, 6, 7, 8], show: false },
        yAxis: { type: "category", data: [0, 1, 2, 3, 4, 5, 6, 7], inverse: true, show: false },
        visualMap: { seriesIndex: 0, min: lo, max: hi === lo ? lo + 1 : hi, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                     inRange: { color: ["#f1f5fb", "#9fb8dd", "#3360a9"] }, text: [fmt(hi, mapBy === "median" ? unit : "%"), fmt(lo, mapBy === "median" ? unit : "%")] },
        series: [{ type: "heatmap", data: data, itemStyle: { borderColor: "#fff", borderWidth: 3 },
                   label: { show: true, fontFamily: FONT, formatter: function (p) {
                     var d = p.data; return d.t.short + "\n" + (d.n ? fmt(mapBy === "median" ? d.med : 100 * d.n / d.docs, mapBy === "median" ? unit : "%") : "—"); } } },
                 { type: "heatmap", data: empty, itemStyle: { color: "#e4e4e4", borderColor: "#fff", borderWidth: 3 },
                   label: { show: true, color: "#777", fontFamily: FONT, formatter: function (p) { return p.data.t.short + "\n—"; } } }]
      }), true);
    }
    var COLS = [["c", "城市 city"], ["p", "省份 province"], ["l", "行政级别 level"], ["r", "地区 region"], ["sl", "口径 scope"],
                ["by", "基期年 baseline year"], ["b", "基期 baseline"], ["cmp", "比较 comparator"], ["t", "目标 target"],
                ["a", "属性 attribute"], ["k", "来源 source"], ["q", "原文 quote"]];
    var CITE = ["title", "doc_number", "issuer", "issued_date", "source_url", "page", "section", "passage"];
    var LINKED = { t: 1, b: 1, q: 1 };  // cells that link to the value's passage
    var filterText = "", showAll = false, PAGE_ROWS = 300;
    function drawTable() {
      var rs = ranks(cur()).slice().sort(function (a, b) { return (isSel(b.c) - isSel(a.c)) || (a._rank - b._rank); });
      var f = norm(filterText);
      var shown = rs.filter(function (r) { return !f || norm(COLS.map(function (c) { return r[c[0]]; }).join(" ")).indexOf(f) >= 0; });
      tableBox.textContent = "";
      var bar = el("div", { "class": "plans-table-bar" });
      var input = el("input", { "class": "plans-filter", placeholder: "筛选（简体或繁體）filter rows", value: filterText });
      input.addEventListener("input", function () { filterText = input.value; drawTable(); var i = tableBox.querySelector("input"); i.focus(); i.setSelectionRange(i.value.length, i.value.length); });
      var cut = !showAll && shown.length > PAGE_ROWS;
      var count = el("span", { "class": "plans-count" }, shown.length + " / " + rs.length + " 行 rows" +
                     (cut ? "，显示前 " + PAGE_ROWS + " 行 showing the first " + PAGE_ROWS + "（CSV 含全部 " + shown.length + " 行 holds all）" : ""));
      var more = el("button", { type: "button", "class": "plans-more" }, "显示全部 show all");
      more.addEventListener("click", function () { showAll = true; drawTable(); });
      var dl = el("button", { type: "button", "class": "plans-csv" }, "下载 CSV download");
      dl.addEventListener("click", function () {
        var head = ["doc_id", "rank"].concat(COLS.map(function (c) { return c[1]; }), CITE);
        var lines = [head].concat(shown.map(function (r) { return [r.d, r._rank].concat(COLS.map(function (c) { return r[c[0]]; }),
          (D.cite && D.cite[r.d]) || [null, null, null, null, null],
          [r.pg, r.si == null ? null : D.sections[r.si], passageOf(r.d, r.o)]); }));
        var csv = "\ufeff" + lines.map(function (l) { return l.map(function (v) {
          var s = v == null ? "" : String(v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }).join(","); }).join("\r\n") + "\r\n";
        var a = el("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" })), download: D.csv_name });
        document.body.appendChild(a); a.click(); a.remove();
      });
      [input, count, dl].concat(cut ? [more] : []).forEach(function (x) { bar.appendChild(x); });
      tableBox.appendChild(bar);
      var t = el("table", { "class": "plans-table plans-grapher-rows" }), thead = el("thead"), tr = el("tr");
      tr.appendChild(el("th", {}, "名次 rank"));
      COLS.forEach(function (c) { tr.appendChild(el("th", {}, c[1])); });
      thead.appendChild(tr); t.appendChild(thead);
      var tb = el("tbody"), html = [];  // one string, every value through esc(): fast at thousands of rows
      (cut ? shown.slice(0, PAGE_ROWS) : shown).forEach(function (r) {
        html.push(isSel(r.c) ? '<tr class="plans-selected" style="border-left:4px solid ' + colorFor(r.c) + '">' : "<tr>");
        html.push('<td class="num">' + r._rank + "</td>");
        COLS.forEach(function (c) {
          var v = r[c[0]], cls = c[0] === "q" ? "quote" : (typeof v === "number" ? "num" : "");
          var text = esc(v == null ? "" : (typeof v === "number" && c[0] !== "by" ? fmt(v) : String(v)));
          var h = LINKED[c[0]] && v != null ? passageOf(r.d, r.o) : null;
          html.push("<td" + (cls ? ' class="' + cls + '"' : "") + ">" +
                    (h ? '<a class="plans-passage" title="原文出处 open the passage" href="' + esc(h) + '">' + text + "</a>" : text) + "</td>");
        });
        html.push("</tr>");
      });
      tb.innerHTML = html.join("");
      t.appendChild(tb);
      tableBox.appendChild(t);
    }
    function draw() {  // the first chart at once, the rest after the browser has painted it
      drawStrip();
      setTimeout(function () { drawRank(); drawGroups(); drawMap(); setTimeout(drawTable, 0); }, 0);
    }
    listeners.push(draw);
    return draw;
  }
