"""open_report(), the notebooks' own logic on crafted cases, and the asserts that guard quoted figures.

The notebooks' code cells run in this process (no kernel, no HTML): fast enough for every run of the
fast suite, and each notebook's asserts run too. A crafted document (in a copy of the fixture
database) carries the cases the three reported bugs got wrong.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import duckdb
import nbformat
import pandas as pd
import pytest

from analysis import config
from analysis.publish import tables, views
from analysis.publish.notebook import open_report

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
CRAFTED = "crafted_steps"


def run_notebook(path, **params) -> tuple[dict, list]:
    """Execute a notebook's code cells here; parameters override the parameters cell. → (namespace, shown)."""
    nb = nbformat.read(path, as_version=4)
    ns: dict = {}
    shown: list = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        name = f"{path.name} cell {i}"
        tree = ast.parse(cell.source, name)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, name, "exec"), ns)
        if last is not None:  # like IPython: a cell's last expression is shown
            value = eval(compile(ast.Expression(last.value), name, "eval"), ns)
            if value is not None:
                shown.append(value)
        if "parameters" in cell.metadata.get("tags", []):
            ns.update(params)
        ns["display"] = lambda *objs, **_: shown.extend(objs)
    return ns, shown


def notebook(stem: str):
    return next(p for p in NOTEBOOKS if p.stem == stem)


@pytest.fixture(scope="module")
def fixture_db(report_db):
    return report_db


def _insert_targets(con, rows: list[dict]) -> None:
    base = {"city": "阶梯测试市", "city_label": "阶梯测试市", "province": "测试省", "admin_level": "prefecture",
            "curated": False, "unit": "%", "unit_raw": "%", "attribute": "约束性"}
    for r in rows:
        row = {**base, "doc_id": CRAFTED, **r}
        cols = ", ".join(f'"{c}"' for c in row)
        con.execute(f"INSERT INTO targets ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


@pytest.fixture(scope="module")
def crafted_db(fixture_db, tmp_path_factory):
    """The fixture database plus one document: a 2023 milestone and a 2025 target for the same share,
    and a cremation rate stated in its table (preferred) and, differently, in its prose."""
    path = tmp_path_factory.mktemp("crafted") / "crafted.duckdb"
    shutil.copy(fixture_db, path)
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO documents (doc_id, file_name, city, city_label, province, admin_level, kind, title, "
                "n_chars, n_flags, n_targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [CRAFTED, f"{CRAFTED}.txt", "阶梯测试市", "阶梯测试市", "测试省", "prefecture", "plan",
                 "阶梯测试市民政规划", 100, 0, 4])
    beds = {"indicator_id": "nursing_bed_share", "indicator_zh": "养老机构护理型床位占比", "raw_name": "护理型床位占比",
            "indicator_en": "Nursing-type bed share", "domain": "养老服务", "baseline_year": 2020,
            "baseline_value": 40.0, "comparator": ">=", "source_kind": "table", "preferred": True}
    cremation = {"indicator_id": "cremation_rate", "indicator_zh": "火化率", "raw_name": "火化率",
                 "indicator_en": "Cremation rate", "domain": "殡葬服务", "target_year": 2025, "comparator": "="}
    _insert_targets(con, [
        {**beds, "target_year": 2023, "target_value": 50.0, "quote": "表：2023年阶段目标 50%"},
        {**beds, "target_year": 2025, "target_value": 58.0, "quote": "表：2025年目标 58%"},
        {**cremation, "target_value": 100.0, "source_kind": "table", "preferred": True, "quote": "表：火化率 100%"},
        {**cremation, "target_value": 96.0, "source_kind": "prose", "preferred": False, "quote": "正文：火化率达到96%"},
    ])
    con.close()
    return path


# --------------------------------------------------------------------------- open_report


def test_open_report_reads_the_database_once_set_up(fixture_db):
    report = open_report(fixture_db)
    n_docs = report.con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    assert report.n_docs == n_docs == len(report.all_labels)
    assert report.corpus["doc_id"].is_unique
    assert report.document()["doc_id"] == report.corpus["doc_id"].iloc[0]
    assert not report.run_query("nursing_bed_share_by_city", indicator_id="nursing_bed_share", target_year=2025).empty
    assert report.source(["hostile_plan"], "基准 benchmark: 测试").endswith("; 基准 benchmark: 测试")
    with pytest.raises(duckdb.Error):  # read-only: a notebook cannot change the data it reports
        report.con.execute("DELETE FROM targets")
    with pytest.raises(LookupError, match="no document 'nope'"):
        report.document("nope")
    import plotly.io as pio

    assert pio.renderers.default == "plotly_mimetype+notebook" and pd.get_option("display.max_columns") == 50


def test_open_report_names_a_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.duckdb"):
        open_report(tmp_path / "missing.duckdb")


def test_every_notebook_sets_up_with_open_report():
    for path in NOTEBOOKS:
        src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert len(re.findall(r"open_report\(db_path(, plotly=False)?\)", src)) == 1, path.name
        assert "connect(" not in src and "DB_PATH" not in src, path.name


# --------------------------------------------------------------------------- every notebook, in process


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_logic_runs_and_its_asserts_hold(path, fixture_db):
    ns, shown = run_notebook(path, db_path=str(fixture_db))
    assert shown, f"{path.name} shows nothing"


def test_city_profile_runs_for_every_document(fixture_db):
    for doc_id in open_report(fixture_db).corpus["doc_id"]:
        run_notebook(notebook("07-city-profile"), db_path=str(fixture_db), doc_id=doc_id)


# --------------------------------------------------------------------------- the three reported bugs


def test_city_profile_charts_the_plan_horizon_target_and_milestones_as_milestones(crafted_db):
    ns, shown = run_notebook(notebook("07-city-profile"), db_path=str(crafted_db), doc_id=CRAFTED)
    figs = [o for o in shown if hasattr(o, "to_dict")]
    dumbbell = next(f for f in figs if "基期" in f.layout.title.text)
    traces = {t.name: t for t in dumbbell.data if t.name}
    target = dict(zip(traces["目标 target"].y, traces["目标 target"].x))
    assert target["养老机构护理型床位占比"] == 58.0  # the 2025 target, not the 2023 step
    assert list(traces["阶段目标 milestone"].x) == [50.0] and list(traces["阶段目标 milestone"].text) == ["2023"]
    assert list(traces["阶段目标 milestone"].y) == ["养老机构护理型床位占比"]
    assert ns["n_milestones"] == 1 and ns["n_horizon"] == 2  # beds (2025) and cremation; the 2023 step apart


def test_funeral_rates_use_the_preferred_table_value_not_the_prose(crafted_db):
    ns, _ = run_notebook(notebook("04-funeral-services"), db_path=str(crafted_db))
    mine = ns["rates"][ns["rates"]["doc_id"] == CRAFTED]
    assert mine[["source_kind", "target_value"]].values.tolist() == [["table", 100.0]]


def test_pp_per_year_keeps_its_decimals_and_years_stay_bare():
    df = pd.DataFrame({"city_label": ["甲", "乙", "丙"], "baseline_year": [2020, 2020, 2019],
                       "pp_per_year_needed": [5.32, 2.6, 3.3], "target_year": [2025.0, 2025.0, 2025.0]})
    out = tables.table_html(df)
    for shown in (">5.32<", ">2.6<", ">3.3<", ">2020<", ">2019<", ">2025<"):
        assert shown in out, shown
    assert ">5<" not in out and ">2,020<" not in out


# --------------------------------------------------------------------------- asserts can fail


def test_a_quoted_figure_that_disagrees_stops_the_notebook(crafted_db, tmp_path):
    """A second preferred 2025 nursing-bed row for one document breaks "one row per document stating it"."""
    path = tmp_path / "broken.duckdb"
    shutil.copy(crafted_db, path)
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO targets SELECT * FROM targets WHERE doc_id = ? AND indicator_id = 'nursing_bed_share' "
                "AND target_year = 2025", [CRAFTED])
    con.close()
    with pytest.raises(AssertionError):
        run_notebook(notebook("02-elderly-care-nursing-beds"), db_path=str(path))


# --------------------------------------------------------------------------- library pieces


def test_tables_does_not_import_charts_or_change_plotting_settings():
    code = ("import sys, analysis.publish.tables, analysis.publish.views, analysis.publish.format; "
            "print(sorted(m for m in ('plotly', 'pyecharts', 'analysis.publish.charts') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=config.ROOT).stdout.strip()
    assert out == "[]"


def test_horizon_and_milestones_split_per_indicator_and_scope():
    df = pd.DataFrame({"indicator_id": ["a", "a", "a", "b"], "scope": ["county", "county", None, None],
                       "target_year": [2022, 2025, 2023, 2024], "target_value": [1.0, 2.0, 3.0, 4.0]})
    horizon, milestones = views.horizon_and_milestones(df)
    assert sorted(horizon["target_value"]) == [2.0, 3.0, 4.0]  # a/county 2025; a/no scope 2023; b 2024
    assert milestones["target_value"].tolist() == [1.0]


def test_ties_at_the_top_are_all_named():
    df = pd.DataFrame({"doc_id": ["1", "2", "3"], "city_label": ["甲", "乙", "丙"], "v": [60.0, 55.0, 60.0]})
    assert views.tied_at_top(df, "v") == (["甲", "丙"], 60.0)
    assert views.tied_at_top(df.iloc[0:0], "v") == ([], None)


def test_stated_as_keeps_words_ranges_and_comparators():
    df = pd.DataFrame({"comparator": ["qualitative", "range", ">=", "="], "target_value": [None, 30.0, 90.0, 600.0],
                       "target_value_high": [None, 40.0, None, None], "unit": ["%", "%", "%", "元"],
                       "target_text": ["不低于上年度增速", "30%-40%", "≥90%", "600元"]})
    assert views.stated_as(df)["stated_as"].tolist() == ["不低于上年度增速", "30–40%", "≥90%", "600 元"]


def test_every_code_in_the_data_has_a_bilingual_label(fixture_db):
    from analysis.publish.format import label

    con = duckdb.connect(str(fixture_db), read_only=True)
    fields = {"kind": ["SELECT DISTINCT kind FROM documents", "SELECT DISTINCT kind FROM quality_flags"],
              "admin_level": ["SELECT DISTINCT admin_level FROM documents"],
              "scope": ["SELECT DISTINCT scope FROM targets"], "source_kind": ["SELECT DISTINCT source_kind FROM targets"],
              "severity": ["SELECT DISTINCT severity FROM quality_flags"], "stage": ["SELECT DISTINCT stage FROM quality_flags"]}
    for field, sqls in fields.items():
        for sql in sqls:
            for (code,) in con.execute(sql).fetchall():
                if code is not None:
                    shown = label(field, code)
                    assert shown != code and any("\u4e00" <= ch <= "\u9fff" for ch in shown), \
                        f"{field}={code!r} has no bilingual label in data/reference/labels.yaml"
    con.close()


def test_tables_show_labels_not_codes():
    df = pd.DataFrame({"admin_level": ["county", "prefecture"], "scope": ["urban_rural", None],
                       "kind": ["table_prose_conflict", "news"]})
    out = tables.table_html(df)
    assert ">县级 county<" in out and ">城乡 urban &amp; rural<" in out and ">新闻 news<" in out
    assert "表格与正文不一致" in out and ">county<" not in out and ">urban_rural<" not in out


def test_table_filter_matches_traditional_characters():
    df = pd.DataFrame({"indicator_zh": ["养老机构护理型床位占比"], "quote": ["</script>护理"]})
    html_out = tables.searchable_table(df, {"indicator_zh": "指标", "quote": "原文"}).data
    mapping = tables.traditional_map("养老机构护理")
    assert mapping["養"] == "养" and mapping["護"] == "护" and mapping["機"] == "机"
    assert "\\u990a" in html_out  # 養 → 养 travels (ASCII-escaped) with the table's filter
    assert html_out.count("</script>") == 1  # the document text cannot close the filter's script


def test_grouped_bars_carry_a_static_twin_for_the_png():
    from analysis.publish import charts

    df = pd.DataFrame({"indicator_zh": ["甲", "甲", "乙"], "city_label": ["晋中市", "威海市", "晋中市"],
                       "target_value": [1.0, 2.0, 3.0], "quote": ["q", "q", "q"]})
    bundle = charts.grouped_bar_chart(df, category_col="indicator_zh", series_col="city_label",
                                      value_col="target_value", title_zh="甲乙", title_en="AB",
                                      source="来源 Source: t")._repr_mimebundle_()
    assert "echarts.init(" in bundle["text/html"]
    twin = bundle["application/vnd.plotly.v1+json"]
    by_city = {t["name"]: t["y"] for t in twin["data"]}
    assert by_city == {"晋中市": [1.0, 3.0], "威海市": [2.0, None]}  # 威海 states 乙 nowhere: a gap, not 0


def test_percentile_dots_stay_short_show_gaps_and_spread_ties():
    from analysis.publish import charts

    rows = []
    for i in range(30):  # 30 indicators, three documents each, all tied
        for d, city in enumerate(["甲市", "乙市", "丙市"]):
            rows.append({"indicator_id": f"i{i:02d}", "indicator_zh": f"指标{i:02d}", "indicator_en": "x", "scope": None,
                         "scope_zh": None, "doc_id": str(d), "city_label": city, "target_value": 100.0, "unit": "%",
                         "comparator": "=", "n_docs": 3 if i else 2, "n_tied": 3, "rank": 1, "percentile": 50.0,
                         "quote": "q"})
    pct = pd.DataFrame(rows)
    pct = pct[~((pct["indicator_id"] == "i00") & (pct["city_label"] == "丙市"))]  # 丙 does not state i00
    fig = charts.percentile_dots_chart(pct, title_zh="甲", title_en="A", source="来源 Source: t", max_rows=20)
    assert fig.layout.height <= 1300
    dots = [t for t in fig.data if t.mode == "markers" and t.name in ("甲市", "乙市", "丙市")]
    ys = [y for t in dots for y in t.y]
    assert len(ys) == len(set(ys))  # tied cities never share a point
    by_city = {t.name: len(t.y) for t in dots}
    assert by_city == {"甲市": 20, "乙市": 20, "丙市": 20}  # i00 (2 documents) is past the first 20 rows
    assert any("10 more indicators" in a.text.replace("<br>", " ") for a in fig.layout.annotations)
