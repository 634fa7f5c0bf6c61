"""Plan lineage (依据《…》 / 根据《…》) and versions (sidecar `supersedes`): newest preferred, changes listed."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from fixtures.cite_corpus import build_corpus

from analysis.extract.lineage import extract_lineage, parent_level
from analysis.warehouse.queries import run_query


def test_parents_named_after_a_basis_verb_are_extracted_with_offsets():
    text = ("前言\n本规划按照《丁省养老服务体系建设“十四五”规划》要求,并衔接《戊市国土空间总体规划》,"
            "依据《国家积极应对人口老龄化中长期规划》编制。\n全面落实《关于推进养老服务发展的意见》。\n")
    got = extract_lineage(text)
    assert [r["parent_title"] for r in got] == ["丁省养老服务体系建设“十四五”规划", "戊市国土空间总体规划",
                                                "国家积极应对人口老龄化中长期规划"]
    assert [r["relation"] for r in got] == ["按照"] * 3  # the sentence's verb
    for r in got:
        assert text[r["start"]:r["end"]] == r["parent_title"]
    assert not any("意见" in r["parent_title"] for r in got)  # an opinion carried out is not a parent plan


def test_a_sentence_without_a_basis_verb_names_no_parent():
    assert extract_lineage("《某市民政事业发展规划》印发以来,成效明显。") == []


@pytest.mark.parametrize("title,level", [
    ("“十四五”民政事业发展规划", "national"), ("国家老龄事业发展规划", "national"),
    ("己省“十四五”民政事业发展规划", "province"), ("某自治区“十四五”民政事业发展规划", "province"),
    ("庚市国民经济和社会发展第十四个五年规划纲要", "prefecture"), ("辛县民政事业发展“十四五”规划", "county"),
    ("重庆市壬区国民经济和社会发展第十四个五年规划纲要", "county"), ("上海市民政事业发展“十四五”规划", "province")])
def test_parent_level_from_the_title(title, level):
    assert parent_level(title) == level


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("lineage"))


@pytest.fixture()
def con(db):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_plan_lineage_table_resolves_parents_in_the_corpus(con):
    df = run_query(con, "plan_lineage")
    a = df[df["doc_id"] == "a_plan"]
    assert list(a["parent_level"]) == ["province", "prefecture"] and a["parent_doc_id"].isna().all()
    b = df[df["doc_id"].isin(["b_draft", "b_final"])]
    assert list(b["parent_doc_id"]) == ["a_plan", "a_plan"] and set(b["relation"]) == {"根据"}


def test_superseded_version_is_marked_and_never_preferred(con):
    rows = con.execute("SELECT doc_id, bool_and(superseded), bool_or(preferred) FROM targets "
                       "WHERE doc_id LIKE 'b_%' GROUP BY doc_id ORDER BY doc_id").fetchall()
    assert rows == [("b_draft", True, False), ("b_final", False, True)]
    assert con.execute("SELECT count(*) FROM targets WHERE doc_id = 'a_plan' AND superseded").fetchone()[0] == 0


def test_version_changes_target_by_target(con):
    df = run_query(con, "version_changes")
    got = {r.indicator_id: (r.old_target_value, r.new_target_value, r.change.split()[0]) for r in df.itertuples()}
    assert got["nursing_bed_share"] == (50.0, 55.0, "changed")
    assert got["cremation_rate"] == (90.0, 90.0, "unchanged")
    assert got["community_day_care_coverage"][1:] == (80.0, "added")
    assert set(df["old_doc_id"]) == {"b_draft"} and set(df["new_doc_id"]) == {"b_final"}


def test_a_supersedes_naming_no_document_is_flagged(tmp_path):
    from fixtures.cite_corpus import write_raw

    from analysis.build import build

    raw = write_raw(tmp_path / "raw")
    meta = yaml.safe_load((raw / "b_final.meta.yml").read_text(encoding="utf-8"))
    meta["supersedes"] = "no_such_doc"
    (raw / "b_final.meta.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    build(raw, tmp_path / "p.duckdb", tmp_path / "out", echo=None, workers=1)
    c = duckdb.connect(str(tmp_path / "p.duckdb"), read_only=True)
    try:
        flags = c.execute("SELECT doc_id, message FROM quality_flags WHERE kind = 'sidecar'").fetchall()
        assert len(flags) == 1 and flags[0][0] == "b_final" and "no_such_doc" in flags[0][1]
        assert c.execute("SELECT count(*) FROM targets WHERE superseded").fetchone()[0] == 0
    finally:
        c.close()
