"""The one data table of a page: its rows shipped once as compact JSON, drawn in the browser.

``data_table(df, columns, csv_name=…)`` replaces an HTML table of thousands of rows on the topic
pages: the rows travel as one ``<script type="application/json">`` element (column-wise labels,
row arrays, floats rounded, a text column of few distinct values as one list and an index per row), a small inline script draws the first ``page_rows`` rows, filters them
(traditional and simplified characters alike, several words narrow the search) and downloads the
filtered rows as CSV. Coded columns (``kind``, ``admin_level``, ``scope`` …) are shipped as their
bilingual labels (:func:`analysis.publish.format.label`): a page never prints ``missing_unit``.

Document text is data: the script puts it in the DOM through ``textContent`` only, and the JSON
escapes every ``<`` so no value can close the script element.
"""

from __future__ import annotations

import json
import math
import numbers
import uuid
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from IPython.display import HTML

from analysis.publish.format import is_missing, is_year_column, label, label_fields

PAGE_ROWS = 300
_CODED = frozenset(label_fields())


def _value(v, col: str, digits: int):
    if is_missing(v) or (isinstance(v, str) and v == ""):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, bool):
        return "是 yes" if v else "否 no"
    if isinstance(v, numbers.Number):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            return None
        if is_year_column(col) or f.is_integer():
            return int(f)
        return round(f, digits)
    if col in _CODED:
        return label(col, v)
    return str(v)


def table_payload(df, columns: Mapping[str, str] | Sequence[str], *, csv_name: str, digits: int = 2,
                  max_chars: Mapping[str, int] | None = None) -> dict:
    """{cols, rows, t2s, csv}: what the client draws (see :func:`data_table`)."""
    from analysis.publish.picker import t2s_map

    if not isinstance(columns, Mapping):
        columns = {c: c for c in columns}
    cols = [c for c in columns if c in df.columns]
    if not cols:
        raise KeyError(f"data_table: none of the columns {list(columns)} is in the result ({list(df.columns)})")
    cut = dict(max_chars or {})
    rows = []
    for rec in df[cols].itertuples(index=False, name=None):
        row = []
        for v, c in zip(rec, cols):
            x = _value(v, c, digits)
            if isinstance(x, str) and c in cut and len(x) > cut[c]:
                x = x[: cut[c]] + "…"
            row.append(x)
        rows.append(row)
    num = [bool(rows) and all(r[i] is None or isinstance(r[i], (int, float)) for r in rows) for i in range(len(cols))]
    text = [str(x) for r in rows for x in r if isinstance(x, str)]
    specs = [{"key": c, "label": columns[c], "num": n and not is_year_column(c)} for c, n in zip(cols, num)]
    for i, spec in enumerate(specs):  # a text column of few distinct values ships each value once (an index per row)
        values = list(dict.fromkeys(r[i] for r in rows if r[i] is not None))
        if not num[i] and values and 2 * len(values) < len(rows):
            code = {v: k for k, v in enumerate(values)}
            spec["dict"] = values
            for r in rows:
                r[i] = None if r[i] is None else code[r[i]]
    out = {"cols": specs, "rows": rows, "t2s": t2s_map(text), "csv": csv_name}
    out.update(_links(df, cols))
    return out


# the cells that open their passage when the frame has doc_id, start and end (as in analysis/publish/tables.py)
LINKED = ("target_value", "baseline_value", "value", "quote", "excerpt", "target_text")


def _links(df, cols: list[str]) -> dict:
    """{lfiles, links, lcols}: per row [file index, start, end] of its passage (null without offsets), the
    viewer files once, and which columns link; {} when the frame has no offsets or no linked column."""
    import pandas as pd

    from analysis.publish.passages import VIEWER_DIR, page_name

    lcols = [i for i, c in enumerate(cols) if c in LINKED]
    if not lcols or not all(c in df.columns for c in ("doc_id", "start", "end")):
        return {}
    files: dict[str, int] = {}
    links = []
    for d, s, e in zip(df["doc_id"], df["start"], df["end"]):
        if any(pd.isna(v) for v in (d, s, e)):
            links.append(None)
            continue
        f = f"{VIEWER_DIR}/{quote(page_name(str(d)))}"
        links.append([files.setdefault(f, len(files)), int(s), int(e)])
    return {"lfiles": list(files), "links": links, "lcols": lcols}


def decoded_rows(payload: dict) -> list[list]:
    """The rows as the client shows them (dictionary-coded columns decoded)."""
    dicts = [c.get("dict") for c in payload["cols"]]
    return [[v if d is None or v is None else d[v] for v, d in zip(r, dicts)] for r in payload["rows"]]


def data_table(df, columns: Mapping[str, str] | Sequence[str], *, csv_name: str, caption: str | None = None,
               digits: int = 2, page_rows: int = PAGE_ROWS, max_chars: Mapping[str, int] | None = None,
               placeholder: str = "筛选（简体或繁體）filter rows: 城市 city, 指标 indicator …") -> HTML:
    """A filterable table with a CSV download of the filtered rows; ``max_chars`` shortens long text columns."""
    payload = table_payload(df, columns, csv_name=csv_name, digits=digits, max_chars=max_chars)
    payload.update(caption=caption or "", page_rows=int(page_rows), placeholder=placeholder)
    uid = uuid.uuid4().hex[:10]
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return HTML(f'<div class="plans-datatable" id="plans-dt-{uid}"></div>\n'
                f'<script type="application/json" id="plans-dt-data-{uid}">{blob}</script>\n'
                f"<script>{_JS.replace('@UID@', uid)}</script>\n")


_JS = r"""setTimeout(function () {  // the table is built after the page's charts have started drawing
  "use strict";
  var root = document.getElementById("plans-dt-@UID@"), node = document.getElementById("plans-dt-data-@UID@");
  if (!root || !node) { return; }
  var D = JSON.parse(node.hasAttribute("data-deflate") ? window.__plansInflate(node.textContent) : node.textContent), T2S = D.t2s || {}, filter = "", showAll = false;
  var L = D.links || [], LC = D.lcols || [];
  D.cols.forEach(function (c, j) {  // dictionary-coded columns: each row holds an index into c.dict
    if (c.dict) { D.rows.forEach(function (r) { if (r[j] != null) { r[j] = c.dict[r[j]]; } }); }
  });
  function norm(s) { var o = ""; for (var ch of String(s == null ? "" : s)) { o += T2S[ch] || ch; } return o.toLowerCase(); }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) { e.className = cls; } if (text != null) { e.textContent = text; } return e; }
  function show(v) { return v == null ? "—" : (typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(v)); }
  var hay = null;  // the rows' search text, built on the first filter (not before the page's charts draw)
  var bar = el("div", "plans-table-bar"), input = el("input", "plans-filter"), count = el("span", "plans-count plans-source");
  input.type = "search"; input.placeholder = D.placeholder; input.setAttribute("aria-label", "filter rows");
  var csv = el("button", "plans-csv", "下载 CSV download"), more = el("button", "plans-more", "显示全部 show all");
  csv.type = more.type = "button";
  [input, count, csv, more].forEach(function (x) { bar.appendChild(x); });
  root.appendChild(bar);
  var wrap = el("div", "plans-datatable-scroll"); wrap.style.cssText = "overflow:auto;max-height:640px;max-width:100%";
  var table = el("table", "plans-table"); table.style.cssText = "border-collapse:collapse;font-size:13px";
  if (D.caption) { table.appendChild(el("caption", "", D.caption)); }
  var thead = el("thead"), htr = el("tr");
  D.cols.forEach(function (c) { var th = el("th", "", c.label); th.style.cssText = "border:1px solid #ddd;padding:3px 6px;background:#f6f6f6;text-align:left;position:sticky;top:0"; htr.appendChild(th); });
  thead.appendChild(htr); table.appendChild(thead);
  var tbody = el("tbody"); table.appendChild(tbody); wrap.appendChild(table); root.appendChild(wrap);
  function matching() {
    var terms = norm(filter).split(/\s+/).filter(Boolean), out = [];
    if (!terms.length) { return D.rows.map(function (r, i) { return i; }); }
    if (!hay) { hay = D.rows.map(function (r) { return norm(r.join(" ")); }); }
    for (var i = 0; i < D.rows.length; i++) {
      if (terms.every(function (t) { return hay[i].indexOf(t) !== -1; })) { out.push(i); }
    }
    return out;
  }
  function draw() {
    var idx = matching(), cut = !showAll && idx.length > D.page_rows, frag = document.createDocumentFragment();
    (cut ? idx.slice(0, D.page_rows) : idx).forEach(function (i) {
      var tr = el("tr");
      D.rows[i].forEach(function (v, j) {
        var linked = v != null && L[i] && LC.indexOf(j) >= 0;
        var td = el("td", v == null ? "missing" : (D.cols[j].num ? "num" : ""), linked ? null : show(v));
        if (linked) {  // a value opens its passage (the viewer page, its quote marked)
          var a = el("a", "plans-passage", show(v)); a.title = "原文出处 open the passage"; a.style.color = "inherit";
          a.href = D.lfiles[L[i][0]] + "#q-" + L[i][1] + "-" + L[i][2]; td.appendChild(a);
        }
        td.style.cssText = "border:1px solid #ddd;padding:3px 6px;vertical-align:top;" +
          (D.cols[j].num ? "text-align:right;font-variant-numeric:tabular-nums" : "text-align:left") +
          (v == null ? ";color:#999" : "") + (typeof v === "string" && v.length > 60 ? ";max-width:36em;font-size:12px;color:#444" : "");
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    tbody.textContent = ""; tbody.appendChild(frag);
    count.textContent = idx.length + " / " + D.rows.length + " 行 rows" +
      (cut ? "，显示前 " + D.page_rows + " 行 showing the first " + D.page_rows + "（CSV 含全部 " + idx.length + " 行 holds all）" : "");
    more.style.display = cut ? "" : "none";
    return idx;
  }
  input.addEventListener("input", function () { filter = input.value; draw(); });
  more.addEventListener("click", function () { showAll = true; draw(); });
  csv.addEventListener("click", function () {
    var lines = [D.cols.map(function (c) { return c.label; })].concat(matching().map(function (i) { return D.rows[i]; }));
    var text = "\ufeff" + lines.map(function (l) { return l.map(function (v) {
      var s = v == null ? "" : String(v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }).join(","); }).join("\r\n") + "\r\n";
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" })); a.download = D.csv;
    document.body.appendChild(a); a.click(); a.remove();
  });
  draw();
}, 0);"""
