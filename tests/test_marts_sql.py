"""The SQL marts (queries/staging → intermediate → marts) against an independent pandas computation of
the same rules (the pre-SQL implementation), plus the rules one at a time on tiny in-memory tables."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import ROOT

from analysis import columns
from analysis.align import marts
from analysis.align.models import ModelError, model_files, run_models
from analysis.warehouse.db import create_tables, insert_rows

SOURCE_RANK = {"table": 0, "series": 0, "prose": 1}


@pytest.fixture(scope="module")
def seeds(seed_build):
    con = duckdb.connect(str(seed_build / "plans.duckdb"), read_only=True)
    yield con
    con.close()


def pandas_targets(con) -> pd.DataFrame:
    """The alignment rules in pandas, row by row (how build_marts worked before the SQL marts)."""
    raw = con.execute("SELECT * FROM raw_targets ORDER BY doc_id, target_no").df()
    docs = {r.doc_id: r for r in con.execute("SELECT * FROM documents").df().itertuples()}
    nm = {(r.raw_name, None if pd.isna(r.unit_raw) else r.unit_raw): r for r in con.execute("SELECT * FROM name_matches").df().itertuples()}
    ind = {r.indicator_id: r for r in con.execute("SELECT * FROM indicators").df().itertuples()}
    conv = {(r.from_unit, r.to_unit): r.factor for r in con.execute("SELECT * FROM unit_conversions").df().itertuples()}
    flags = con.execute("SELECT doc_id, start, \"end\", kind FROM quality_flags WHERE stage = 'extract' AND start IS NOT NULL").fetchall()
    val = lambda v: None if pd.isna(v) else v  # noqa: E731
    rows = []
    for r in raw.itertuples(index=False):
        m = nm[(r.raw_name, val(r.unit))]
        i = ind.get(val(m.indicator_id))
        kinds = sorted({k for d, s, e, k in flags if d == r.doc_id and s < r.end and r.start < e})
        v = {k: val(getattr(r, k)) for k in ("baseline_value", "target_value", "target_value_high")}
        unit = val(r.unit)
        factor = conv.get((unit, i.unit)) if i is not None and unit and unit != i.unit else None
        if factor is not None and "suspect_unit" not in kinds:
            v = {k: (x * factor if x is not None else None) for k, x in v.items()}
            unit = i.unit
        d = docs[r.doc_id]
        rows.append({"doc_id": r.doc_id, "target_no": r.target_no, "city": val(d.city), "city_label": d.city_label,
                     "province": val(d.province), "admin_level": val(d.admin_level),
                     "indicator_id": i.indicator_id if i is not None else None,
                     "indicator_zh": i.indicator_zh if i is not None else None,
                     "indicator_en": i.indicator_en if i is not None else None,
                     "domain": i.domain if i is not None else None, "raw_name": r.raw_name,
                     "scope": val(m.scope), "scope_zh": val(m.scope_zh), **v,
                     "baseline_year": val(r.baseline_year), "target_year": val(r.target_year),
                     "comparator": val(r.comparator), "target_text": val(r.target_text), "unit": unit,
                     "unit_raw": val(r.unit), "target_value_raw": val(r.target_value),
                     "baseline_value_raw": val(r.baseline_value), "attribute": val(r.attribute),
                     "source_kind": r.source_kind, "quote": r.quote, "start": r.start, "end": r.end,
                     "raw_start": r.raw_start, "raw_end": r.raw_end, "page": val(r.page), "page_label": val(r.page_label),
                     "value_kind": val(r.value_kind) or "level", "curated": False, "flags": ",".join(kinds) or None})
    t = pd.DataFrame(rows)
    for c in yaml.safe_load((ROOT / "data/curation/corrections.yaml").read_text(encoding="utf-8"))["corrections"]:
        mask = (t.doc_id == c["doc_id"]) & (t.raw_name == c["raw_name"])
        if c.get("source_kind"):
            mask &= t.source_kind == c["source_kind"]
        if c.get("target_year"):
            mask &= t.target_year == c["target_year"]
        t.loc[mask, c["field"]] = c["value"]
        t.loc[mask, "curated"] = True
    key = t.indicator_id.fillna("raw:" + t.raw_name)
    order = t.assign(_k=key, _s=t.scope.fillna(""), _series=t.source_kind == "series",
                     _y=t.target_year.fillna(t.baseline_year).fillna(-1), _r=t.source_kind.map(SOURCE_RANK).fillna(2))
    order = order.sort_values(["doc_id", "_k", "_s", "_series", "_y", "_r", "target_no"], kind="stable")
    t["preferred"] = (~order.duplicated(["doc_id", "_k", "_s", "_series", "_y"])).reindex(t.index)
    return t.sort_values(["doc_id", "target_no"]).reset_index(drop=True)


def test_sql_targets_equal_the_pandas_rules_on_the_seeds(seeds):
    sql = seeds.execute("SELECT * FROM targets").df()
    ref = pandas_targets(seeds)
    assert len(sql) == len(ref) > 100
    citation = {"quote", "title", "doc_number", "issuer", "issued_date", "source_url", "section", "superseded"}
    for col in [c for c in columns.column_names("targets") if c not in citation]:  # citation: tests/test_citation.py
        a, b = sql[col].tolist(), ref[col].tolist()
        same = [(pd.isna(x) and pd.isna(y)) or x == y or (isinstance(x, float) and abs(x - float(y)) < 1e-9)
                for x, y in zip(a, b)]
        assert all(same), (col, [(x, y) for x, y, s in zip(a, b, same) if not s][:3])


def test_the_targets_mart_has_the_contract_columns_in_order(seeds):
    got = [r[0] for r in seeds.execute("DESCRIBE targets").fetchall()]
    assert got == columns.column_names("targets")
    types = {r[0]: r[1] for r in seeds.execute("DESCRIBE targets").fetchall()}
    assert types == columns.schema("targets")


def test_one_preferred_row_per_document_indicator_scope_year(seeds):
    dup = seeds.execute("""SELECT doc_id, coalesce(indicator_id, raw_name), scope, source_kind = 'series',
                                  coalesce(target_year, baseline_year), count(*) FILTER (WHERE preferred)
                           FROM targets GROUP BY ALL HAVING count(*) FILTER (WHERE preferred) <> 1""").fetchall()
    assert dup == []


def test_alignment_never_updates_documents_and_numbers_flags_per_document(seeds):
    assert "region" not in [r[0] for r in seeds.execute("DESCRIBE documents").fetchall()]
    assert seeds.execute("SELECT count(*) FROM document_regions WHERE region IS NOT NULL").fetchall()[0][0] >= 4
    dup = seeds.execute("SELECT doc_id, flag_no FROM quality_flags GROUP BY ALL HAVING count(*) > 1").fetchall()
    assert dup == []
    assert seeds.execute("SELECT max(flag_no) FROM quality_flags").fetchall()[0][0] < 1000


# ---------------------------------------------------------------- the rules on tiny tables

DOCS = [{"doc_id": "d", "city": "某市", "city_label": "某市", "province": "某省", "admin_level": "prefecture"}]


def _row(no, name, **kw):
    base = {"doc_id": "d", "target_no": no, "raw_name": name, "source_kind": "table", "quote": name, "start": no * 100,
            "end": no * 100 + 20, "raw_start": no * 100, "raw_end": no * 100 + 20, "target_year": 2025,
            "comparator": "="}
    return {**base, **kw}


@pytest.fixture()
def tiny(tmp_path):
    con = duckdb.connect()
    create_tables(con)
    insert_rows(con, "documents", DOCS)
    cur = tmp_path / "cur"
    cur.mkdir()
    (cur / "corrections.yaml").write_text("corrections: []\n", encoding="utf-8")
    return con, cur


def _build(con, cur, raw, flags=()):
    insert_rows(con, "raw_targets", raw)
    insert_rows(con, "quality_flags", list(flags))
    return marts.build_marts(con, ROOT / "data/reference", cur)


def test_a_suspect_unit_is_never_rescaled_and_raw_values_are_kept(tiny):
    con, cur = tiny
    _build(con, cur, [_row(0, "建立党组织的社会组织数", target_value=640.0, baseline_value=500.0, unit="万个"),
                      _row(1, "社会组织专职工作人员数量", target_value=1.5, baseline_value=1.2, unit="万人")],
           [{"doc_id": "d", "flag_no": 0, "stage": "extract", "kind": "suspect_unit", "severity": "warning",
             "message": "m", "start": 5, "end": 10}])
    t = con.execute("SELECT raw_name, target_value, baseline_value, unit, unit_raw, target_value_raw, baseline_value_raw, "
                    "flags FROM targets ORDER BY start").fetchall()
    assert t[0] == ("建立党组织的社会组织数", 640.0, 500.0, "万个", "万个", 640.0, 500.0, "suspect_unit")
    assert t[1] == ("社会组织专职工作人员数量", 15000.0, 12000.0, "人", "万人", 1.5, 1.2, None)


def test_preferred_is_table_before_prose_and_per_year(tiny):
    con, cur = tiny
    _build(con, cur, [_row(0, "护理型床位比例", target_value=50.0, unit="%", source_kind="prose"),
                      _row(1, "养老机构护理型床位占比", target_value=55.0, unit="%"),
                      _row(2, "护理型床位比例", target_value=45.0, unit="%", source_kind="prose", target_year=2023)])
    got = con.execute("SELECT target_value, preferred FROM targets ORDER BY start").fetchall()
    assert got == [(50.0, False), (55.0, True), (45.0, True)]


def test_corrections_apply_from_the_table_and_are_logged(tiny, tmp_path):
    con, cur = tiny
    (cur / "corrections.yaml").write_text(yaml.safe_dump({"corrections": [
        {"doc_id": "d", "raw_name": "某项指标", "field": "indicator_id", "value": "cremation_rate", "reason": "checked",
         "curator": "t", "date": "2026-12-01"},
        {"doc_id": "d", "raw_name": "某项指标", "field": "target_value", "value": 96, "reason": "typo in the table",
         "curator": "t", "date": "2026-12-01"},
        {"doc_id": "d", "raw_name": "无此指标", "field": "unit", "value": "%", "reason": "stale", "curator": "t"}]},
        allow_unicode=True), encoding="utf-8")
    rep = _build(con, cur, [_row(0, "某项指标", target_value=69.0, unit="%")])
    assert con.execute("SELECT indicator_id, indicator_zh, target_value, curated FROM targets").fetchall() == [
        ("cremation_rate", "火化率", 96.0, True)]
    log = con.execute("SELECT field, old_value, value FROM curation_log").fetchall()
    assert log == [("indicator_id", None, "cremation_rate"), ("target_value", "69.0", "96")]
    assert rep.n_curated == 2 and len(rep.unmatched_corrections) == 1
    flags = con.execute("SELECT kind, message FROM quality_flags WHERE stage = 'align'").fetchall()
    assert flags == [("curation_unmatched", "人工校订未匹配任何记录 / correction matches no statement: "
                                            "corrections.yaml entry 3 (d / 无此指标)")]


def test_align_flags_follow_the_documents_own_and_a_rebuild_replaces_them(tiny):
    con, cur = tiny
    own = [{"doc_id": "d", "flag_no": n, "stage": "clean", "kind": "spam_removed", "severity": "info", "message": "m"}
           for n in range(3)]
    _build(con, cur, [_row(0, "甲乙丙丁率", target_value=1.0, unit="%"), _row(1, "戊己庚辛率", target_value=2.0, unit="%")], own)
    q = "SELECT flag_no, kind FROM quality_flags ORDER BY flag_no"
    first = con.execute(q).fetchall()
    assert [n for n, _ in first] == [0, 1, 2, 3, 4] and {k for n, k in first if n >= 3} == {"unmatched_indicator"}
    marts.build_marts(con, ROOT / "data/reference", cur)
    assert con.execute(q).fetchall() == first


def test_the_citation_hook_runs_after_targets_and_before_export(tiny, monkeypatch, tmp_path):
    con, cur = tiny
    seen = []
    monkeypatch.setattr(marts, "after_targets", lambda c, *_: seen.append(c.execute("SELECT count(*) FROM targets").fetchall()[0][0]))
    _build(con, cur, [_row(0, "火化率", target_value=90.0, unit="%")])
    assert seen == [1]


def test_models_run_after_the_models_they_read(tmp_path):
    for layer in ("staging", "intermediate", "marts"):
        (tmp_path / layer).mkdir()
    head = "-- purpose: p\n-- grain: one row per x\n-- inputs: {}\n-- parameters: none\n-- used by: t\n"
    (tmp_path / "marts" / "a_second.sql").write_text(head.format("b_first") + "SELECT n + 1 AS n FROM b_first", encoding="utf-8")
    (tmp_path / "marts" / "b_first.sql").write_text(head.format("nothing") + "SELECT 1 AS n", encoding="utf-8")
    assert [p.stem for p in model_files(tmp_path)] == ["b_first", "a_second"]
    con = duckdb.connect()
    run_models(con, tmp_path)
    assert con.execute("SELECT n FROM a_second").fetchall() == [(2,)]
    (tmp_path / "marts" / "c_bad.sql").write_text(head.format("none") + "SELECT * FROM no_such_table", encoding="utf-8")
    with pytest.raises(ModelError, match="marts/c_bad.sql"):
        run_models(con, tmp_path)


def test_duplicate_city_flags_are_numbered_after_each_documents_own():
    from analysis.build import _duplicate_flags

    docs = [{"doc_id": "a", "city": "某市", "period": "2021-2025", "n_flags": 4},
            {"doc_id": "b", "city": "某市", "period": "2021-2025", "n_flags": 0},
            {"doc_id": "c", "city": "另市", "period": "2021-2025", "n_flags": 2}]
    rows = _duplicate_flags(docs)
    assert [(r["doc_id"], r["flag_no"]) for r in rows] == [("a", 4), ("b", 0)]
    assert all(r["kind"] == "duplicate_city_period" for r in rows)
