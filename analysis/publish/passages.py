"""From a value to its passage: one self-contained viewer page per document (`figures/passages/`).

`passage_link(doc_id, start, end)` is the relative URL (from a page in `figures/`) of a quote:
`passages/<doc_id>.html#q-<start>-<end>`, offsets into the cleaned text as in every `targets` row.
The viewer prints every passage of the document (its heading path and page above it) with all
document text escaped; a small script reads the fragment, finds the passage holding the quote and
wraps the quoted characters in `<mark>` (built with text nodes: document text never becomes markup),
then scrolls to it. Without the fragment (or without JavaScript) the page is the document's passages.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import quote

VIEWER_DIR = "passages"

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


def render_page(doc: dict, passages: list[dict]) -> str:
    """The viewer page of one document (all text escaped)."""
    url = _safe_url(doc.get("source_url"))
    meta = " · ".join(x for x in (
        _e(doc.get("issuer")), _e(doc.get("doc_number")), _e(doc.get("issued_date")),
        f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>' if url else _e(doc.get("source_url"))) if x)
    title = _e(doc.get("title")) or "(无标题 untitled)"
    body = []
    for p in passages:
        page = p.get("page")
        page = "" if page is None or page != page else str(int(page))
        path = p.get("heading_path") or ""
        label = _e(path) + (f" · 第{page}页 p. {page}" if page else "")
        body.append(
            f'<section class="passage kind-{_e(p["kind"])}" id="p-{int(p["passage_no"])}" data-start="{int(p["start"])}" '
            f'data-end="{int(p["end"])}" data-path="{_e(path)}" data-page="{page}">'
            f'<div class="path">{label}</div><div class="text">{_e(p["text"])}</div></section>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title} · 原文 passages</title>
<style>{STYLE}</style></head>
<body>
<header><p class="meta"><a href="../index.html">← 全部报告 all reports</a> · {_e(doc.get("city_label"))} · <code>{_e(doc.get("doc_id"))}</code></p>
<h1>{title}</h1><p class="meta">{meta}</p>
<p class="meta">清洗后的原文, 按段落 · the cleaned text, passage by passage (offsets as in targets.csv <code>start</code>/<code>end</code>)</p></header>
<div id="status"></div>
<main>
{chr(10).join(body)}
</main>
<script>{SCRIPT}</script>
</body></html>
"""


def write_passage_pages(db_path: Path, out_dir: Path) -> list[Path]:
    """One viewer page per document in `out_dir/passages/`; returns the files written."""
    from analysis.warehouse.db import connect

    dest = Path(out_dir) / VIEWER_DIR
    dest.mkdir(parents=True, exist_ok=True)
    con = connect(Path(db_path))
    try:
        con.execute("SET enable_progress_bar = false")
        has_page = "page" in {r[0] for r in con.execute("DESCRIBE passages").fetchall()}
        docs = con.execute("SELECT * EXCLUDE (text) FROM documents ORDER BY doc_id").df().to_dict("records")
        cols = f'doc_id, passage_no, kind, heading_path, start, "end", text{", page" if has_page else ""}'
        by_doc: dict[str, list[dict]] = {}
        for row in con.execute(f"SELECT {cols} FROM passages ORDER BY doc_id, passage_no").df().to_dict("records"):
            by_doc.setdefault(row["doc_id"], []).append(row)
    finally:
        con.close()
    written = []
    for d in docs:
        path = dest / page_name(d["doc_id"])
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(render_page(d, by_doc.get(d["doc_id"], [])), encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
