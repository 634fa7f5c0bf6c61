"""Charts of aggregates: what a topic page draws when one row per city would not fit (national scale).

Each factory takes a reshaped frame from :mod:`analysis.publish.views` (``coverage_share``,
``distribution``, ``top_counts`` …), never one row per document, so a figure's size depends on the
number of indicators, provinces or bins, not on the corpus. Same theme as :mod:`charts`: CJK font,
bilingual titles, a source line; document text escaped.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analysis.publish import offline
from analysis.publish.format import esc_text, fmt, is_missing
from analysis.publish.theme import BENCHMARK_COLOR, PALETTE, finish, hover, register_plotly_template

offline.setup_plotly()
register_plotly_template()

MAX_ROWS = 30  # rows of a category axis (the chart stays under ~1,200 px)


def share_heatmap_chart(share, *, title_zh: str, title_en: str, source: str, row_col: str = "indicator_zh",
                        col_col: str = "group", value_col: str = "share_pct"):
    """Rows (indicators) × columns (provinces): the share of the column's documents stating the row.

    A cell where no document of the group states the indicator is 0 % (stated by none), not missing:
    the group's documents were all read. Hover gives the counts.
    """
    rows = list(dict.fromkeys(share[row_col].astype(str)))[:MAX_ROWS * 2]
    cols = sorted(dict.fromkeys(share[col_col].astype(str)), key=lambda c: (c.startswith("未知"), c))
    cell = {(str(getattr(r, row_col)), str(getattr(r, col_col))): r for r in share.itertuples(index=False)}
    z, text = [], []
    for row in rows:
        zr, tr = [], []
        for col in cols:
            r = cell.get((row, col))
            zr.append(None if r is None else round(float(getattr(r, value_col)), 1))
            tr.append(hover(f"<b>{esc_text(row)}</b>", esc_text(col), "—" if r is None else
                            f"{int(r.n_stating)} / {int(r.n_docs)} 份文件提及 documents state it ({fmt(r.share_pct, '%')})"))
        z.append(zr)
        text.append(tr)
    fig = go.Figure(go.Heatmap(z=z, x=[esc_text(c) for c in cols], y=[esc_text(r) for r in rows], text=text,
                               hovertemplate="%{text}", colorscale=[[0, "#f1f5fb"], [1, "#08306b"]], zmin=0, zmax=100,
                               xgap=1, ygap=1, colorbar=dict(title=dict(text="提及比例<br>share (%)"), thickness=12)))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False, tickangle=-60)
    return finish(fig, title_zh, title_en, source, height=min(1000, max(320, 18 * len(rows) + 200)))


def distribution_chart(dist, *, label_col: str, title_zh: str, title_en: str, source: str, unit: str | None = "%",
                       x_title: str | None = None, benchmarks: dict[str, float] | None = None):
    """One box per row of ``views.distribution`` (min, quartiles, median, max) with its document count.

    ``benchmarks``: {row label: value} drawn as a red mark on that row (e.g. the national target).
    """
    d = dist.head(MAX_ROWS)
    labels = [f"{esc_text(str(v))} ({int(n)})" for v, n in zip(d[label_col], d["n_docs"])]
    tips = [hover(f"<b>{esc_text(str(r[label_col]))}</b>", f"{int(r['n_docs'])} 份文件 documents",
                  f"中位数 median {fmt(r['median'], unit)}", f"四分位 quartiles {fmt(r['q1'], unit)} – {fmt(r['q3'], unit)}",
                  f"范围 range {fmt(r['min'], unit)} – {fmt(r['max'], unit)}") for _, r in d.iterrows()]
    fig = go.Figure(go.Box(
        y=labels, q1=d["q1"].tolist(), median=d["median"].tolist(), q3=d["q3"].tolist(),
        lowerfence=d["min"].tolist(), upperfence=d["max"].tolist(), orientation="h", name="分布 distribution",
        marker_color=PALETTE[0], fillcolor="#e8eef7", hoverinfo="skip", showlegend=False))
    fig.add_scatter(x=d["median"].tolist(), y=labels, mode="markers", marker=dict(size=7, color=PALETTE[0]),
                    hovertext=tips, hovertemplate="%{hovertext}", showlegend=False)
    marks = [(lab, benchmarks[str(v)]) for lab, v in zip(labels, d[label_col]) if benchmarks and str(v) in benchmarks]
    if marks:
        fig.add_scatter(x=[m[1] for m in marks], y=[m[0] for m in marks], mode="markers", name="基准 benchmark",
                        marker=dict(symbol="line-ns-open", size=18, color=BENCHMARK_COLOR, line=dict(width=3)),
                        hovertemplate="基准 benchmark %{x}<extra></extra>")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title_text=x_title or (f"目标 target ({unit})" if unit else None),
                     ticksuffix="%" if unit == "%" else None)
    more = f" · 另有 {len(dist) - len(d)} 行见表 {len(dist) - len(d)} more rows in the table" if len(dist) > len(d) else ""
    return finish(fig, title_zh, title_en, source + " · 括号内为文件数 (documents)" + more,
                  height=max(300, 30 * len(d) + 160))


def histogram_chart(df, *, value: str, title_zh: str, title_en: str, source: str, unit: str | None = None,
                    x_title: str | None = None, benchmark: float | None = None, benchmark_label: str | None = None,
                    nbins: int = 40):
    """How many documents fall in each bin of ``value`` (one bar per bin, never one per city)."""
    vals = [round(float(v), 3) for v in df[value].dropna()]
    fig = go.Figure(go.Histogram(x=vals, nbinsx=nbins, marker_color=PALETTE[0], name="文件数 documents",
                                 hovertemplate="%{x}: %{y} 份文件 documents<extra></extra>", showlegend=False))
    if benchmark is not None and not is_missing(benchmark):
        fig.add_vline(x=float(benchmark), line=dict(color=BENCHMARK_COLOR, dash="dash", width=2),
                      annotation_text=esc_text(benchmark_label or f"基准 benchmark {fmt(benchmark, unit)}"),
                      annotation_font_color=BENCHMARK_COLOR)
    fig.update_xaxes(title_text=x_title, ticksuffix="%" if unit == "%" else None)
    fig.update_yaxes(title_text="文件数 documents")
    return finish(fig, title_zh, title_en, source + f" · {len(vals):,} 份文件 documents", height=380)
