/* Client side of the indicator pages and the city explorer (analysis/publish/grapher.py, explorer.py).
 * picker.app_html joins app_core.js, app_indicator.js and app_explorer.js, in that order, inside one
 * strict-mode function; app_explorer.js ends with the start-up code of every page.
 * Offline: echarts is inlined once per page before this script; the data is one JSON element.
 * Document text is data: it reaches the DOM through textContent only, and echarts tooltips (which
 * render HTML) get it through esc(). The city selection lives in the URL (#cities=A,B). */
  var node = document.getElementById("plans-data");
  if (!node || !window.echarts) { return; }
  var D = JSON.parse(node.hasAttribute("data-deflate") ? window.__plansInflate(node.textContent) : node.textContent);  // offline.compress_page
  var PALETTE = D.palette, FONT = D.font, OTHER = "#8aa4c8", BASE = "#b5b5b5", BENCH = "#c15065";
  var T2S = D.t2s || {};

  function esc(s) {
    return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function norm(s) {
    var out = "";
    for (var ch of String(s == null ? "" : s).trim()) { out += T2S[ch] || ch; }
    return out.toLowerCase();
  }
  function fmt(v, unit) {
    if (v == null || v !== v) { return "—"; }
    var r = Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
    return r.toLocaleString("en-US") + (unit ? (unit === "%" ? " %" : " " + unit) : "");
  }
  function hashOf(s) { var h = 2166136261; for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
  /* a city keeps its colour on every page and in every build: the colour follows its name */
  function colorFor(name) { return PALETTE[hashOf(name) % PALETTE.length]; }
  function jitter(s) { return (hashOf(s + "#j") % 1000) / 1000 - 0.5; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) { e.textContent = text; }
    return e;
  }
  function quantile(sorted, q) {
    if (!sorted.length) { return null; }
    var pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
  var BASE_OPT = { textStyle: { fontFamily: FONT }, animation: false, grid: { containLabel: true } };
  function title(zh, en) {
    return { text: zh, subtext: en, left: 0, top: 0, textStyle: { fontSize: 15, fontFamily: FONT },
             subtextStyle: { fontSize: 12, color: "#555", fontFamily: FONT } };
  }

  /* ------------------------------------------------------------------ selection + URL */
  var NAMES = D.names;               // every city label on the page
  var selected = [];                 // selected city labels, in the order chosen
  var listeners = [];
  function resolve(q) {
    var n = norm(q);
    if (!n) { return []; }
    var exact = NAMES.filter(function (c) { return norm(c) === n; });
    if (exact.length) { return exact; }
    var part = NAMES.filter(function (c) { return norm(c).indexOf(n) >= 0; });
    return part.length <= 10 ? part : [];
  }
  function readHash() {
    var m = /(?:^#|&)cities=([^&]*)/.exec(location.hash);
    var out = [];
    if (m) {
      m[1].split(",").forEach(function (p) {
        var name; try { name = decodeURIComponent(p); } catch (e) { name = p; }
        resolve(name).forEach(function (c) { if (out.indexOf(c) < 0) { out.push(c); } });
      });
    }
    return out;
  }
  function writeHash() {
    var h = selected.length ? "#cities=" + selected.map(encodeURIComponent).join(",") : " ";
    if (location.hash !== h) { history.replaceState(null, "", h === " " ? location.pathname + location.search : h); }
  }
  function setSelection(list) {
    selected = list.slice(0, 40);
    writeHash();
    listeners.forEach(function (f) { f(); });
  }
  function isSel(name) { return selected.indexOf(name) >= 0; }

  function picker(root) {
    var box = el("div", { "class": "plans-picker" });
    box.appendChild(el("label", { "for": "plans-picker-input" }, "城市 Cities: "));
    var input = el("input", { id: "plans-picker-input", list: "plans-picker-names", autocomplete: "off",
                              placeholder: "输入城市名（简体或繁體）type a city name" });
    var dl = el("datalist", { id: "plans-picker-names" });
    NAMES.slice(0, 5000).forEach(function (c) { dl.appendChild(el("option", { value: c })); });
    var add = el("button", { type: "button" }, "高亮 highlight");
    var clear = el("button", { type: "button" }, "清除 clear");
    var chips = el("span", { "class": "plans-chips" });
    var msg = el("span", { "class": "plans-picker-msg" });
    function go() {
      var found = resolve(input.value);
      if (!found.length) { msg.textContent = input.value ? "未找到 not found: " + input.value : ""; return; }
      msg.textContent = "";
      input.value = "";
      setSelection(selected.concat(found.filter(function (c) { return !isSel(c); })));
    }
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); go(); } });
    input.addEventListener("change", function () { if (resolve(input.value).length) { go(); } });
    add.addEventListener("click", go);
    clear.addEventListener("click", function () { setSelection([]); });
    [input, dl, add, clear, chips, msg].forEach(function (x) { box.appendChild(x); });
    listeners.push(function () {
      chips.textContent = "";
      selected.forEach(function (c) {
        var chip = el("span", { "class": "plans-chip", style: "border-color:" + colorFor(c) }, c + " ×");
        chip.addEventListener("click", function () { setSelection(selected.filter(function (x) { return x !== c; })); });
        chips.appendChild(chip);
      });
    });
    root.appendChild(box);
  }

  function chartBox(root, height, name) {
    var div = el("div", { "class": "plans-chart", "data-chart": name, style: "width:100%;height:" + height + "px" });
    root.appendChild(div);
    var chart = echarts.init(div, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  function setHeight(chart, h) {
    h = Math.min(h, 1150);
    chart.getDom().style.height = h + "px";
    chart.resize();
  }
  function buttons(root, labelText, options, onPick) {
    var bar = el("div", { "class": "plans-buttons" });
    bar.appendChild(el("span", {}, labelText));
    options.forEach(function (o, i) {
      var b = el("button", { type: "button", "data-key": o.key, "class": i ? "" : "on" }, o.label);
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(bar.querySelectorAll("button"), function (x) { x.className = ""; });
        b.className = "on";
        onPick(o.key);
      });
      bar.appendChild(b);
    });
    root.appendChild(bar);
    return bar;
  }
  /* a value's passage (passages/<doc>.html#q-<start>-<end>, relative: the folder works when moved) */
  var PASSAGE = /^passages\/[A-Za-z0-9\u4e00-\u9fff._%-]+\.html#q-\d+-\d+$/;
  function passageHref(h) { return typeof h === "string" && PASSAGE.test(h) ? h : null; }
  /* the link of a quote from its document and [start, end] (D.pfile: file names that are not <doc_id>.html) */
  function passageOf(doc, o) {
    if (!o || o.length !== 2) { return null; }
    return passageHref("passages/" + ((D.pfile && D.pfile[doc]) || doc + ".html") + "#q-" + o[0] + "-" + o[1]);
  }
  function openPassage(h) { h = passageHref(h); if (h) { window.location.href = h; } }
  /* clicking a chart point opens the passage of the value behind it (p.data.h, or p.data.r.h) */
  function clickToPassage(chart) {
    chart.on("click", function (p) { var d = p && p.data; if (d) { openPassage(d.h || (d.r && passageOf(d.r.d, d.r.o))); } });
  }
  function note(root, text) { root.appendChild(el("p", { "class": "plans-source" }, text)); }
