"""The one chart theme: CJK fonts, colours, bilingual titles, source lines, legends that keep clear of titles.

Constants and helpers only; :func:`register_plotly_template` is the single place that changes
plotly's global template (``charts`` calls it on import).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

from analysis.publish.format import esc_text, is_missing

FONT = "Noto Sans CJK SC"
FONT_STACK = f'"{FONT}", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PALETTE = ["#3360a9", "#c15065", "#18470f", "#e56e5a", "#6d3e91", "#286bbb", "#883039", "#b16214",
           "#00847e", "#4c6a9c"]
BASELINE_COLOR = "#9a9a9a"
BENCHMARK_COLOR = "#c15065"
MILESTONE_COLOR = "#6d6d6d"
SOURCE_PREFIX = "来源 Source: "
LEGEND_WIDTH_PX = 900  # the width a horizontal legend can use before it wraps


def register_plotly_template() -> None:
    import plotly.graph_objects as go
    import plotly.io as pio

    pio.templates["plans"] = go.layout.Template(layout=dict(
        font=dict(family=FONT_STACK, size=13, color="#333"),
        colorway=PALETTE,
        paper_bgcolor="white", plot_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT_STACK, size=12), align="left"),
        xaxis=dict(gridcolor="#eee", zeroline=False, linecolor="#bbb"),
        yaxis=dict(gridcolor="#eee", zeroline=False, linecolor="#bbb"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
    ))
    pio.templates.default = "plotly_white+plans"


def title_html(zh: str, en: str) -> str:
    return f"<b>{esc_text(zh)}</b><br><span style='font-size:13px;color:#555'>{esc_text(en)}</span>"


MAX_SOURCES_NAMED = 8  # a source line names at most this many documents, then counts the rest


def source_text(documents: Iterable[str]) -> str:
    """``来源 Source: a; b`` from document descriptions (city label + title), de-duplicated in order."""
    seen = list(dict.fromkeys(d for d in documents if d))
    if len(seen) > MAX_SOURCES_NAMED:  # at national scale a line naming every document would be the tallest thing on the page
        return (SOURCE_PREFIX + "; ".join(seen[:MAX_SOURCES_NAMED - 2])
                + f" … 共 {len(seen):,} 份文件 {len(seen):,} documents in all (见数据表 see the table)")
    return SOURCE_PREFIX + ("; ".join(seen) if seen else "—")


def document_label(city_label: str, title=None, kind=None) -> str:
    """How a source line names one document: ``晋中市《晋中市“十四五”民政事业发展规划》``."""
    if not is_missing(title) and title:
        return f"{city_label}《{title}》"
    kinds = {"excerpt": "规划节选 plan excerpt", "news": "新闻报道 news report", "plan": "规划 plan"}
    return f"{city_label} ({kinds.get(kind, kind or 'document')})"


def source_for(corpus, doc_ids: Iterable[str]) -> str:
    """The source line for the documents behind a chart, from ``corpus_overview`` rows."""
    wanted = list(dict.fromkeys(str(d) for d in doc_ids))
    by_id = {r.doc_id: r for r in corpus.itertuples(index=False)}
    return source_text(document_label(by_id[d].city_label, getattr(by_id[d], "title", None),
                                      getattr(by_id[d], "kind", None)) for d in wanted if d in by_id)


def text_width_px(text: str, size: int = 13) -> int:
    """Rough rendered width: CJK glyphs are a full em, other characters about half."""
    return sum(size if ord(ch) > 0x2E80 else size // 2 + 1 for ch in str(text))


def legend_rows(names: Iterable[str], width: int = LEGEND_WIDTH_PX) -> int:
    """How many rows a horizontal legend of these entries takes (symbol + gap ≈ 50 px per entry)."""
    total = sum(text_width_px(n) + 50 for n in names if n)
    return max(1, math.ceil(total / width))


def finish(fig, zh: str, en: str, source: str, height: int, bottom: int = 90, legend_rows: int | None = None,
           headroom: int = 0):
    """Title (Chinese first, English below), a source line under the plot, and room for the legend.

    The legend sits between title and plot; the top margin grows by one line per legend row, so a
    long legend never overlaps the title. ``headroom``: pixels above the plot that something else
    needs (subplot titles); the legend is then pinned under the title, above that room.
    """
    if legend_rows is None:
        legend_rows = globals()["legend_rows"](t.name for t in fig.data if t.showlegend is not False and t.name)
    wrapped = "<br>".join(esc_text(line) for line in textwrap.wrap(source, 75))  # CJK glyphs are wide
    n_lines = wrapped.count("<br>") + 1
    extra = 24 * (legend_rows - 1) + headroom
    total = height + 14 * n_lines + extra
    fig.update_layout(
        title=dict(text=title_html(zh, en), x=0, xanchor="left", yref="container", y=1, yanchor="top",
                   pad=dict(t=20, l=4)),
        height=total,
        margin=dict(l=10, r=30, t=100 + extra, b=bottom + 14 * n_lines),
    )
    if headroom:  # 72 px: the two title lines and their padding
        fig.update_layout(legend=dict(yref="container", y=1 - 72 / total, yanchor="top"))
    fig.add_annotation(text=f"<span style='font-size:11px;color:#666'>{wrapped}</span>",
                       xref="paper", yref="paper", x=0, y=0, yshift=-(bottom - 20) - 14 * n_lines,
                       xanchor="left", yanchor="bottom", showarrow=False, align="left")
    return fig


def hover(*parts: str) -> str:
    return "<br>".join(p for p in parts if p) + "<extra></extra>"
