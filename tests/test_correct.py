"""`plans correct` / `plans corrections`: a reviewed correction written without editing YAML, then applied."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from fixtures.cite_corpus import build_corpus

from analysis.align.curation import CorrectionError, append_entries, propose
from analysis.cli import main
from analysis.warehouse.queries import run_query

HEADER = "# our notes on corrections\n# (a second comment line)\ncorrections: []\n"


@pytest.fixture()
def setup(tmp_path):
    cur = tmp_path / "curation"
    cur.mkdir()
    (cur / "corrections.yaml").write_text(HEADER, encoding="utf-8")
    db = build_corpus(tmp_path / "corpus", curation_dir=cur)
    return tmp_path, db, cur / "corrections.yaml"


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_round_trip_correct_rebuild_curated_in_export_and_quality_report(setup, capsys):
    root, db, yml = setup
    args = ["--db", str(db), "--corrections", str(yml)]
    assert main(["correct", "a_plan", "火化率", "--source-kind", "table", "--target", "97", "--year", "2025",
                 "--reason", "the 2025 column reads 97 in the signed copy", "--curator", "测试员", *args]) == 0
    out = capsys.readouterr().out
    assert "before" in out and "after" in out and "98" in out and "97" in out
    text = yml.read_text(encoding="utf-8")
    assert text.startswith("# our notes on corrections\n# (a second comment line)\ncorrections:\n")
    assert "curator: 测试员" in text and "field: target_value" in text and "value: 97" in text
    build_corpus(root / "corpus", curation_dir=yml.parent)
    rows = [r for r in _rows(root / "corpus" / "out" / "targets.csv") if r["raw_name"] == "火化率" and r["doc_id"] == "a_plan"]
    table = [r for r in rows if r["source_kind"] == "table"]
    assert [(r["target_value"], r["curated"]) for r in table] == [("97.0", "true")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        curated = run_query(con, "curated_values")
        assert list(curated["field"]) == ["target_value"] and curated["curator"].iloc[0] == "测试员"
        assert curated["city_label"].iloc[0] == "甲市"
    finally:
        con.close()
    assert main(["corrections", *args]) == 0
    assert "applied" in capsys.readouterr().out


def test_a_correction_not_yet_built_is_listed_as_such(setup, capsys):
    _, db, yml = setup
    args = ["--db", str(db), "--corrections", str(yml)]
    assert main(["correct", "a_plan", "节地生态安葬率", "--target", "65", "--reason", "r", "--curator", "x", *args]) == 0
    capsys.readouterr()
    assert main(["corrections", *args]) == 0
    assert "not built yet" in capsys.readouterr().out


def test_drop_removes_the_row_and_logs_it_as_curated(setup, capsys):
    root, db, yml = setup
    args = ["--db", str(db), "--corrections", str(yml)]
    assert main(["correct", "b_d", "火化率", "--drop", "--reason", "the draft's figure is superseded wording", *args]) == 0
    assert "dropped" in capsys.readouterr().out
    build_corpus(root / "corpus", curation_dir=yml.parent)
    rows = _rows(root / "corpus" / "out" / "targets.csv")
    assert not [r for r in rows if r["doc_id"] == "b_draft" and r["raw_name"] == "火化率"]
    assert [r for r in rows if r["doc_id"] == "b_final" and r["raw_name"] == "火化率"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT field, old_value FROM curation_log").fetchall() == [("drop", "90.0")]
    finally:
        con.close()


def test_a_correction_that_matches_nothing_is_refused_and_the_file_unchanged(setup, capsys):
    _, db, yml = setup
    assert main(["correct", "a_plan", "火化", "--target", "1", "--reason", "r", "--curator", "x",
                 "--db", str(db), "--corrections", str(yml)]) == 2
    err = capsys.readouterr().err
    assert "matches no statement" in err and "火化率" in err  # the close name is suggested
    assert yml.read_text(encoding="utf-8") == HEADER
    assert main(["correct", "zzz", "火化率", "--target", "1", "--reason", "r", "--curator", "x",
                 "--db", str(db), "--corrections", str(yml)]) == 2
    assert "no document 'zzz'" in capsys.readouterr().err


def test_a_stale_correction_is_reported(setup, capsys):
    root, db, yml = setup
    append_entries(yml, [{"doc_id": "a_plan", "raw_name": "已删除的指标", "field": "target_value", "value": 3,
                          "reason": "an old fix for a row the extractor no longer produces", "curator": "x"}])
    build_corpus(root / "corpus", curation_dir=yml.parent)
    assert main(["corrections", "--db", str(db), "--corrections", str(yml), "--csv"]) == 0
    out = capsys.readouterr().out
    assert "已删除的指标" in out and "matches nothing" in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quality_flags WHERE kind = 'curation_unmatched'").fetchone()[0] == 1
    finally:
        con.close()


def test_propose_needs_a_reason_and_a_change(setup):
    _, db, _ = setup
    con = duckdb.connect(str(db), read_only=True)
    try:
        with pytest.raises(CorrectionError, match="reason"):
            propose(con, "a_plan", "火化率", changes={"target": 1}, reason=" ")
        with pytest.raises(CorrectionError, match="nothing to correct"):
            propose(con, "a_plan", "火化率", changes={}, reason="r", curator="x")
        with pytest.raises(CorrectionError, match="unknown indicator"):
            propose(con, "a_plan", "火化率", changes={"indicator": "nope"}, reason="r", curator="x")
        entries, before, after = propose(con, "a_plan", "火化率", changes={"unit": "‰"}, reason="r", curator="x")
        assert len(before) == 1 and after["unit"].tolist() == ["‰"] and entries[0]["field"] == "unit"
    finally:
        con.close()


def test_appending_keeps_the_real_file_byte_for_byte(tmp_path):
    from analysis import config

    copy = tmp_path / "corrections.yaml"
    shutil.copyfile(config.CORRECTIONS_YAML, copy)
    old = copy.read_text(encoding="utf-8")
    append_entries(copy, [{"doc_id": "d", "raw_name": "n", "drop": True, "reason": "r", "curator": "c"}])
    new = copy.read_text(encoding="utf-8")
    assert new.startswith(old) and new[len(old):].startswith("  - doc_id: d\n")
