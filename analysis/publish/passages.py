"""From a value to its passage: one self-contained viewer page per document (`figures/passages/`).

`passage_link(doc_id, start, end)` is the relative URL (from a page in `figures/`) of a quote:
`passages/<doc_id>.html#q-<start>-<end>`, offsets into the cleaned text as in every `targets` row.
The viewer prints every passage of the document (its heading path and page above it) with all
document text escaped; a small script reads the fragment, finds the passage holding the quote and
wraps the quoted characters in `<mark>` (built with text nodes: document text never becomes markup),
then scrolls to it. Without the fragment (or without JavaScript) the page is the document's passages.

At national scale the whole cleaned text of every document would be most of the report folder (3,300
generated plans: 43 M characters, 188 MB of pages). When the corpus's passages hold more than
``FULL_TEXT_BUDGET`` characters, a page shows only the passages some value links to (a target, a quality or
alignment flag, a lineage row: every link any page makes), each with its heading path and page, and says how
many passages are left out between them; the full text stays in the database (`passages`, `documents.text`).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import quote

VIEWER_DIR = "passages"
FULL_TEXT_BUDGET = 20_000_000  # characters of passage text in the corpus above which pages show cited passages only
# the tables whose rows carry (doc_id, start, end) that a page links to a passage
LINKED_TABLES = ("targets", "raw_targets", "quality_flags", "align_flags", "plan_lineage")

SCRIPT = r"""
(function () {
  function show() {
    var m = /^#q-(\d+)-(\d+)$/.exec(window.location.hash);
    var old = document.querySelector("mark.quote");
    if (old) { var t = old.parentNode; t.textContent = t.textContent; t.closest("section").classList.remove("hit"); }
    if (!m) return;
    var s = +m[1], e = +m[2];
    var secs = document.querySelectorAll("section.passage");
    for (var i = 0; i < secs.length; i++) {
      var p = secs[i], ps = +p.dataset.start, pe = +p.dataset.end;
      if (s >= ps && s < pe) {
        var box = p.querySelector(".text"), chars = Array.from(box.textContent);  // offsets count code points
        var a = s - ps, b = Math.min(e, pe) - ps;
        var mark = document.createElement("mark");
        mark.className = "quote";
        mark.appendChild(document.createTextNode(chars.slice(a, b).join("")));
        box.textContent = "";
        box.appendChild(document.createTextNode(chars.slice(0, a).join("")));
        box.appendChild(mark);
        box.appendChild(document.createTextNode(chars.slice(b).join("")));
        p.classList.add("hit");
        document.getElementById("status").textContent =
          "引文位于 quote in: " + (p.dataset.path || "(无标题 no heading)") + (p.dataset.page ? " · 第" + p.dataset.page + "页 p. " + p.dataset.page : "");
        mark.scrollIntoView({block: "center"});
        return;
      }
    }
    document.getElementById("status").textContent = "未找到引文位置 / quote offsets not in this document";
  }
  window.addEventListener("hashchange", show);
  show();
})();
"""

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 900px; margin: 1.5em auto; padding: 0 1em; color: #222; line-height: 1.7; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1em; } .meta { color: #555; font-size: 14px; }
section.passage { margin: 0.6em 0; padding: 0.2em 0.6em; border-left: 3px solid transparent; }
section.hit { border-left-color: #d33; background: #fff8f0; }
section.kind-heading .text { font-weight: bold; } section.kind-toc { color: #888; font-size: 13px; }
.path { color: #777; font-size: 12px; } .text { white-space: pre-wrap; }
.gap { color: #999; font-size: 12px; margin: 0.3em 0 0.3em 0.6em; }
mark.quote { background: #ffe066; padding: 0 1px; } #status { position: sticky; top: 0; background: #fff;
 color: #a33; font-size: 14px; padding: 4px 0; }
"""


def page_name(doc_id: str) -> str:
    """A file name for a doc_id (unsafe characters replaced; the doc_id itself is never trusted as a path)."""
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff._-]", "_", str(doc_id)).lstrip(".") + ".html"


def passage_link(doc_id: str, start: int, end: int) -> str:
    """Relative URL (from figures/) of the viewer page with the quote [start, end) highlighted."""
    return f"{VIEWER_DIR}/{quote(page_name(doc_id))}#q-{int(start)}-{int(end)}"


def page_files(doc_ids) -> dict[str, str]:
    """{doc_id: viewer file name (URL-quoted)} for the documents whose file is not simply `<doc_id>.html`:
    a client building links from doc_id and offsets (the indicator pages, the explorer) looks them up."""
    out = {}
    for d in dict.fromkeys(str(x) for x in doc_ids):
        f = quote(page_name(d))
        if f != f"{d}.html":
            out[d] = f
    return out


def passage_links(df, prefix: str = "") -> list[str | None]:
    """`passage_link` for every row of a frame with doc_id, start and end (None where offsets are missing);
    `prefix` is the path from the page that shows them to figures/ (e.g. "../")."""
    import pandas as pd

    out = []
    for d, s, e in zip(df["doc_id"], df["start"], df["end"]):
        ok = not any(pd.isna(v) for v in (d, s, e))
        out.append(prefix + passage_link(d, int(s), int(e)) if ok else None)
    return out


def _e(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else html.escape(str(v), quote=True)


def _safe_url(url) -> str | None:
    u = "" if url is None else str(url).strip()
    return u if re.match(r"^https?://[^\s\"'<>]+$", u) else None


def render_page(doc: dict, passages: list[dict], total: int | None = None) -> str:
    """The viewer page of one document (all text escaped). ``total``: how many passages the document has when
    ``passages`` holds only the cited ones (their ``passage_no`` tell where passages were left out)."""
    url = _safe_url(doc.get("source_url"))
    meta = " · ".join(x for x in (
        _e(doc.get("issuer")), _e(doc.get("doc_number")), _e(doc.get("issued_date")),
        f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>' if url else _e(doc.get("source_url"))) if x)
    title = _e(doc.get("title")) or "(无标题 untitled)"
    body, prev = [], -1
    cited = total is not None and total > len(passages)
    for p in passages:
        no = int(p["passage_no"])
        if cited and no > prev + 1:
            body.append(f'<p class="gap">… 未引用的 {no - prev - 1} 段 · {no - prev - 1} passages not quoted …</p>')
        prev = no
        page = p.get("page")
        page = "" if page is None or page != page else str(int(page))
        path = p.get("heading_path") or ""
        label = _e(path) + (f" · 第{page}页 p. {page}" if page else "")
        body.append(
            f'<section class="passage kind-{_e(p["kind"])}" id="p-{int(p["passage_no"])}" data-start="{int(p["start"])}" '
            f'data-end="{int(p["end"])}" data-path="{_e(path)}" data-page="{page}">'
            f'<div class="path">{label}</div><div class="text">{_e(p["text"])}</div></section>')
    if cited and total > prev + 1:
        body.append(f'<p class="gap">… 未引用的 {total - prev - 1} 段 · {total - prev - 1} passages not quoted …</p>')
    scope = (f"被引用的段落 ({len(passages)} / {total} 段; 全文见数据库 passages 表) · the {len(passages)} of {total} "
             "passages a value quotes (the full cleaned text is in the database, table passages)" if cited else
             "清洗后的原文, 按段落 · the cleaned text, passage by passage")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title} · 原文 passages</title>
<style>{STYLE}</style></head>
<body>
<header><p class="meta"><a href="../index.html">← 全部报告 all reports</a> · {_e(doc.get("city_label"))} · <code>{_e(doc.get("doc_id"))}</code></p>
<h1>{title}</h1><p class="meta">{meta}</p>
<p class="meta">{scope} (offsets as in targets.csv <code>start</code>/<code>end</code>)</p></header>
<div id="status"></div>
<main>
{chr(10).join(body)}
</main>
<script>{SCRIPT}</script>
</body></html>
"""


def _cited_filter(con) -> str:
    """SQL over passages p: true when a row of a linked table starts inside p (or the corpus is small)."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'start' AND table_schema = 'main'"
    ).fetchall()}
    links = [f'SELECT doc_id, start FROM {t} WHERE start IS NOT NULL' for t in LINKED_TABLES if t in tables]
    if not links:
        return "true"
    return ("EXISTS (SELECT 1 FROM (" + " UNION ALL ".join(links) + ') l '
            'WHERE l.doc_id = p.doc_id AND l.start >= p.start AND l.start < p."end")')


def write_passage_pages(db_path: Path, out_dir: Path, budget: int = FULL_TEXT_BUDGET) -> list[Path]:
    """One viewer page per document in `out_dir/passages/`; returns the files written. Above ``budget``
    characters of passage text in the corpus, each page holds only the passages a value links to."""
    from analysis.warehouse.db import connect

    dest = Path(out_dir) / VIEWER_DIR
    dest.mkdir(parents=True, exist_ok=True)
    con = connect(Path(db_path))
    try:
        con.execute("SET enable_progress_bar = false")
        has_page = "page" in {r[0] for r in con.execute("DESCRIBE passages").fetchall()}
        docs = con.execute("SELECT * EXCLUDE (text) FROM documents ORDER BY doc_id").df().to_dict("records")
        chars = con.execute("SELECT coalesce(sum(length(text)), 0) FROM passages").fetchone()[0]
        cited = chars > budget
        totals = dict(con.execute("SELECT doc_id, count(*) FROM passages GROUP BY doc_id").fetchall()) if cited else {}
        cols = ", ".join(f"p.{c}" for c in ("doc_id", "passage_no", "kind", "heading_path", "start", '"end"', "text")) + \
            (", p.page" if has_page else "")
        where = _cited_filter(con) if cited else "true"
        by_doc: dict[str, list[dict]] = {}
        for row in con.execute(f"SELECT {cols} FROM passages p WHERE {where} ORDER BY p.doc_id, p.passage_no"
                               ).df().to_dict("records"):
            by_doc.setdefault(row["doc_id"], []).append(row)
    finally:
        con.close()
    written = []
    for d in docs:
        path = dest / page_name(d["doc_id"])
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(render_page(d, by_doc.get(d["doc_id"], []), totals.get(d["doc_id"]) if cited else None),
                       encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
