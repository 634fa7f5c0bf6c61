"""Escaped HTML tables and generated prose for the notebooks.

nbconvert's sanitizer is off in the reports (it would strip the chart scripts), so every value
from a document is escaped here with ``html.escape``; Markdown built from data escapes its
interpolated values with :func:`md_escape`. Missing values print as "—", never as 0.
"""

from __future__ import annotations

import html
import json
import numbers
import re
import uuid
from collections.abc import Mapping, Sequence

from IPython.display import HTML, Markdown

from analysis.publish.datatable import data_table  # noqa: F401  (the page's one data table, re-exported)
from analysis.publish.format import fmt, is_missing, is_year_column, label, label_fields

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(value) -> str:
    """A data value for Markdown prose: HTML-escaped and Markdown-inert; missing → "—"."""
    if is_missing(value):
        return "—"
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=True))


def md(template: str, **values) -> Markdown:
    """Markdown prose with data values escaped: ``md("{n} 个城市 cities", n=5)``.

    Numbers are formatted as given (pass strings to control digits); text is escaped.
    """
    safe = {k: (v if isinstance(v, numbers.Number) and not isinstance(v, bool) else md_escape(v))
            for k, v in values.items()}
    return Markdown(template.format(**safe))


# inline styles: they also apply in JupyterLab, and beat the lab theme's right-aligned cells
_TD = "border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left"
_NUM = _TD.replace("text-align:left", "text-align:right") + ";font-variant-numeric:tabular-nums"
_TH = _TD + ";background:#f6f6f6"
_QUOTE = _TD + ";max-width:36em;font-size:12px;color:#444"
_MISSING = _TD + ";color:#999"
_CODED = frozenset(label_fields())


# the cells that link to their passage when the frame has doc_id, start and end (the values and their words)
LINKED_COLUMNS = frozenset({"target_value", "baseline_value", "value", "quote", "excerpt", "target_text"})
_LINK = ' class="plans-passage" title="原文出处 open the passage" style="color:inherit"'


def _linked(text: str, href: str | None) -> str:
    """Escaped text, inside a link to its passage when there is one (the href is escaped too)."""
    return f'<a href="{html.escape(href, quote=True)}"{_LINK}>{text}</a>' if href else text


def _cell(value, col: str, numeric: bool, digits: int, href: str | None = None) -> str:
    if is_missing(value) or (isinstance(value, str) and value == ""):
        return f'<td class="missing" style="{_MISSING}">—</td>'
    if numeric and isinstance(value, numbers.Number) and not isinstance(value, bool):
        v = float(value)  # only a real year column prints as a bare integer (not "pp_per_year_needed")
        text = str(int(v)) if is_year_column(col) and v.is_integer() else fmt(v, None, digits)
        return f'<td class="num" style="{_NUM}">{_linked(html.escape(text), href)}</td>'
    if col in _CODED:
        value = label(col, value)  # never an internal code: "county" → "县级 county"
    style = _QUOTE if col in ("quote", "excerpt", "message", "target_text") else _TD
    return f'<td style="{style}">{_linked(html.escape(str(value)), href)}</td>'


OFFSETS = ("doc_id", "start", "end")


def row_links(df, link: bool | None = None, prefix: str = "", offsets: Sequence[str] = OFFSETS
              ) -> list[str | None] | None:
    """The passage link of every row (``passages/<doc>.html#q-<start>-<end>``), or None when not linking.

    ``link=None`` links when the frame has the ``offsets`` columns (doc_id, start, end: every query that
    shows a value returns them); ``prefix`` is the path from the page to ``figures/``.
    """
    have = all(c in df.columns for c in offsets)
    if link is False or not have:
        if link:
            raise KeyError(f"table: link=True needs the columns {', '.join(offsets)} (the quote's offsets)")
        return None
    from analysis.publish.passages import passage_links

    return passage_links(df.rename(columns=dict(zip(offsets, OFFSETS)))[list(OFFSETS)], prefix)


def table_html(df, columns: Mapping[str, str] | Sequence[str] | None = None, *, caption: str | None = None,
               digits: int = 2, table_id: str | None = None, max_rows: int | None = None,
               link: bool | None = None, link_prefix: str = "",
               passages: Mapping[str, Sequence[str]] | None = None) -> str:
    """An escaped HTML table. ``columns`` maps column → header (bilingual), in display order.

    When the frame has doc_id, start and end, the value and quote cells (:data:`LINKED_COLUMNS`) link to
    the passage viewer with the quote highlighted (``link=False``: never; ``link=True``: required).
    ``passages`` names other offsets for some cells: ``{"old_target_value": ("old_doc_id", "old_start",
    "old_end")}`` (a row comparing two documents links each value to its own passage).
    """
    if columns is None:
        columns = {c: c for c in df.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: c for c in columns}
    cols = [c for c in columns if c in df.columns]
    numeric = {c: str(df[c].dtype).lower().startswith(("int", "float", "uint")) for c in cols}
    head = "".join(f'<th style="{_TH}">{html.escape(columns[c])}</th>' for c in cols)
    body = []
    rows = df if max_rows is None else df.head(max_rows)
    none = [None] * len(rows)
    default = row_links(rows, link, link_prefix) or none
    own = {c: row_links(rows, link is not False and None, link_prefix, offs) or none
           for c, offs in (passages or {}).items() if c in cols}
    per_col = [own[c] if c in own else default if c in LINKED_COLUMNS else none for c in cols]
    for i, rec in enumerate(rows[cols].itertuples(index=False, name=None)):
        body.append("<tr>" + "".join(_cell(v, c, numeric[c], digits, links[i])
                                     for v, c, links in zip(rec, cols, per_col)) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    tid = f' id="{html.escape(table_id)}"' if table_id else ""
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f'<p class="plans-source">… {len(df) - max_rows} 行未显示 more rows not shown</p>'
    return (f'<div style="overflow-x:auto;max-width:100%"><table class="plans-table" '
            f'style="border-collapse:collapse;font-size:13px"{tid}>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{more}')


def table(df, columns=None, *, caption: str | None = None, digits: int = 2, max_rows: int | None = None,
          link: bool | None = None, passages: Mapping[str, Sequence[str]] | None = None) -> HTML:
    return HTML(table_html(df, columns, caption=caption, digits=digits, max_rows=max_rows, link=link,
                           passages=passages))


_FILTER_JS = """<script>
(function () {
  var box = document.getElementById('%(box)s');
  var table = document.getElementById('%(table)s');
  var count = document.getElementById('%(count)s');
  if (!box || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var t2s = %(t2s)s;  // traditional → simplified for the characters in this table
  function simplify(text) {
    return Array.prototype.map.call(text, function (ch) { return t2s[ch] || ch; }).join('');
  }
  function apply() {
    var terms = simplify(box.value).toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (tr) {
      var text = tr.textContent.toLowerCase();
      var ok = terms.every(function (t) { return text.indexOf(t) !== -1; });
      tr.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    count.textContent = shown + ' / ' + rows.length;
  }
  box.addEventListener('input', apply);
  apply();
})();
</script>"""


def traditional_map(text: str) -> dict[str, str]:
    """{traditional: simplified} for every simplified character of ``text`` that has a traditional form,
    so a filter box matches what a reader types in either script (養老 finds 养老)."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    out: dict[str, str] = {}
    for ch in sorted({c for c in text if "\u3400" <= c <= "\u9fff"}):
        trad = s2t.convert(ch)
        if len(trad) == 1 and trad != ch:
            out[trad] = ch
    return out


def searchable_table(df, columns=None, *, caption: str | None = None, digits: int = 2,
                     placeholder: str = "筛选 filter: 城市 city, 指标 indicator …", link: bool | None = None) -> HTML:
    """An escaped table with a small inline filter box (no external script; works offline).

    The filter matches traditional and simplified characters alike (:func:`traditional_map`).
    """
    uid = uuid.uuid4().hex[:8]
    ids = {"box": f"plans-filter-{uid}", "table": f"plans-table-{uid}", "count": f"plans-count-{uid}"}
    shown = df[[c for c in (columns or df.columns) if c in df.columns]]
    ids["t2s"] = json.dumps(traditional_map("".join(str(v) for v in shown.to_numpy().ravel())),
                            ensure_ascii=True)  # ASCII escapes: nothing in it can close the script
    box = (f'<input type="search" class="plans-filter" id="{ids["box"]}" '
           f'placeholder="{html.escape(placeholder)}" aria-label="filter rows"> '
           f'<span class="plans-source" id="{ids["count"]}"></span>')
    return HTML(box + table_html(df, columns, caption=caption, digits=digits, table_id=ids["table"], link=link)
                + _FILTER_JS % ids)


