"""Chart factories sharing one theme: CJK font, bilingual titles (Chinese first), a source line.

plotly for charts readers explore (hover shows the quote behind every value), pyecharts for the
radar profiles. Notebooks call one ``*_chart`` function per chart and never style inline.

Every string that comes from a document is escaped here (``html.escape``): plotly renders a subset
of HTML in its text, echarts tooltips render HTML, and the reports keep nbconvert's sanitizer off.
Missing statements stay missing: a city that states nothing gets a "未提及 not stated" mark, never 0.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from analysis.publish import offline
from analysis.publish.format import (MISSING_TEXT, city_color, esc, esc_text, fmt, is_missing,  # noqa: F401
                                     label, wrap)

# pyecharts reads NOTEBOOK_TYPE at render time; set it before importing pyecharts.charts.
from pyecharts.globals import CurrentConfig, NotebookType  # noqa: E402

CurrentConfig.NOTEBOOK_TYPE = NotebookType.JUPYTER_LAB
CurrentConfig.ONLINE_HOST = ""  # never point at pyecharts' asset host; echarts is inlined

import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import plotly.io as pio  # noqa: E402
from pyecharts import options as opts  # noqa: E402
from pyecharts.charts import Bar, Radar  # noqa: E402
from pyecharts.commons.utils import JsCode, remove_key_with_none_value  # noqa: E402

FONT = "Noto Sans CJK SC"
FONT_STACK = f'"{FONT}", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PALETTE = ["#3360a9", "#c15065", "#18470f", "#e56e5a", "#6d3e91", "#286bbb", "#883039", "#b16214",
           "#00847e", "#4c6a9c"]
BASELINE_COLOR = "#9a9a9a"
BENCHMARK_COLOR = "#c15065"
SOURCE_PREFIX = "来源 Source: "

offline.setup_plotly()
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


# --------------------------------------------------------------------------- text helpers

_esc = esc_text


def title_html(zh: str, en: str) -> str:
    return f"<b>{_esc(zh)}</b><br><span style='font-size:13px;color:#555'>{_esc(en)}</span>"


def source_text(documents: Iterable[str]) -> str:
    """``来源 Source: a; b`` from document descriptions (city label + title), de-duplicated in order."""
    seen: list[str] = []
    for d in documents:
        if d and d not in seen:
            seen.append(d)
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


def _finish(fig: go.Figure, zh: str, en: str, source: str, height: int, bottom: int = 90,
            legend_rows: int = 1) -> go.Figure:
    wrapped = "<br>".join(_esc(line) for line in textwrap.wrap(source, 75))  # CJK glyphs are wide
    n_lines = wrapped.count("<br>") + 1
    fig.update_layout(
        title=dict(text=title_html(zh, en), x=0, xanchor="left", yref="container", y=1, yanchor="top",
                   pad=dict(t=20, l=4)),
        height=height + 14 * n_lines + 24 * (legend_rows - 1),
        margin=dict(l=10, r=30, t=100 + 24 * (legend_rows - 1), b=bottom + 14 * n_lines),
    )
    fig.add_annotation(text=f"<span style='font-size:11px;color:#666'>{wrapped}</span>",
                       xref="paper", yref="paper", x=0, y=0, yshift=-(bottom - 20) - 14 * n_lines,
                       xanchor="left", yanchor="bottom", showarrow=False, align="left")
    return fig


def _hover(*parts: str) -> str:
    return "<br>".join(p for p in parts if p) + "<extra></extra>"


# --------------------------------------------------------------------------- plotly charts


def coverage_heatmap_chart(coverage, source: str, *, title_zh="指标覆盖：哪个城市提到了哪个指标",
                           title_en="Indicator coverage: which city states which indicator"):
    """indicator × document heatmap of statement counts; cells without a statement stay empty."""
    cities = list(dict.fromkeys(coverage["city_label"].tolist()))
    inds = coverage.drop_duplicates("indicator_id")[["indicator_id", "indicator_zh", "indicator_en"]]
    ind_ids = inds["indicator_id"].tolist()
    y = [_esc(str(z)) for z in inds["indicator_zh"].tolist()]
    lookup = {(r.indicator_id, r.city_label): r for r in coverage.itertuples(index=False)}
    z, text = [], []
    for iid, (_, ind) in zip(ind_ids, inds.iterrows()):
        zr, tr = [], []
        for c in cities:
            r = lookup.get((iid, c))
            n = None if r is None or not bool(r.stated) else int(r.n_statements)
            zr.append(n)
            tr.append(_hover(f"<b>{esc(ind.indicator_zh)}</b>", esc(ind.indicator_en), esc(c),
                             f"{n} 条陈述 statements" if n else MISSING_TEXT))
        z.append(zr)
        text.append(tr)
    fig = go.Figure(go.Heatmap(
        z=z, x=[_esc(c) for c in cities], y=y, text=text, hovertemplate="%{text}",
        colorscale=[[0, "#c6dbef"], [1, "#08306b"]], xgap=2, ygap=2, zmin=1,
        colorbar=dict(title=dict(text="陈述数<br>statements"), thickness=12)))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_layout(plot_bgcolor="#f3f3f3")
    return _finish(fig, title_zh, title_en, source + " · 灰色 = 未提及 grey = not stated",
                   height=max(320, 24 * len(y) + 120))


def stacked_bar_chart(df, *, label_col: str, stack_col: str, value_col: str, stack_labels: dict[str, str],
                      title_zh: str, title_en: str, source: str, x_title: str = "数量 count"):
    """Horizontal stacked bars: one bar per label (city), stacked by category, in ``stack_labels`` order."""
    labels = list(dict.fromkeys(df[label_col].astype(str).tolist()))
    fig = go.Figure()
    for i, (key, name) in enumerate(stack_labels.items()):
        sub = df[df[stack_col].astype(str) == key].groupby(label_col, sort=False)[value_col].sum()
        if sub.empty:
            continue
        fig.add_bar(y=[_esc(c) for c in labels], x=[int(sub.get(c, 0)) for c in labels],
                    orientation="h", name=_esc(name), marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate="%{y}<br>" + _esc(name) + ": %{x}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=x_title)
    return _finish(fig, title_zh, title_en, source, height=max(300, 40 * len(labels) + 140))


def source_counts_chart(counts, source: str, *, title_zh="数值来自表格、正文还是人工校订",
                        title_en="Where the values come from: tables, prose, series or curation"):
    """Stacked bars per document: statements by source kind (curated values counted apart)."""
    df = counts.copy()
    df["kind"] = [("curated" if bool(c) else str(k)) for k, c in zip(df["source_kind"], df["curated"])]
    return stacked_bar_chart(df, label_col="city_label", stack_col="kind", value_col="n",
                             stack_labels={"table": "表格 table", "prose": "正文 prose",
                                           "series": "历史数据表 series", "curated": "人工校订 curated"},
                             title_zh=title_zh, title_en=title_en, source=source, x_title="陈述数 statements")


def dumbbell_chart(df, *, all_labels: Sequence[str], title_zh: str, title_en: str, source: str,
                   unit: str = "%", label_col: str = "city_label", benchmark: float | None = None,
                   benchmark_label: str | None = None, x_title: str | None = None):
    """Baseline → target per row (one row per city, or city × scope): grey dot, line, coloured dot.

    Rows of ``all_labels`` absent from ``df`` are drawn as "未提及 not stated", not as zero.
    Columns: ``label_col``, baseline_value, baseline_year, target_value, target_year, comparator,
    quote (optional: attribute, source_kind).
    """
    rows = {str(r[label_col]): r for _, r in df.iterrows()}
    labels = list(dict.fromkeys([*all_labels, *rows.keys()]))
    ylab = [_esc(s) for s in labels]
    fig = go.Figure()
    xs_all = [v for r in rows.values() for v in (r.get("baseline_value"), r.get("target_value"))
              if not is_missing(v)]
    for lab, y in zip(labels, ylab):
        r = rows.get(lab)
        if r is None:
            continue
        b, t = r.get("baseline_value"), r.get("target_value")
        if not is_missing(b) and not is_missing(t):
            fig.add_scatter(x=[b, t], y=[y, y], mode="lines", line=dict(color="#bbb", width=3),
                            hoverinfo="skip", showlegend=False)
    base = [(y, r) for lab, y in zip(labels, ylab) if (r := rows.get(lab)) is not None
            and not is_missing(r.get("baseline_value"))]
    targ = [(y, r) for lab, y in zip(labels, ylab) if (r := rows.get(lab)) is not None
            and not is_missing(r.get("target_value"))]

    def hover(r, which):
        year = r.get(f"{which}_year")
        val = fmt(r.get(f"{which}_value"), unit)
        comp = r.get("comparator") if which == "target" else None
        comp = "" if is_missing(comp) or comp in ("=", "qualitative") else _esc(str(comp)) + " "
        name = "基期 baseline" if which == "baseline" else "目标 target"
        yr = "" if is_missing(year) else f" ({int(year)})"
        meta = " · ".join(esc(r.get(k)) for k in ("attribute", "source_kind") if not is_missing(r.get(k)))
        return _hover(f"<b>{esc(r[label_col])}</b>", f"{name}{yr}: {comp}{val}", meta,
                      wrap(r.get("quote")))

    fig.add_scatter(x=[r["baseline_value"] for _, r in base], y=[y for y, _ in base], mode="markers",
                    marker=dict(color=BASELINE_COLOR, size=11), name="基期 baseline",
                    text=[hover(r, "baseline") for _, r in base], hovertemplate="%{text}")
    fig.add_scatter(x=[r["target_value"] for _, r in targ], y=[y for y, _ in targ],
                    mode="markers+text", marker=dict(color=PALETTE[0], size=13), name="目标 target",
                    text=[fmt(r["target_value"], unit) for _, r in targ], textposition="middle right",
                    hovertext=[hover(r, "target") for _, r in targ], hovertemplate="%{hovertext}")
    missing = [y for lab, y in zip(labels, ylab) if lab not in rows]
    if missing:
        x0 = min(xs_all) if xs_all else 0
        fig.add_scatter(x=[x0] * len(missing), y=missing, mode="text", text=[MISSING_TEXT] * len(missing),
                        textposition="middle right", textfont=dict(color="#999"), name=MISSING_TEXT,
                        hovertemplate="%{y}: " + MISSING_TEXT + "<extra></extra>")
    if benchmark is not None:
        fig.add_vline(x=benchmark, line=dict(color=BENCHMARK_COLOR, dash="dash", width=2))
        fig.add_annotation(x=benchmark, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=_esc(benchmark_label or f"基准 benchmark {fmt(benchmark, unit)}"),
                           font=dict(color=BENCHMARK_COLOR, size=11))
    fig.update_yaxes(categoryorder="array", categoryarray=ylab, autorange="reversed")
    fig.update_xaxes(title_text=x_title or (f"单位 unit: {unit}" if unit else None),
                     ticksuffix="%" if unit == "%" else None)
    return _finish(fig, title_zh, title_en, source, height=max(300, 48 * len(labels) + 150))


def bar_chart(df, *, x: str, all_labels: Sequence[str], title_zh: str, title_en: str, source: str,
              unit: str = "", label_col: str = "city_label", hover_cols: Sequence[str] = ("quote",),
              x_title: str | None = None):
    """Horizontal bars of one value per row; rows without a value say "未提及 not stated"."""
    vals = {str(r[label_col]): r for _, r in df.iterrows()}
    labels = list(dict.fromkeys([*all_labels, *vals.keys()]))
    have = [lab for lab in labels if lab in vals and not is_missing(vals[lab][x])]
    fig = go.Figure(go.Bar(
        y=[_esc(s) for s in have], x=[float(vals[s][x]) for s in have], orientation="h",
        marker_color=PALETTE[0], text=[fmt(vals[s][x], unit, 2) for s in have], textposition="outside",
        hovertext=[_hover(f"<b>{_esc(s)}</b>", fmt(vals[s][x], unit, 2),
                          *[wrap(vals[s].get(c)) for c in hover_cols]) for s in have],
        hovertemplate="%{hovertext}", showlegend=False))
    missing = [s for s in labels if s not in have]
    if missing:
        fig.add_scatter(x=[0] * len(missing), y=[_esc(s) for s in missing], mode="text",
                        text=[MISSING_TEXT] * len(missing), textposition="middle right",
                        textfont=dict(color="#999"), showlegend=False, hoverinfo="skip")
    fig.update_yaxes(categoryorder="array", categoryarray=[_esc(s) for s in labels],
                     autorange="reversed")
    fig.update_xaxes(title_text=x_title)
    return _finish(fig, title_zh, title_en, source, height=max(280, 44 * len(labels) + 140))


def series_chart(df, *, x: str, series: Sequence[tuple[str, str, str]], title_zh: str, title_en: str,
                 source: str, unit: str = "", label_col: str = "city_label", y_title: str | None = None,
                 targets: Sequence[dict] = (), note: str | None = None):
    """Lines over years, one per city × series. ``series`` = [(column, 名称 name, dash)].

    ``targets``: optional markers ``{"label", "x", "y", "hover"}`` (e.g. a 2025 target).
    """
    fig = go.Figure()
    cities = list(dict.fromkeys(df[label_col].tolist()))
    for ci, city in enumerate(cities):
        sub = df[df[label_col] == city].sort_values(x)
        for col, name, dash in series:
            s = sub[~sub[col].isna()]
            if s.empty:
                continue
            quotes = s["quote"].tolist() if "quote" in s.columns else [None] * len(s)
            fig.add_scatter(
                x=[int(v) for v in s[x]], y=[float(v) for v in s[col]], mode="lines+markers",
                name=f"{_esc(city)} · {_esc(name)}",
                line=dict(color=PALETTE[ci % len(PALETTE)], dash=dash, width=2.5),
                hovertext=[_hover(f"<b>{_esc(city)}</b>", f"{_esc(name)} {int(yr)}: {fmt(v, unit, 2)}",
                                  wrap(q)) for yr, v, q in zip(s[x], s[col], quotes)],
                hovertemplate="%{hovertext}")
    for t in targets:
        fig.add_scatter(x=[t["x"]], y=[t["y"]], mode="markers+text", text=[_esc(t["label"])],
                        textposition="top center", marker=dict(symbol="star", size=15, color=BENCHMARK_COLOR),
                        hovertext=[_hover(t.get("hover", ""))], hovertemplate="%{hovertext}", showlegend=False)
    fig.update_xaxes(dtick=1, tickformat="d", title_text="年份 year")
    fig.update_yaxes(title_text=y_title, ticksuffix="%" if unit == "%" else None)
    src = source + (f" · {note}" if note else "")
    names = [t.name or "" for t in fig.data if t.showlegend is not False]
    rows = sum(max(1, len(n) // 45) for n in names)  # ~90 characters of legend per row, ≥ 2 items a row
    return _finish(fig, title_zh, title_en, src, height=460, legend_rows=max(1, (rows + 1) // 2 + (rows > 2)))


def milestones_chart(df, *, title_zh: str, title_en: str, source: str, unit: str = "%",
                     label_col: str = "city_label", panel_col: str = "indicator_zh"):
    """Targets by target year (e.g. 2021/2022 milestones and 2025), one panel per indicator."""
    from plotly.subplots import make_subplots

    panels = list(dict.fromkeys(df[panel_col].tolist()))
    en = dict(zip(df[panel_col], df["indicator_en"])) if "indicator_en" in df.columns else {}
    fig = make_subplots(rows=1, cols=max(1, len(panels)), shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=[_esc(str(p)) + (f"<br><span style='font-size:11px'>{_esc(str(en[p]))}</span>"
                                                        if not is_missing(en.get(p)) else "") for p in panels])
    cities = list(dict.fromkeys(df[label_col].tolist()))
    in_legend: set[str] = set()
    years = [int(y) for y in df["target_year"].dropna()]
    x_range = [min(years, default=2021) - 0.5, max(years, default=2025) + 0.5]
    for pi, panel in enumerate(panels, start=1):
        for ci, city in enumerate(cities):
            s = df[(df[panel_col] == panel) & (df[label_col] == city) & ~df["target_value"].isna()]
            s = s.sort_values("target_year")
            if s.empty:
                continue
            fig.add_scatter(
                x=[int(v) for v in s["target_year"]], y=[float(v) for v in s["target_value"]],
                mode="lines+markers", name=_esc(city), legendgroup=city, showlegend=city not in in_legend,
                marker=dict(size=11, color=PALETTE[ci % len(PALETTE)]),
                line=dict(color=PALETTE[ci % len(PALETTE)], width=2),
                hovertext=[_hover(f"<b>{_esc(city)}</b>", f"{esc(panel)} {int(yr)}: "
                                  f"{esc(c) + ' ' if not is_missing(c) and c not in ('=',) else ''}{fmt(v, unit)}",
                                  wrap(q)) for yr, v, c, q in zip(s["target_year"], s["target_value"],
                                                                  s["comparator"], s["quote"])],
                hovertemplate="%{hovertext}", row=1, col=pi)
            in_legend.add(city)
        fig.update_xaxes(dtick=1, tickformat="d", range=x_range, row=1, col=pi)
    fig.update_layout(legend=dict(y=1.12))
    fig.update_yaxes(ticksuffix="%" if unit == "%" else None)
    return _finish(fig, title_zh, title_en, source, height=440)


# --------------------------------------------------------------------------- pyecharts charts


class EChart:
    """A pyecharts chart for notebooks: its HTML embeds echarts once per kernel (= per page)."""

    def __init__(self, chart):
        self.chart = chart

    def _repr_html_(self) -> str:
        return offline.echarts_once() + echarts_html(self.chart)


def echarts_html(chart) -> str:
    """The chart's ``<div>`` + ``<script>`` (JupyterLab template), safe against ``</script>`` in data."""
    dump = chart.dump_options
    chart.dump_options = lambda: offline.script_safe_json(dump())
    try:
        page = chart.render_notebook().__html__()
    finally:
        del chart.dump_options
    start, end = page.find("<body>"), page.rfind("</body>")
    return page[start + len("<body>"):end].strip() if start >= 0 and end > start else page


_TOOLTIP = JsCode("function (p) { return (p.data && p.data.tip) ? p.data.tip : p.name; }")


def _echarts_theme(chart, zh: str, en: str, source: str):
    chart.set_global_opts(
        title_opts=[opts.TitleOpts(title=zh, subtitle=en, pos_left="left",
                                   title_textstyle_opts=opts.TextStyleOpts(font_family=FONT, font_size=16),
                                   subtitle_textstyle_opts=opts.TextStyleOpts(font_family=FONT, color="#555")),
                    opts.TitleOpts(subtitle="\n".join(textwrap.wrap(source, 90)), pos_left="left",
                                   pos_bottom="0",
                                   subtitle_textstyle_opts=opts.TextStyleOpts(font_family=FONT, font_size=11,
                                                                              color="#666"))],
        legend_opts=opts.LegendOpts(pos_top="58", type_="scroll",
                                    textstyle_opts=opts.TextStyleOpts(font_family=FONT)),
        tooltip_opts=opts.TooltipOpts(trigger="item", formatter=_TOOLTIP, is_confine=True,
                                      extra_css_text="max-width:420px;white-space:normal;"),
    )
    titles = chart.options.get("title")
    if isinstance(titles, list):  # a list of TitleOpts would dump as a list of lists: flatten to dicts
        flat = []
        for t in titles:
            o = getattr(t, "opts", t)
            flat.extend(remove_key_with_none_value(x) for x in (o if isinstance(o, list) else [o]))
        chart.options["title"] = flat
    chart.options["textStyle"] = {"fontFamily": FONT_STACK}
    chart.options["color"] = PALETTE
    return chart


def radar_chart(scores, *, title_zh: str = "城市目标画像（标准化得分）",
                title_en: str = "City profiles: normalised 2025 targets (0 = least, 1 = most ambitious)",
                source: str, max_indicators: int = 12, height: str = "560px") -> EChart:
    """pyecharts radar of normalised scores (0–1, direction-aware), one polygon per city.

    ``scores``: indicator_id, indicator_zh, indicator_en, doc_id, city_label, target_value, score.
    Indicators stated by the most cities come first; a city without a value has a gap (null), and
    the tooltip lists it as "未提及 not stated".
    """
    counts = scores.groupby("indicator_id", sort=False)["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    ind_ids = counts.index.tolist()[:max_indicators]
    names = scores.drop_duplicates("indicator_id").set_index("indicator_id")
    cities = list(dict.fromkeys(scores["city_label"].tolist()))
    radar = Radar(init_opts=opts.InitOpts(width="100%", height=height, renderer="canvas"))
    radar.add_schema(
        schema=[opts.RadarIndicatorItem(name=str(names.loc[i, "indicator_zh"]), max_=1, min_=0) for i in ind_ids],
        center=["50%", "55%"], radius="58%",
        textstyle_opts=opts.TextStyleOpts(font_family=FONT, font_size=11, color="#333"))
    for ci, city in enumerate(cities):
        sub = scores[scores["city_label"] == city].set_index("indicator_id")
        vals, tip = [], [f"<b>{_esc(city)}</b>"]
        for i in ind_ids:
            if i in sub.index and not is_missing(sub.loc[i, "score"]):
                s = float(sub.loc[i, "score"])
                vals.append(round(s, 3))
                tip.append(f"{esc(names.loc[i, 'indicator_zh'])}: {s:.2f} (目标 target {fmt(sub.loc[i, 'target_value'])})")
            else:
                vals.append(None)
                tip.append(f"{esc(names.loc[i, 'indicator_zh'])}: {MISSING_TEXT}")
        radar.add(series_name=city, data=[{"name": city, "value": vals, "tip": "<br>".join(tip)}],
                  color=PALETTE[ci % len(PALETTE)],
                  linestyle_opts=opts.LineStyleOpts(width=2),
                  areastyle_opts=opts.AreaStyleOpts(opacity=0.08))
    _echarts_theme(radar, title_zh, title_en, source)
    return EChart(radar)


def grouped_bar_chart(df, *, category_col: str, series_col: str, value_col: str, title_zh: str,
                      title_en: str, source: str, unit: str = "%", height: str = "480px") -> EChart:
    """pyecharts grouped bars: categories (indicators) × series (cities); gaps where not stated."""
    cats = list(dict.fromkeys(df[category_col].astype(str).tolist()))
    series = list(dict.fromkeys(df[series_col].astype(str).tolist()))
    bar = Bar(init_opts=opts.InitOpts(width="100%", height=height, renderer="canvas"))
    bar.add_xaxis([textwrap.fill(c, 10) for c in cats])
    for s in series:
        items = []
        for c in cats:
            row = df[(df[category_col].astype(str) == c) & (df[series_col].astype(str) == s)]
            if row.empty or is_missing(row.iloc[0][value_col]):
                items.append({"value": "-", "tip": f"<b>{_esc(s)}</b><br>{_esc(c)}: {MISSING_TEXT}"})
                continue
            r = row.iloc[0]
            items.append({"value": float(r[value_col]),
                          "tip": f"<b>{_esc(s)}</b><br>{_esc(c)}: {fmt(r[value_col], unit)}"
                                 f"<br>{wrap(r.get('quote'), 40)}"})
        bar.add_yaxis(s, items, label_opts=opts.LabelOpts(is_show=False))
    _echarts_theme(bar, title_zh, title_en, source)
    bar.options["grid"] = {"top": 100, "bottom": 90, "left": 50, "right": 20}
    bar.options["yAxis"][0]["axisLabel"] = {"formatter": "{value}" + ("%" if unit == "%" else "")}
    return EChart(bar)
