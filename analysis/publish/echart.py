"""pyecharts charts for notebooks (grouped bars; the legacy radar), in the shared theme.

pyecharts reads ``NOTEBOOK_TYPE`` at render time: it is set before ``pyecharts.charts`` is
imported. echarts itself is inlined once per page (``offline.echarts_once``), never fetched.
Tooltips render HTML: every value from a document is escaped.
"""

from __future__ import annotations

import textwrap

from pyecharts.globals import CurrentConfig, NotebookType

CurrentConfig.NOTEBOOK_TYPE = NotebookType.JUPYTER_LAB
CurrentConfig.ONLINE_HOST = ""  # never point at pyecharts' asset host; echarts is inlined

from pyecharts import options as opts  # noqa: E402
from pyecharts.charts import Bar, Radar  # noqa: E402
from pyecharts.commons.utils import JsCode, remove_key_with_none_value  # noqa: E402

from analysis.publish import offline  # noqa: E402
from analysis.publish.format import MISSING_TEXT, city_color, city_decal, esc, esc_text, fmt, is_missing, wrap  # noqa: E402
from analysis.publish.theme import FONT, FONT_STACK, PALETTE  # noqa: E402

_esc = esc_text


PLOTLY_MIME = "application/vnd.plotly.v1+json"


class EChart:
    """A pyecharts chart for notebooks: its HTML embeds echarts once per kernel (= per page).

    ``static``: a plotly figure of the same data. It travels in the same output as plotly's own
    MIME type, which the HTML export ignores (it shows the echarts HTML) and from which the report
    build writes the static PNG, as for every plotly chart.
    """

    def __init__(self, chart, static=None):
        self.chart = chart
        self.static = static

    def _repr_html_(self) -> str:
        return offline.echarts_once() + echarts_html(self.chart)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self._repr_html_()}
        if self.static is not None:
            bundle[PLOTLY_MIME] = self.static.to_plotly_json()
        return bundle


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
        legend_opts=opts.LegendOpts(pos_top="62", pos_left="left", type_="scroll",
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
    for city in cities:
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
                  color=city_color(city),
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
        bar.add_yaxis(s, items, label_opts=opts.LabelOpts(is_show=False),
                      # a city keeps its colour and its fill pattern (nine colours collide between cities)
                      itemstyle_opts={"color": city_color(s), "decal": city_decal(s)})
    _echarts_theme(bar, title_zh, title_en, source)
    bar.options["grid"] = {"top": 116, "bottom": 90, "left": 50, "right": 20}
    bar.options["yAxis"][0]["axisLabel"] = {"formatter": "{value}" + ("%" if unit == "%" else "")}
    bar.options["yAxis"][0]["name"] = f"目标 target ({unit})" if unit else "目标 target"
    return EChart(bar, static=_static_grouped_bar(df, cats, series, category_col, series_col, value_col,
                                                   title_zh, title_en, source, unit))


def _static_grouped_bar(df, cats, series, category_col, series_col, value_col, title_zh, title_en, source, unit):
    """The same grouped bars in plotly, for the static PNG (same colours and patterns)."""
    import plotly.graph_objects as go

    from analysis.publish.format import city_symbol
    from analysis.publish.theme import finish

    shapes = {"circle": "", "square": "x", "diamond": "+", "triangle-up": "/"}
    fig = go.Figure()
    for s in series:
        sub = df[df[series_col].astype(str) == s].drop_duplicates(category_col).set_index(category_col)
        ys = [None if c not in sub.index or is_missing(sub.loc[c, value_col]) else float(sub.loc[c, value_col])
              for c in cats]
        fig.add_bar(x=[_esc(textwrap.fill(c, 10)).replace("\n", "<br>") for c in cats], y=ys, name=_esc(s),
                    marker=dict(color=city_color(s), pattern=dict(shape=shapes[city_symbol(s)], fgcolor="white")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=f"目标 target ({unit})" if unit else "目标 target", ticksuffix="%" if unit == "%" else None)
    return finish(fig, title_zh, title_en, source, height=480)
