"""What ``plans report`` writes besides the notebooks: the data behind the reports and the index page.

- :func:`export_data`: ``figures/data/targets.{csv,parquet}`` and a README documenting every column.
- :func:`write_index`: ``figures/index.html``: the topic reports, one line per indicator page (how
  many documents state it), the city explorer, build date and data version.
"""

from __future__ import annotations

import hashlib
import html
import subprocess
from pathlib import Path

from analysis import columns, config

TARGET_COLUMNS = columns.descriptions("targets")  # from the column contract


def export_data(db_path: Path, out_dir: Path, bundle: bool = True) -> tuple[list[Path], str]:
    """figures/data/targets.{csv,parquet} + README.md; returns (files, data version).

    ``bundle=False``: only the CSV and Parquet (and the version); :func:`write_data_bundle` writes the rest
    (README, licences, the workbook: a minute of CPU at 3,300 documents) beside the notebooks.
    """
    from analysis.warehouse.db import connect

    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    con = connect(db_path)
    try:
        from analysis.align import export_targets  # the one export of `targets` (columns and order from the contract)

        csv, parquet = export_targets(con, data_dir)
        cols = columns.column_names("targets")
        docs = con.execute("SELECT * FROM documents ORDER BY doc_id").df()
    finally:
        con.close()
    raw_sha = hashlib.sha256("\n".join(f"{d} {s}" for d, s in zip(docs["doc_id"], docs["sha256"])).encode()).hexdigest()
    targets_sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    version = f"raw {raw_sha[:12]} · targets {targets_sha[:12]}"
    if not bundle:
        return [csv, parquet], version
    from analysis.publish.bundle import write_bundle  # README with how-to-cite, LICENSE, TERMS.md, targets.xlsx

    return [csv, parquet, *write_bundle(db_path, data_dir, data_readme(cols, docs), version)], version


def write_data_bundle(db_path: Path, out_dir: Path, version: str) -> list[Path]:
    """figures/data/README.md (how to cite), LICENSE, TERMS.md and targets.xlsx for data ``version``."""
    from analysis.publish.bundle import write_bundle
    from analysis.warehouse.db import connect

    con = connect(db_path)
    try:
        docs = con.execute("SELECT * FROM documents ORDER BY doc_id").df()
    finally:
        con.close()
    return write_bundle(db_path, out_dir / "data", data_readme(columns.column_names("targets"), docs), version)


def data_readme(cols: list[str], docs) -> str:
    def cell(v) -> str:
        return "" if v is None or v != v else str(v).replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Data behind the reports · 报告所用数据",
        "",
        "`targets.csv` and `targets.parquet` hold the aligned `targets` mart of `data/processed/plans.duckdb`:",
        "one row per document × statement (a value stated in the indicator table and again in prose appears",
        "twice; `preferred` marks the row the charts use). Historical observations (e.g. each year of a 低保",
        "standards table) are rows with a baseline year and value and no target. Both files are regenerated",
        "by `make report` (`plans report`) and are not committed; this README is.",
        "",
        "Percentages are numbers of percent (60 means 60 %). Rural 低保 standards are often stated per year",
        "(元/人/年) and urban ones per month (元/人/月): the reports divide rural annual values by 12 to compare.",
        "",
        "## Columns",
        "",
        "| column | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{c}` | {TARGET_COLUMNS.get(c, 'see docs/architecture.md')} |" for c in cols]
    lines += ["", "## Sources", "", "| doc_id | city | kind | title | document number | issuer | issued |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for d in docs.itertuples(index=False):
        lines.append(f"| `{d.doc_id}` | {cell(d.city_label)} | {cell(d.kind)} | {cell(d.title)} | "
                     f"{cell(d.doc_number)} | {cell(d.issuer)} | {cell(d.issued_date)} |")
    lines += ["", "## How to cite", "",
              "Cite the original document (title, issuer, document number and date above) for any value, and",
              "this suite for the extraction and alignment, with the data version printed on `figures/index.html`:",
              "",
              "> 民政事业“十四五”规划比较 (minzheng-plans), targets extracted from the plan documents listed",
              "> above; data version <raw … · targets …>, built <date>.",
              "",
              "Every row carries the exact `quote` and its offsets (`raw_start`, `raw_end`) in the raw file, so a",
              "value can be checked against its source sentence or table row.", ""]
    return "\n".join(lines)


def git_revision() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=config.ROOT, capture_output=True,
                             text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _rows(built, with_counts: bool) -> str:
    out = []
    for b in built:
        png = " ".join(f'<a href="charts/{html.escape(p.name)}">PNG {i}</a>' for i, p in enumerate(b.charts, 1))
        extra = (f"<td class=num>{b.n_docs:,}</td><td class=num>{b.share_pct:.0f} %</td>" if with_counts else "")
        state = ('<span class="plans-reused" title="输入未变，沿用上次的页面 inputs unchanged, page reused">沿用 reused</span>'
                 if getattr(b, "reused", False) else '<span class="plans-rebuilt">重建 rebuilt</span>')
        out.append(f'<tr><td><a href="{html.escape(b.html_path.name)}">{html.escape(b.title)}</a> {state}</td>{extra}'
                   f"<td class=num>{b.size / 1e6:,.1f} MB</td><td>{png}</td></tr>")
    return "\n".join(out)


def rebuild_summary(built: list) -> str:
    """One bilingual line: how many pages this report executed and how many it reused, naming the executed."""
    rebuilt = [b for b in built if not getattr(b, "reused", False)]
    names = ", ".join(html.escape(b.html_path.name) for b in rebuilt[:20]) + (" …" if len(rebuilt) > 20 else "")
    return (f'<p class="meta plans-rebuild">本次重建 Rebuilt: {len(rebuilt)} 页 pages'
            f"{' (' + names + ')' if rebuilt else ''} · 沿用 Reused (输入未变 inputs unchanged): "
            f"{len(built) - len(rebuilt)} 页 pages</p>")


def write_index(built: list, out_dir: Path, *, built_at: str, version: str, revision: str,
                data_files: list[Path]) -> Path:
    """figures/index.html: topic reports, the city explorer, every indicator page (by domain)."""
    topics = [b for b in built if b.group == "topic"]
    explorers = [b for b in built if b.group in ("explorer", "city")]
    indicators = sorted((b for b in built if b.group == "indicator"), key=lambda b: (b.domain, -b.n_docs, b.name))
    ind_rows, domain = [], None
    for b in indicators:
        if b.domain != domain:
            domain = b.domain
            ind_rows.append(f'<tr class="domain"><th colspan=5>{html.escape(b.domain or "其他 other")}</th></tr>')
        ind_rows.append(_rows([b], True))
    data = " · ".join(f'<a href="data/{html.escape(p.name)}">{html.escape(p.name)}</a>' for p in data_files)
    head = "<thead><tr><th>报告 Report</th>{extra}<th>大小 Size</th><th>静态图 Static</th></tr></thead>"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>民政事业“十四五”规划比较 · Reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 6px; text-align: left; }}
tr.domain th {{ background: #f3f5f9; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }} .meta {{ color: #555; font-size: 14px; }}
.plans-reused, .plans-rebuilt {{ font-size: 12px; color: #777; }} .plans-rebuilt {{ color: #1a7f37; }}
</style></head>
<body>
<h1>民政事业“十四五”规划比较<br><small>Comparing cities' civil-affairs 14th Five-Year Plans</small></h1>
<p class="meta">构建时间 Built: {html.escape(built_at)} · 数据版本 Data version: {html.escape(version)}
 · 代码 Code: {html.escape(revision)}</p>
<p class="meta">数据 Data: {data}. 每个数值均附原文引文 Every value carries its source quote.</p>
{rebuild_summary(built)}
<h2 id="topics">专题报告 Topic reports</h2>
<table class="plans-index">{head.format(extra="")}<tbody>
{_rows(topics, False)}
</tbody></table>
<h2 id="cities">城市 Cities</h2>
<table class="plans-index">{head.format(extra="")}<tbody>
{_rows(explorers, False)}
</tbody></table>
<h2 id="indicators">指标 Indicators ({len(indicators)})</h2>
<p class="meta">每个至少两份文件提及的指标一页 One page per indicator that two or more documents state.</p>
<table class="plans-index plans-indicators">{head.format(extra="<th>文件数 documents</th><th>比例 share</th>")}<tbody>
{chr(10).join(ind_rows)}
</tbody></table>
</body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
