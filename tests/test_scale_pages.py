"""Topic pages at any corpus size: the data table, the aggregate views and charts (fast: no kernel, no browser)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.publish import aggregates, datatable, theme, views

HOSTILE = "坏市<script>window.__pwned=true</script>"


def _payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="plans-dt-data-[0-9a-f]+">(.*?)</script>', html, re.S)
    assert m, "the rows travel as one JSON element"
    return json.loads(m.group(1))


def _flags(n: int) -> pd.DataFrame:
    kinds = ["missing_unit", "spam_removed", "mojibake"]
    return pd.DataFrame({
        "doc_id": [f"d{i % 50:03d}" for i in range(n)], "city_label": [f"台{i % 50}市" for i in range(n)],
        "stage": ["extract" if i % 2 else "clean" for i in range(n)], "kind": [kinds[i % 3] for i in range(n)],
        "severity": ["warning" if i % 4 else "error" for i in range(n)],
        "message": [f"第 {i} 条说明" for i in range(n)], "value": [i / 7 for i in range(n)],
        "year": [2020 + i % 3 for i in range(n)]})


def test_data_table_ships_rows_once_with_codes_as_labels():
    html = datatable.data_table(_flags(1200), {"city_label": "城市 city", "kind": "类型 kind", "severity": "严重度 severity",
                                               "value": "值 value", "year": "年 year"}, csv_name="flags.csv").data
    d = _payload(html)
    rows = datatable.decoded_rows(d)
    assert len(rows) == 1200 and d["csv"] == "flags.csv"
    assert [c["label"] for c in d["cols"]] == ["城市 city", "类型 kind", "严重度 severity", "值 value", "年 year"]
    kinds = {r[1] for r in rows}
    assert kinds == {"缺少单位 missing unit", "已删除垃圾信息 spam removed", "乱码 mojibake"}, "codes never shown raw"
    assert "missing_unit" not in html
    assert {r[2] for r in rows} == {"警告 warning", "错误 error"}
    assert len(d["cols"][1]["dict"]) == 3 and d["rows"][0][1] == 0, "a repeated label ships once"
    assert "dict" not in d["cols"][0] or len(d["cols"][0]["dict"]) == 50
    assert rows[1][3] == round(1 / 7, 2), "floats are rounded: the page stays small"
    assert d["cols"][3]["num"] and not d["cols"][4]["num"], "a year column is not summed or right-aligned as a number"
    assert d["t2s"].get("臺") == "台", "the filter matches traditional and simplified"
    assert "<tr" not in html.split("<script", 1)[0], "no HTML rows: the client draws them"


def test_data_table_escapes_document_text_and_shortens_long_columns():
    df = pd.DataFrame({"city_label": [HOSTILE, "晋中市"], "quote": ["长" * 300, None]})
    html = datatable.data_table(df, {"city_label": "城市", "quote": "原文"}, csv_name="x.csv",
                                max_chars={"quote": 50}).data
    assert "<script>window.__pwned" not in html
    rows = datatable.decoded_rows(_payload(html))
    assert rows[0][0] == HOSTILE, "the text itself is kept, only escaped"
    assert rows[0][1] == "长" * 50 + "…" and rows[1][1] is None


def test_data_table_names_the_missing_columns():
    with pytest.raises(KeyError, match="none of the columns"):
        datatable.table_payload(pd.DataFrame({"a": [1]}), ["b"], csv_name="x.csv")


def test_source_line_counts_instead_of_naming_thousands():
    few = theme.source_text([f"城{i}" for i in range(5)])
    many = theme.source_text([f"城{i}" for i in range(3300)])
    assert all(f"城{i}" in few for i in range(5))
    assert "3,300 份文件" in many and "城3299" not in many and len(many) < 200


def _coverage():
    rows = []
    for d in range(10):
        for ind in ("a", "b"):
            rows.append({"indicator_id": ind, "indicator_zh": f"指标{ind}", "indicator_en": ind, "doc_id": f"d{d}",
                         "city_label": f"城{d}", "stated": (ind == "a") or d < 3, "n_statements": 1})
    corpus = pd.DataFrame({"doc_id": [f"d{d}" for d in range(10)],
                           "province": ["甲省"] * 4 + ["乙省"] * 5 + [None]})
    return pd.DataFrame(rows), corpus


def test_coverage_share_by_province():
    cov, corpus = _coverage()
    share = views.coverage_share(cov, corpus).set_index(["indicator_id", "group"])
    assert share.loc[("a", "甲省"), "share_pct"] == 100.0
    assert share.loc[("b", "甲省"), "n_stating"] == 3 and share.loc[("b", "甲省"), "n_docs"] == 4
    assert share.loc[("b", "乙省"), "share_pct"] == 0.0, "stated by none of the province's documents: 0 %, not missing"
    assert ("a", "未知 unknown") in share.index, "a document without a province is counted, not dropped"


def test_distribution_and_top_counts():
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(9)], "label": ["x"] * 5 + ["y"] * 4,
                       "target_value": [10, 20, 30, 40, 50, 1, 2, 3, None]})
    dist = views.distribution(df, ["label"]).set_index("label")
    assert dist.loc["x", "median"] == 30 and dist.loc["x", "q1"] == 20 and dist.loc["x", "n_docs"] == 5
    assert dist.loc["y", "n_docs"] == 3, "a row without a value is not a document stating it"
    top = views.top_counts(_flags(90), ["doc_id"], k=3)
    assert len(top) == 3 and top["n"].is_monotonic_decreasing and top["doc_id"].iloc[0] == "d000"


def test_median_by_year_is_one_series_with_counts():
    hist = pd.DataFrame({"doc_id": ["a", "b", "c", "a"], "year": [2019, 2019, 2019, 2020], "v": [1.0, 2.0, 9.0, 4.0]})
    med = views.median_by(hist, ["year"], ["v"])
    assert med["v"].tolist() == [2.0, 4.0] and med["n_docs"].tolist() == [3, 1]
    assert set(med["city_label"]) == {"中位数 median"}


def test_named_counts_and_by_total():
    df = pd.DataFrame({"binding": ["、".join(f"城{i}" for i in range(40)), None]})
    out = views.named_counts(df, ["binding"], k=3)
    assert out["binding"].iloc[0] == "40: 城0、城1、城2 …" and pd.isna(out["binding"].iloc[1])
    bars = pd.DataFrame({"p": ["甲", "乙", "乙", "丙"], "n": [1, 2, 2, 5]})
    assert views.by_total(bars, "p")["p"].tolist() == ["丙", "乙", "乙", "甲"]


def _height(fig) -> int:
    return int(fig.layout.height)


def test_aggregate_charts_stay_short_at_any_size():
    many = pd.DataFrame({"label": [f"指标{i}" for i in range(200)], "n_docs": range(200, 0, -1), "min": 1.0,
                         "q1": 2.0, "median": 3.0, "q3": 4.0, "max": 5.0})
    fig = aggregates.distribution_chart(many, label_col="label", title_zh="分布", title_en="dist", source="来源")
    assert _height(fig) <= 1200 and len(fig.data[0].q1) == aggregates.MAX_ROWS
    assert "170 more rows" in fig.layout.annotations[-1].text
    vals = pd.DataFrame({"v": [i % 37 for i in range(5000)]})
    hist = aggregates.histogram_chart(vals, value="v", title_zh="直方图", title_en="hist", source="来源", benchmark=20)
    assert _height(hist) <= 1200 and len(hist.data) == 1
    cov, corpus = _coverage()
    heat = aggregates.share_heatmap_chart(views.coverage_share(cov, corpus), title_zh="覆盖", title_en="coverage",
                                          source="来源")
    assert _height(heat) <= 1200 and list(heat.data[0].x)[-1] == "未知 unknown", "unknown province last"
    assert heat.data[0].z[1][list(heat.data[0].x).index("乙省")] == 0.0


def test_echarts_pages_open_without_plotly(tmp_path):
    """An indicator page's kernel never imports plotly (~4 s of CPU per page at 50 pages)."""
    import subprocess
    import sys

    code = ("import sys\nfrom analysis.publish.notebook import set_up_display\nset_up_display(plotly=False)\n"
            "from analysis.publish import grapher, explorer  # noqa: F401\n"
            "print('plotly' in sys.modules, 'pyecharts' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_data_table_rows_carry_their_passage_when_the_frame_has_offsets():
    import pandas as pd

    from analysis.publish.datatable import table_payload

    df = pd.DataFrame({"city_label": ["甲市", "乙市", "丙市"], "target_value": [55.0, 60.0, None],
                       "doc_id": ["a1", "b/2", "a1"], "start": [10, 20, None], "end": [14, 25, None]})
    p = table_payload(df, {"city_label": "城市 city", "target_value": "目标 target"}, csv_name="t.csv")
    assert p["lcols"] == [1] and p["links"][2] is None
    assert [p["lfiles"][k] for k, _, _ in p["links"][:2]] == ["passages/a1.html", "passages/b_2.html"]
    assert p["links"][1][1:] == [20, 25]
    assert "links" not in table_payload(df.drop(columns=["start"]), ["city_label", "target_value"], csv_name="t.csv")
