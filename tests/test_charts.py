"""Chart factories, offline embedding and escaped tables (fast: no kernel, no browser)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio

from analysis.publish import charts, offline, tables

HOSTILE = "恶意<script>window.__pwned=true</script><img src=x onerror=alert(1)>"


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)


def _beds():
    return pd.DataFrame({
        "doc_id": ["001", "002", "009"], "city_label": ["重庆市永川区", "晋中市", HOSTILE],
        "baseline_year": [2020, None, 2020], "baseline_value": [33.4, None, 40.0],
        "target_year": [2025, 2025, 2025], "target_value": [60.0, 55.0, 55.0],
        "comparator": [">=", "=", ">="], "attribute": ["约束性", "约束性", None], "source_kind": ["table"] * 3,
        "quote": ["13 | 养老机构护理型床位占比 | % | 33.4 | ≥60 | 约束性 |", "养老机构护理型床位占比55%", HOSTILE],
    })


def test_plotly_renderer_is_offline_and_quiet():
    assert pio.renderers.default == "plotly_mimetype+notebook"
    for name in ("notebook", "plotly_mimetype"):
        cfg = pio.renderers[name].config
        assert cfg["showSendToCloud"] is False and cfg["displaylogo"] is False
    bundle = pio.renderers["notebook"].to_mimebundle(charts.bar_chart(
        _beds(), x="target_value", all_labels=[], title_zh="标题", title_en="Title", source="来源 Source: x").to_dict())
    html = bundle["text/html"]
    assert "https://" not in html.split("Plotly.newPlot")[0]  # no MathJax / plotly CDN script before the plot
    assert "cdnjs" not in html and "cdn.plot.ly" not in html


def test_theme_uses_cjk_font_and_bilingual_title():
    fig = charts.dumbbell_chart(_beds(), all_labels=["未署名城市 unnamed (000)"], title_zh="护理型床位",
                                title_en="Nursing beds", source="来源 Source: test", benchmark=55)
    layout = fig.to_dict()["layout"]
    assert "Noto Sans CJK SC" in (layout.get("font", {}).get("family") or pio.templates["plans"].layout.font.family)
    assert layout["title"]["text"].index("护理型床位") < layout["title"]["text"].index("Nursing beds")
    assert any("来源 Source: test" in a["text"] for a in layout["annotations"])


def test_missing_city_is_not_zero():
    fig = charts.dumbbell_chart(_beds(), all_labels=["未署名城市 unnamed (000)", "威海市"], title_zh="z",
                                title_en="e", source="s")
    data = fig.to_dict()["data"]
    target = next(t for t in data if t.get("name") == "目标 target")
    assert "威海市" not in target["y"] and len(target["y"]) == 3
    missing = next(t for t in data if t.get("name") == charts.MISSING_TEXT)
    assert set(missing["y"]) == {"未署名城市 unnamed (000)", "威海市"}
    assert all(t == charts.MISSING_TEXT for t in missing["text"])


def test_hover_carries_the_quote_and_document_text_is_escaped():
    fig = charts.dumbbell_chart(_beds(), all_labels=[], title_zh="z", title_en="e", source=f"来源 {HOSTILE}")
    d = fig.to_dict()
    target = next(t for t in d["data"] if t.get("name") == "目标 target")
    assert any("33.4 | ≥60" in h for h in target["hovertext"])
    for s in _strings(d):
        assert "<script" not in s and "<img" not in s, s
    assert any("&lt;script&gt;" in s for s in _strings(d))


def test_fmt_and_is_missing():
    assert charts.fmt(33.4, "%") == "33.4%"
    assert charts.fmt(60.0, "%") == "60%"
    assert charts.fmt(None) == "—" and charts.fmt(float("nan")) == "—"
    assert charts.is_missing(pd.NA) and not charts.is_missing(0)


def _scores():
    return pd.DataFrame({
        "indicator_id": ["a", "b", "a", "b"], "indicator_zh": ["护理型床位占比", "火化率"] * 2,
        "indicator_en": ["beds", "cremation"] * 2, "doc_id": ["1", "1", "2", "9"],
        "city_label": ["晋中市", "晋中市", "威海市", HOSTILE], "target_value": [55.0, 100.0, 60.0, 98.0],
        "score": [0.0, 1.0, 1.0, 0.0],
    })


def test_radar_embeds_echarts_once_and_is_script_safe():
    offline.reset()
    first = charts.radar_chart(_scores(), source=f"来源 Source: {HOSTILE}")._repr_html_()
    second = charts.radar_chart(_scores(), source="来源 Source: x")._repr_html_()
    sig = offline.echarts_source()[:400]
    assert first.count(sig) == 1 and sig not in second
    assert "window.define = undefined" in first and "window.define = window.__plansSavedDefine" in first
    assert "echarts.init(" in first and "echarts.init(" in second
    chart_part = first[first.index("echarts.init("):]
    assert "</script>" not in chart_part[:-len("</script>")].replace("<\\/script>", "") or \
        chart_part.count("</script>") == 1  # only the element's own closing tag
    assert "<img src=x" not in chart_part.split('"tip"')[1].split("}")[0]  # tooltips are escaped HTML
    assert "https://" not in second


def test_radar_gap_for_missing_and_flat_titles():
    radar = charts.radar_chart(_scores(), source="s").chart
    opts = json.loads(radar.dump_options_with_quotes())
    titles = opts["title"]
    assert all(isinstance(t, dict) for t in titles) and titles[0]["text"] and titles[1]["subtext"] == "s"
    series = {s["name"]: s["data"][0] for s in opts["series"]}
    assert series["威海市"]["value"] == [1.0, None]  # 威海 states only indicator a: b stays a gap
    assert charts.MISSING_TEXT in series["威海市"]["tip"]


def test_grouped_bar_gaps():
    df = pd.DataFrame({"indicator_zh": ["甲", "甲", "乙"], "city_label": ["A", "B", "A"],
                       "target_value": [1.0, 2.0, 3.0], "quote": ["q1", "q2", "q3"]})
    bar = charts.grouped_bar_chart(df, category_col="indicator_zh", series_col="city_label",
                                   value_col="target_value", title_zh="z", title_en="e", source="s").chart
    opts = json.loads(bar.dump_options_with_quotes())
    b = next(s for s in opts["series"] if s["name"] == "B")
    assert b["data"][1]["value"] == "-"  # echarts: missing, not 0


def test_tables_escape_document_text():
    df = pd.DataFrame({"city_label": [HOSTILE, "晋中市"], "target_value": [55.0, None], "baseline_year": [2020, 2020],
                       "quote": [HOSTILE, "q"]})
    out = tables.table_html(df, {"city_label": "城市 city", "target_value": "目标", "baseline_year": "年",
                                 "quote": "原文"})
    assert "<script>window" not in out and "<img src" not in out and "&lt;script&gt;" in out
    assert ">—<" in out  # missing, not 0
    assert ">2020<" in out  # years without thousands separators
    s = tables.searchable_table(df).data
    assert s.count("<script>") == 1 and "plans-filter" in s
    m = tables.md("**{c}**: {v}", c=HOSTILE, v=55).data
    assert "<script>" not in m and "<img" not in m and "55" in m


def test_offline_pieces():
    assert offline.script_safe_json('{"a": "</script><!--"}') == '{"a": "<\\/script><\\!--"}'
    ex = offline.html_exporter()
    assert ex.exclude_input and not ex.sanitize_html
    assert ex.require_js_url == "" and ex.mathjax_url == ""
