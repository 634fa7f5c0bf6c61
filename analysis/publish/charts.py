"""Chart factories sharing one theme: CJK font, bilingual titles (Chinese first), a source line.

plotly for charts readers explore (hover shows the quote behind every value); the pyecharts charts
live in ``echart`` and are re-exported here. Notebooks call one ``*_chart`` function per chart and never style inline.

Every string that comes from a document is escaped here (``html.escape``): plotly renders a subset
of HTML in its text, echarts tooltips render HTML, and the reports keep nbconvert's sanitizer off.
Missing statements stay missing: a city that states nothing gets a "未提及 not stated" mark, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from analysis.publish import offline
from analysis.publish.echart import EChart, echarts_html, grouped_bar_chart, radar_chart  # noqa: F401
from analysis.publish.format import MISSING_TEXT, city_color, city_symbol, esc, esc_text, fmt, is_missing, label, wrap  # noqa: F401
from analysis.publish.theme import (  # noqa: F401
    BASELINE_COLOR,
    BENCHMARK_COLOR,
    FONT,
    FONT_STACK,
    MILESTONE_COLOR,
    PALETTE,
    SOURCE_PREFIX,
    document_label,
    finish,
    hover,
    legend_rows,
    register_plotly_template,
    source_for,
    source_text,
    title_html,
)

offline.setup_plotly()
register_plotly_template()


# --------------------------------------------------------------------------- text helpers

_esc = esc_text


def _link(r) -> str | None:
    """The passage link of a row with doc_id, start and end (plotly ``customdata``: a click opens it)."""
    from analysis.publish.passages import passage_link

    get = r.get if hasattr(r, "get") else (lambda k, d=None: getattr(r, k, d))
    d, a, b = get("doc_id"), get("start"), get("end")
    return None if any(is_missing(v) for v in (d, a, b)) else passage_link(str(d), int(a), int(b))


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
            tr.append(hover(f"<b>{esc(ind.indicator_zh)}</b>", esc(ind.indicator_en), esc(c),
                             f"{n} 条陈述 statements" if n else MISSING_TEXT))
        z.append(zr)
        text.append(tr)
    fig = go.Figure(go.Heatmap(
        z=z, x=[_esc(c) for c in cities], y=y, text=text, hovertemplate="%{text}",
        colorscale=[[0, "#c6dbef"], [1, "#08306b"]], xgap=2, ygap=2, zmin=1,
        colorbar=dict(title=dict(text="陈述数<br>statements"), thickness=12)))
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont=dict(size=12 if len(y) <= 40 else 10))
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_layout(plot_bgcolor="#f3f3f3")
    return finish(fig, title_zh, title_en, source + " · 灰色 = 未提及 grey = not stated",
                   height=min(1050, max(320, 24 * len(y) + 120)))  # rows get thinner, the chart no taller


def stacked_bar_chart(df, *, label_col: str, stack_col: str, value_col: str, stack_labels: dict[str, str],
                      title_zh: str, title_en: str, source: str, x_title: str = "数量 count", row_px: int = 40):
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
    return finish(fig, title_zh, title_en, source, height=max(300, row_px * len(labels) + 140))


def source_counts_chart(counts, source: str, *, title_zh="数值来自表格、正文还是人工校订",
                        title_en="Where the values come from: tables, prose, series or curation", row_px: int = 40):
    """Stacked bars per document: statements by source kind (curated values counted apart)."""
    df = counts.copy()
    df["kind"] = [("curated" if bool(c) else str(k)) for k, c in zip(df["source_kind"], df["curated"])]
    return stacked_bar_chart(df, label_col="city_label", stack_col="kind", value_col="n",
                             stack_labels={"table": "表格 table", "prose": "正文 prose",
                                           "series": "历史数据表 series", "curated": "人工校订 curated"},
                             title_zh=title_zh, title_en=title_en, source=source, x_title="陈述数 statements",
                             row_px=row_px)


def dumbbell_chart(df, *, all_labels: Sequence[str], title_zh: str, title_en: str, source: str,
                   unit: str = "%", label_col: str = "city_label", benchmark: float | None = None,
                   benchmark_label: str | None = None, x_title: str | None = None, milestones=None):
    """Baseline → target per row (one row per city, or city × scope): grey dot, line, coloured dot.

    Rows of ``all_labels`` absent from ``df`` are drawn as "未提及 not stated", not as zero.
    Columns: ``label_col``, baseline_value, baseline_year, target_value, target_year, comparator,
    quote (optional: attribute, source_kind). ``milestones``: optional rows (same ``label_col``,
    target_year, target_value, comparator, quote) of steps before the target year, drawn as open
    diamonds labelled with their year — a milestone is never the target.
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

    years = [int(r["target_year"]) for _, r in targ if not is_missing(r.get("target_year"))]
    last_year = max(years, default=None)

    def point_hover(r, which):
        year = r.get(f"{which}_year")
        val = fmt(r.get(f"{which}_value"), unit)
        comp = r.get("comparator") if which == "target" else None
        comp = "" if is_missing(comp) or comp in ("=", "qualitative") else _esc(str(comp)) + " "
        name = "基期 baseline" if which == "baseline" else "目标 target"
        yr = "" if is_missing(year) else f" ({int(year)})"
        meta = " · ".join(esc(r.get(k)) for k in ("attribute", "source_kind") if not is_missing(r.get(k)))
        return hover(f"<b>{esc(r[label_col])}</b>", f"{name}{yr}: {comp}{val}", meta,
                      wrap(r.get("quote")))

    fig.add_scatter(x=[r["baseline_value"] for _, r in base], y=[y for y, _ in base], mode="markers",
                    marker=dict(color=BASELINE_COLOR, size=11), name="基期 baseline",
                    text=[point_hover(r, "baseline") for _, r in base], hovertemplate="%{text}",
                    customdata=[_link(r) for _, r in base])
    fig.add_scatter(x=[r["target_value"] for _, r in targ], y=[y for y, _ in targ],
                    mode="markers+text", marker=dict(color=PALETTE[0], size=13), name="目标 target",
                    text=[fmt(r["target_value"], unit) + _year_note(r.get("target_year"), last_year) for _, r in targ],
                    textposition="middle right",
                    hovertext=[point_hover(r, "target") for _, r in targ], hovertemplate="%{hovertext}",
                    customdata=[_link(r) for _, r in targ])
    if milestones is not None and len(milestones):
        ms = [r for _, r in milestones.iterrows() if str(r[label_col]) in rows and not is_missing(r["target_value"])]
        fig.add_scatter(x=[float(r["target_value"]) for r in ms], y=[_esc(str(r[label_col])) for r in ms],
                        mode="markers+text", name="阶段目标 milestone",
                        marker=dict(symbol="diamond-open", size=12, color=MILESTONE_COLOR, line=dict(width=2)),
                        text=[str(int(r["target_year"])) for r in ms], textposition="top center",
                        textfont=dict(size=10, color=MILESTONE_COLOR),
                        hovertext=[hover(f"<b>{esc(r[label_col])}</b>",
                                         f"阶段目标 milestone ({int(r['target_year'])}): {fmt(r['target_value'], unit)}",
                                         wrap(r.get("quote"))) for r in ms], hovertemplate="%{hovertext}",
                        customdata=[_link(r) for r in ms])
        xs_all += [float(r["target_value"]) for r in ms]
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
    return finish(fig, title_zh, title_en, source, height=max(300, 48 * len(labels) + 150))


def _year_note(year, last_year) -> str:
    """`` (2022)`` beside a target whose year is earlier than the chart's latest target year."""
    return "" if is_missing(year) or last_year is None or int(year) >= last_year else f" ({int(year)})"


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
        hovertext=[hover(f"<b>{_esc(s)}</b>", fmt(vals[s][x], unit, 2),
                          *[wrap(vals[s].get(c)) for c in hover_cols]) for s in have],
        hovertemplate="%{hovertext}", showlegend=False, customdata=[_link(vals[s]) for s in have]))
    missing = [s for s in labels if s not in have]
    if missing:
        fig.add_scatter(x=[0] * len(missing), y=[_esc(s) for s in missing], mode="text",
                        text=[MISSING_TEXT] * len(missing), textposition="middle right",
                        textfont=dict(color="#999"), showlegend=False, hoverinfo="skip")
    fig.update_yaxes(categoryorder="array", categoryarray=[_esc(s) for s in labels],
                     autorange="reversed")
    fig.update_xaxes(title_text=x_title)
    return finish(fig, title_zh, title_en, source, height=max(280, 44 * len(labels) + 140))


def series_chart(df, *, x: str, series: Sequence[tuple[str, str, str]], title_zh: str, title_en: str,
                 source: str, unit: str = "", label_col: str = "city_label", y_title: str | None = None,
                 targets: Sequence[dict] = (), note: str | None = None):
    """Lines over years, one per city × series. ``series`` = [(column, 名称 name, dash)].

    ``targets``: optional markers ``{"label", "x", "y", "hover"}`` (e.g. a 2025 target).
    """
    fig = go.Figure()
    cities = list(dict.fromkeys(df[label_col].tolist()))
    for _ci, city in enumerate(cities):
        sub = df[df[label_col] == city].sort_values(x)
        for col, name, dash in series:
            s = sub[~sub[col].isna()]
            if s.empty:
                continue
            quotes = s["quote"].tolist() if "quote" in s.columns else [None] * len(s)
            fig.add_scatter(
                x=[int(v) for v in s[x]], y=[float(v) for v in s[col]], mode="lines+markers",
                name=f"{_esc(city)} · {_esc(name)}", marker=dict(symbol=city_symbol(city), size=8),
                line=dict(color=city_color(city), dash=dash, width=2.5),
                hovertext=[hover(f"<b>{_esc(city)}</b>", f"{_esc(name)} {int(yr)}: {fmt(v, unit, 2)}",
                                  wrap(q)) for yr, v, q in zip(s[x], s[col], quotes)],
                hovertemplate="%{hovertext}")
    for t in targets:
        fig.add_scatter(x=[t["x"]], y=[t["y"]], mode="markers+text", text=[_esc(t["label"])],
                        textposition="middle left", marker=dict(symbol="star", size=15, color=BENCHMARK_COLOR),
                        hovertext=[hover(t.get("hover", ""))], hovertemplate="%{hovertext}", showlegend=False)
    fig.update_xaxes(dtick=1, tickformat="d", title_text="年份 year")
    fig.update_yaxes(title_text=y_title, ticksuffix="%" if unit == "%" else None)
    src = source + (f" · {note}" if note else "")
    return finish(fig, title_zh, title_en, src, height=460)


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
    # cities with the same target in the same year would hide each other: each gets a small, fixed x offset
    offset = {c: 0.0 if len(cities) < 2 else (i - (len(cities) - 1) / 2) * min(0.08, 0.5 / len(cities))
              for i, c in enumerate(cities)}
    for pi, panel in enumerate(panels, start=1):
        for city in cities:
            s = df[(df[panel_col] == panel) & (df[label_col] == city) & ~df["target_value"].isna()]
            s = s.sort_values("target_year")
            if s.empty:
                continue
            fig.add_scatter(
                x=[int(v) + offset[city] for v in s["target_year"]], y=[float(v) for v in s["target_value"]],
                mode="lines+markers", name=_esc(city), legendgroup=city, showlegend=city not in in_legend,
                marker=dict(size=11, color=city_color(city), symbol=city_symbol(city), line=dict(color="white", width=1)),
                line=dict(color=city_color(city), width=2),
                hovertext=[hover(f"<b>{_esc(city)}</b>", f"{esc(panel)} {int(yr)}: "
                                  f"{esc(c) + ' ' if not is_missing(c) and c not in ('=',) else ''}{fmt(v, unit)}",
                                  wrap(q)) for yr, v, c, q in zip(s["target_year"], s["target_value"],
                                                                  s["comparator"], s["quote"])],
                hovertemplate="%{hovertext}", customdata=[_link(r) for _, r in s.iterrows()], row=1, col=pi)
            in_legend.add(city)
        fig.update_xaxes(dtick=1, tickformat="d", range=x_range, title_text="目标年 target year", row=1, col=pi)
    fig.update_yaxes(ticksuffix="%" if unit == "%" else None, title_text=f"目标 target ({unit})" if unit else None,
                     row=1, col=1)
    return finish(fig, title_zh, title_en, source, height=440, headroom=44)  # room for the panel titles




def percentile_dots_chart(pct, *, title_zh: str, title_en: str, source: str, highlight: Sequence[str] = (),
                          n_docs_total: int | None = None, max_rows: int = 20):
    """Where each city's target sits among the documents stating the same indicator (and scope).

    ``pct``: rows of ``indicator_percentiles`` (indicator_zh, indicator_en, scope, scope_zh,
    city_label, target_value, unit, comparator, n_docs, n_tied, rank, percentile, quote). One row
    per indicator × scope, x = percentile (0 least, 100 most ambitious); a city that does not state
    an indicator has no dot on that row (a gap, never a zero), and each row says how many documents
    state it. Tied cities share a percentile: their dots are spread vertically, never stacked.
    ``highlight``: city labels drawn large; the others small and grey (a city's profile page).
    ``max_rows``: the rows stated by the most documents (the chart stays under ~1,200 px at any
    corpus size); the source line says how many more the table holds.
    """
    from analysis.publish.views import with_scope

    df = with_scope(pct, "indicator_zh", out="row", as_written=False)
    rows = list(dict.fromkeys(df.sort_values(["n_docs", "row"], ascending=[False, True], kind="stable")["row"]))
    n_more = max(0, len(rows) - max_rows)
    rows = rows[:max_rows]
    df = df[df["row"].isin(rows)]
    y_of = {r: i for i, r in enumerate(rows)}
    ties: dict[tuple, list] = {}
    for idx, r in df.iterrows():
        ties.setdefault((r["row"], round(float(r["percentile"]), 6)), []).append(idx)
    dy = {}
    for members in ties.values():
        k = len(members)
        for j, idx in enumerate(members):
            dy[idx] = 0.0 if k == 1 else (j - (k - 1) / 2) * min(0.3, 0.8 / k)
    fig = go.Figure()
    hl = set(highlight)
    for city in dict.fromkeys(df["city_label"].astype(str)):
        sub = df[df["city_label"].astype(str) == city]
        strong = not hl or city in hl
        texts = []
        for _, r in sub.iterrows():
            k = len(ties[(r["row"], round(float(r["percentile"]), 6))])
            tie = f"{k} 份文件并列 {k} documents tied" if k > 1 else ""
            comp = "" if is_missing(r["comparator"]) or r["comparator"] in ("=", "qualitative") else esc(r["comparator"]) + " "
            texts.append(hover(f"<b>{esc(city)}</b>", f"{esc(r['row'])}",
                               f"目标 target: {comp}{fmt(r['target_value'], None if is_missing(r['unit']) else r['unit'])}",
                               f"第 {int(r['rank'])} / {int(r['n_docs'])} 名 rank · 百分位 percentile {r['percentile']:.0f}",
                               tie, wrap(r.get("quote"))))
        fig.add_scatter(
            x=[float(v) for v in sub["percentile"]], y=[y_of[r] + dy[i] for i, r in zip(sub.index, sub["row"])],
            mode="markers", name=_esc(city), legendgroup=city, hovertext=texts, hovertemplate="%{hovertext}",
            customdata=[_link(r) for _, r in sub.iterrows()],
            marker=dict(size=11 if strong else 8, color=city_color(city) if strong else "#c8c8c8",
                        symbol=city_symbol(city) if strong else "circle",
                        line=dict(color="white", width=1), opacity=1 if strong else 0.8),
            showlegend=strong)
    if hl and len(set(df["city_label"].astype(str)) - hl):
        fig.add_scatter(x=[None], y=[None], mode="markers", name="其他文件 other documents",
                        marker=dict(size=8, color="#c8c8c8"), hoverinfo="skip")
    counts = df.groupby("row")["n_docs"].max()
    total = f" / {n_docs_total}" if n_docs_total else ""
    fig.add_scatter(x=[104] * len(rows), y=[y_of[r] for r in rows], mode="text", showlegend=False,
                    text=[f"{int(counts[r])}{total} 份提及 state it" for r in rows], textposition="middle right",
                    textfont=dict(size=11, color="#777"), hoverinfo="skip")
    fig.update_yaxes(tickvals=list(range(len(rows))), ticktext=[_esc(r) for r in rows], autorange="reversed",
                     range=[len(rows) - 0.5, -0.5], showgrid=True, gridcolor="#f0f0f0")
    fig.update_xaxes(range=[-5, 128], tickvals=[0, 25, 50, 75, 100],
                     title_text="百分位（在提及该指标的文件中）percentile among the documents stating it<br>"
                                "0 = 目标最低 least ambitious · 100 = 目标最高 most ambitious (按指标方向 by direction)")
    more = f" · 另有 {n_more} 项指标未画出，见表 {n_more} more indicators in the table" if n_more else ""
    return finish(fig, title_zh, title_en, source + " · 未提及的城市无点 no dot = not stated" + more,
                  height=max(320, 52 * len(rows) + 190), bottom=110)
