"""Every SQL file runs, has its header, binds its parameters; key questions answer correctly."""

from __future__ import annotations

import duckdb
import pytest

from analysis.warehouse.queries import (
    HEADER_KEYS,
    list_models,
    list_queries,
    parameters,
    read_header,
    read_model_header,
    run_query,
)

QUERIES = list_queries()

DIBAO_SERIES = {"urban_id": "dibao_urban_standard", "rural_id": "dibao_rural_standard"}


@pytest.fixture(scope="module")
def con(seed_build):
    c = duckdb.connect(str(seed_build / "plans.duckdb"), read_only=True)
    yield c
    c.close()


def test_the_contract_queries_exist():
    assert {"indicator_city_matrix", "nursing_bed_share_by_city", "dibao_targets_by_city", "dibao_history", "dibao_growth",
            "burial_coverage_by_city", "funeral_targets", "attribute_disagreements", "quality_flags",
            "indicator_omissions"} <= set(QUERIES)


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_has_a_header_and_runs(con, name):
    header = read_header(name)
    assert all(header.get(k) for k in HEADER_KEYS), f"{name}: header needs {HEADER_KEYS}"
    assert header["grain"].startswith("one row per")
    # values for the parameters a caller must name (no default in the header)
    sample = {"doc_id": "001_774dca76a55d8901", "indicator_id": "nursing_bed_share", "target_year": 2025,
              "domain": "养老服务", "growth_id": "dibao_growth", "ratio_id": "dibao_rural_urban_ratio",
              "share_id": "dibao_consumption_share", **DIBAO_SERIES}
    params = {k: v for k, v in sample.items() if k in parameters(name) and (k == "doc_id" or parameters(name)[k][1] is None)}
    df = run_query(con, name, **params)
    assert df.columns.is_unique


@pytest.mark.parametrize("model", list_models())
def test_every_model_has_a_header_and_was_built(con, model):
    header = read_model_header(model)
    assert all(header.get(k) for k in HEADER_KEYS), f"{model}: header needs {HEADER_KEYS}"
    assert header["grain"].startswith("one row per"), model
    assert header["parameters"] == "none", f"{model}: models take no parameters"
    stem = model.split("/")[1]
    assert con.execute("SELECT count(*) FROM duckdb_tables() t FULL JOIN duckdb_views() v ON FALSE "
                       "WHERE coalesce(t.table_name, v.view_name) = ?", [stem]).fetchall()[0][0] == 1, stem


def test_the_model_layers_exist():
    models = list_models()
    assert {m.split("/")[0] for m in models} == {"staging", "intermediate", "marts"}
    assert "marts/targets" in models and "staging/stg_raw_targets" in models


def test_table_prose_conflicts_name_their_indicator_by_id(con):
    c = run_query(con, "table_prose_conflicts")
    assert len(c) and c.indicator_id.notna().all()
    assert set(c.indicator_id) >= {"social_worker_count"}


def test_unknown_parameter_is_refused(con):
    with pytest.raises(ValueError, match="unknown parameter"):
        run_query(con, "corpus_overview", city="x")


@pytest.mark.parametrize("hostile", ["O'Brien县", "'; DROP TABLE targets; --", "$kind", "甲市\" OR 1=1 --"])
def test_parameters_are_bound_never_formatted(con, hostile):
    assert run_query(con, "city_profile", doc_id=hostile).empty
    assert run_query(con, "quality_flags", kind=hostile).empty
    assert con.execute("SELECT count(*) FROM targets").fetchall()[0][0] > 0


def test_nursing_beds(con):
    df = run_query(con, "nursing_bed_share_by_city", indicator_id="nursing_bed_share", target_year=2025).set_index("city_label")
    assert set(df.index) == {"重庆市永川区", "晋中市", "威海市", "呼伦贝尔市"}  # the unnamed excerpt does not state it
    yc = df.loc["重庆市永川区"]
    assert (yc.baseline_value, yc.target_value, yc.benchmark_value) == (33.4, 60, 55)
    assert yc.pp_per_year_needed == pytest.approx((60 - 33.4) / 5)
    assert df.loc["呼伦贝尔市"].gap_to_benchmark_pp == 0


def test_each_city_states_the_three_named_indicators_on_one_id(con):
    m = run_query(con, "indicator_city_matrix")
    for ind, cities in {"nursing_bed_share": {"重庆市永川区", "晋中市", "威海市", "呼伦贝尔市"},
                        "dibao_growth": {"重庆市永川区", "晋中市", "呼伦贝尔市"},
                        # 000 names no city; its 村级公益性公墓全覆盖 (qualitative) is a burial-coverage statement too
                        "burial_facility_coverage": {"重庆市永川区", "晋中市", "呼伦贝尔市", "未署名城市 unnamed (000)"}}.items():
        assert set(m[m.indicator_id == ind].city_label) == cities, ind
    burial = run_query(con, "burial_coverage_by_city", indicator_id="burial_facility_coverage")
    burial = burial[burial.source_kind == "table"].set_index("city_label")  # prose rows (公墓覆盖率) carry no scope
    assert burial.loc["重庆市永川区", "scope"] == "urban_rural" and burial.loc["晋中市", "scope"] == "county"
    assert burial.loc["呼伦贝尔市", "scope_zh"] == "旗市区级城乡"


def test_every_table_row_is_aligned_or_listed_as_unmatched(con):
    n_table = con.execute("SELECT count(*) FROM targets WHERE source_kind = 'table'").fetchall()[0][0]
    aligned = con.execute("SELECT count(*) FROM targets WHERE source_kind = 'table' AND indicator_id IS NOT NULL").fetchall()[0][0]
    listed = con.execute("SELECT count(*) FROM unmatched_names WHERE source_kind = 'table'").fetchall()[0][0]
    assert n_table == 49 and aligned + listed == n_table


def test_dibao_history_and_growth(con):
    hist = run_query(con, "dibao_history", **DIBAO_SERIES)
    assert list(hist.year) == [2016, 2017, 2018, 2019, 2020]
    row = hist.set_index("year").loc[2020]
    assert (row.urban_monthly_yuan, row.rural_annual_yuan) == (660, 6016)
    assert row.rural_urban_ratio_pct == pytest.approx(100 * 6016 / 12 / 660)
    growth = run_query(con, "dibao_growth", **DIBAO_SERIES).set_index("series")
    assert growth.loc["rural", "cagr_pct"] == pytest.approx(100 * ((6016 / 3500) ** 0.25 - 1))


def test_qualitative_dibao_targets_keep_their_words(con):
    d = run_query(con, "dibao_targets_by_city", growth_id="dibao_growth", ratio_id="dibao_rural_urban_ratio",
                  share_id="dibao_consumption_share")
    growth = d[(d.indicator_id == "dibao_growth") & (d.source_kind == "table")]
    assert set(growth.comparator) == {"qualitative"} and growth.target_value.isna().all()
    assert growth.target_text.str.contains("人均消费支出增速").all()


def test_missing_is_not_zero(con):
    om = run_query(con, "indicator_omissions")
    assert ((om.doc_id == "003_929fda9090cd90b8") & (om.indicator_id == "burial_facility_coverage")).any()
    cov = run_query(con, "indicator_coverage")
    row = cov[(cov.doc_id == "003_929fda9090cd90b8") & (cov.indicator_id == "burial_facility_coverage")]
    assert row.stated.tolist() == [False]


def test_attribute_disagreements(con):
    a = run_query(con, "attribute_disagreements").set_index("indicator_id")
    assert "晋中市" in a.loc["dibao_growth", "expected_cities"] and "重庆市永川区" in a.loc["dibao_growth", "binding_cities"]


def test_statement_status_tells_unaligned_from_not_stated(con):
    s = run_query(con, "indicator_statement_status").set_index(["doc_id", "indicator_id"])
    assert set(s.status) == {"stated", "unaligned", "not_stated"}
    assert s.loc[("003_929fda9090cd90b8", "burial_facility_coverage"), "status"] == "not_stated"
    assert s.loc[("001_774dca76a55d8901", "nursing_bed_share"), "status"] == "stated"
    unaligned = s[s.status == "unaligned"]
    assert unaligned.raw_names.notna().all() and unaligned.status_label.str.contains("未对齐").all()
    # a name the registry missed is shown as written, never as 未提及
    missed = con.execute("SELECT DISTINCT doc_id, candidate_id FROM targets t JOIN name_matches n USING (raw_name) "
                         "WHERE t.indicator_id IS NULL AND n.candidate_id IS NOT NULL").fetchall()
    for doc_id, cand in missed:
        assert s.loc[(doc_id, cand), "status"] != "not_stated"


def test_report_queries_hard_code_no_indicator_id_or_year():
    """Report queries bind the indicator and the year they ask about (the notebook names them)."""
    import re

    from analysis import config

    registry = (config.REFERENCE_DIR / "indicators.yaml").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\s*-?\s*id:\s*([a-z0-9_]+)", registry, re.M))
    assert len(ids) > 50
    for name in list_queries():
        body = "\n".join(line for line in (config.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
                         if not line.startswith("--"))
        literals = set(re.findall(r"'([a-z0-9_]+)'", body))
        assert not literals & ids, f"{name}.sql names {sorted(literals & ids)}: bind it as a parameter"
        assert not re.search(r"(?<![\w.])20[0-9]{2}(?![\w.])", body), f"{name}.sql writes a year: bind it as a parameter"


def test_a_required_parameter_must_be_given(con):
    with pytest.raises(ValueError, match="indicator_id must be given"):
        run_query(con, "burial_coverage_by_city")
