"""Every value a report shows links to its passage: tables, the indicator page, the explorer, plotly points."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.publish import tables

EVIL = '<img src=x onerror="window.__pwned_link=1">'


def _frame(**extra) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a_plan", "b 计划/../x"], "city_label": ["甲市", EVIL],
                         "target_value": [56.0, 40.0], "quote": ["护理型床位占比达到56%", EVIL],
                         "start": pd.array([12, None], dtype="Int32"), "end": pd.array([30, None], dtype="Int32"),
                         **extra})


def _hrefs(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" class="plans-passage"', page)


def test_values_and_quotes_link_to_their_passage_when_the_offsets_are_known():
    page = tables.table_html(_frame(), {"city_label": "城市 city", "target_value": "目标 target", "quote": "原文 quote"})
    # the first row: its value and its quote link to the viewer with the quote's offsets; the city does not
    assert _hrefs(page) == ["passages/a_plan.html#q-12-30"] * 2
    assert '<td style="border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left">甲市</td>' in page
    # the second row has no offsets: printed, not linked, and escaped like every document string
    assert "<img" not in page and tables.html.escape(EVIL) in page


def test_a_frame_without_offsets_is_not_linked_unless_asked():
    df = _frame().drop(columns=["start", "end"])
    assert "plans-passage" not in tables.table_html(df, ["city_label", "target_value"])
    with pytest.raises(KeyError, match="doc_id, start, end"):
        tables.table_html(df, ["target_value"], link=True)
    assert "plans-passage" not in tables.table_html(_frame(), ["target_value"], link=False)


def test_hostile_doc_id_cannot_leave_the_passages_folder_or_the_attribute():
    links = tables.row_links(pd.DataFrame({"doc_id": ['x"><script>', "../../etc/passwd"], "start": [1, 2],
                                           "end": [3, 4]}))
    for h in links:
        assert re.fullmatch(r"passages/[A-Za-z0-9_%-][A-Za-z0-9._%-]*\.html#q-\d+-\d+", h), h  # one file, no "..", no quote


def test_searchable_table_links_too():
    out = tables.searchable_table(_frame(), ["city_label", "quote"]).data
    assert _hrefs(out) == ["passages/a_plan.html#q-12-30"]


def test_plotly_points_carry_their_passage_and_a_click_opens_it():
    from analysis.publish import charts, offline

    df = pd.DataFrame({"doc_id": ["a_plan", "b_plan"], "city_label": ["甲市", "乙市"], "baseline_year": [2020, 2020],
                       "baseline_value": [38.0, None], "target_year": [2025, 2025], "target_value": [56.0, 50.0],
                       "comparator": [">=", "="], "quote": ["q1", "q2"], "start": [5, None], "end": [9, None]})
    fig = charts.dumbbell_chart(df, all_labels=["甲市", "乙市", "丙市"], title_zh="标题", title_en="title", source="s")
    targets = next(t for t in fig.data if t.name == "目标 target")
    assert list(targets.customdata) == ["passages/a_plan.html#q-5-9", None]
    bars = charts.bar_chart(df, x="target_value", all_labels=["甲市"], title_zh="t", title_en="t", source="s")
    assert list(bars.data[0].customdata) == ["passages/a_plan.html#q-5-9", None]
    html = offline.PASSAGE_CLICK_JS
    assert "plotly_click" in html and "{plot_id}" in html and "window.location.href = h" in html
    assert re.search(r"/\^passages\\/.*#q-\\d\+-\\d\+\$/", html), "only a passage link is ever followed"


def test_plotly_figures_in_a_page_bind_the_click(monkeypatch):
    import plotly.graph_objects as go
    import plotly.io as pio

    from analysis.publish import offline

    offline.setup_plotly()
    bundle = pio.renderers["notebook"].to_mimebundle(go.Figure(go.Scatter(x=[1], y=[2], customdata=["x"])).to_dict())
    assert "plotly_click" in bundle["text/html"] and "{plot_id}" not in bundle["text/html"]


def test_explorer_rows_carry_the_link_of_their_target():
    from analysis.publish.explorer import ExplorerData, explorer_data

    corpus = pd.DataFrame({"doc_id": ["a"], "city_label": ["甲市"], "province": ["乙省"], "admin_level": ["prefecture"],
                           "kind": ["plan"]})
    pages = pd.DataFrame({"indicator_id": ["beds"], "indicator_zh": ["床位"], "indicator_en": ["beds"], "unit": ["%"],
                          "direction": ["higher_is_better"], "n_docs": [2]})
    values = pd.DataFrame({"doc_id": ["a"], "indicator_id": ["beds"], "scope": [""], "scope_zh": [None],
                           "baseline_value": [38.0], "target_value": [56.0], "comparator": [">="], "n_docs": [2],
                           "start": [161], "end": [186], "percentile": [100.0]})
    extra = pd.DataFrame(columns=["kind", "doc_id", "indicator_id", "label", "year", "value"])
    data = explorer_data(ExplorerData(corpus, pages, values, extra))
    assert data["vals"][0][7] == [161, 186] and data["pfile"] == {}  # the client links passages/a.html#q-161-186
    json.dumps(data)  # the page embeds it as JSON


def test_client_scripts_follow_only_passage_links():
    from analysis.publish.picker import APP_JS

    core, indicator, explorer = (p.read_text(encoding="utf-8") for p in APP_JS)
    assert "function passageHref" in core and "PASSAGE.test(h)" in core and "function passageOf" in core
    assert 'return passageHref("passages/"' in core  # a built link is checked like any other
    # every link the client writes into a cell or follows from a chart is built by passageOf
    assert "passageOf(r.d, r.o)" in indicator and "clickToPassage" in indicator
    assert "passageOf(d[0], v[7])" in explorer and "clickToPassage(dots)" in explorer
    # the indicator page's CSV download cites each row
    assert '"title", "doc_number", "issuer", "issued_date", "source_url", "page", "section", "passage"' in indicator


def test_a_row_comparing_two_documents_links_each_value_to_its_own_passage():
    df = pd.DataFrame({"old_doc_id": ["draft"], "old_start": [3], "old_end": [9], "old_target_value": [50.0],
                       "new_doc_id": ["final"], "new_start": [4], "new_end": [12], "new_target_value": [55.0]})
    page = tables.table_html(df, ["old_target_value", "new_target_value"],
                             passages={"old_target_value": ("old_doc_id", "old_start", "old_end"),
                                       "new_target_value": ("new_doc_id", "new_start", "new_end")})
    assert _hrefs(page) == ["passages/draft.html#q-3-9", "passages/final.html#q-4-12"]
