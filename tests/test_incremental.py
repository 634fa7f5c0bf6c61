"""Incremental alignment (analysis/align/incremental.py): a rebuild from the previous database recomputes
the document-partitioned marts only for the documents that need it, and its exports are byte-identical
to a full build of the same inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import RAW, ROOT

from analysis.build import build

EXPORTS = ("targets.csv", "targets.parquet")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    base = tmp_path_factory.mktemp("incr")
    ref, cur = base / "reference", base / "curation"
    shutil.copytree(ROOT / "data" / "reference", ref)
    shutil.copytree(ROOT / "data" / "curation", cur)
    build(RAW, base / "w" / "p.duckdb", base / "w" / "a", echo=None, workers=1, reference_dir=ref, curation_dir=cur)
    return base


@pytest.fixture()
def case(seeded, tmp_path):
    """raw/, reference/, curation/ and a work folder (database, cache, exports in a/) after one build."""
    for name in ("w", "reference", "curation"):
        shutil.copytree(seeded / name, tmp_path / name)
    shutil.copytree(RAW, tmp_path / "raw")
    return tmp_path


def _build(c: Path, out: str = "b", **kw):
    return build(c / "raw", c / "w" / "p.duckdb", c / "w" / out, echo=None, workers=1, reference_dir=c / "reference",
                 curation_dir=c / "curation", **kw)


def _same_as_full(c: Path, out: str = "b") -> None:
    fresh = c / "fresh"
    build(c / "raw", fresh / "p.duckdb", fresh, echo=None, workers=1, full=True, reference_dir=c / "reference",
          curation_dir=c / "curation")
    for name in EXPORTS:
        assert (c / "w" / out / name).read_bytes() == (fresh / name).read_bytes(), name
    con, ref = duckdb.connect(str(c / "w" / "p.duckdb"), read_only=True), duckdb.connect(str(fresh / "p.duckdb"),
                                                                                          read_only=True)
    try:
        for table in ("quality_flags", "curation_log", "unmatched_names", "name_matches", "aligned_statements"):
            q = f"SELECT * FROM {table} ORDER BY ALL"
            assert con.execute(q).fetchall() == ref.execute(q).fetchall(), table
    finally:
        con.close()
        ref.close()


def test_adding_a_document_realigns_only_it(case):
    (case / "raw" / "extra.txt").write_text("某县民政局：到2025年，全县殡葬设施覆盖率达到88%，火化率保持100%。",
                                             encoding="utf-8")
    (case / "raw" / "extra.meta.yml").write_text("city: 某县\nkind: news\n", encoding="utf-8")
    report = _build(case)
    assert (report.n_processed, report.align.n_realigned_documents) == (1, 1)
    _same_as_full(case)


def test_a_new_correction_realigns_its_document(case):
    path = case / "curation" / "corrections.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    con = duckdb.connect(str(case / "w" / "p.duckdb"), read_only=True)
    doc, name = con.execute("SELECT doc_id, raw_name FROM targets WHERE source_kind = 'table' AND target_value IS "
                            "NOT NULL ORDER BY doc_id DESC, raw_name LIMIT 1").fetchall()[0]
    con.close()
    data["corrections"].append({"doc_id": doc, "raw_name": name, "field": "target_value", "value": 12.5,
                                "reason": "测试：表格数值错位", "curator": "test"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = _build(case, "a")
    assert report.n_processed == 0 and report.align.n_realigned_documents == 1
    con = duckdb.connect(str(case / "w" / "p.duckdb"), read_only=True)
    assert con.execute("SELECT bool_and(target_value = 12.5) FROM targets WHERE doc_id = $d AND raw_name = $n",
                       {"d": doc, "n": name}).fetchall()[0][0]
    con.close()
    _same_as_full(case, "a")


def test_supersedes_realigns_the_older_version(case):
    side = sorted((case / "raw").glob("004_*.meta.yml"))[0]
    older = sorted((case / "raw").glob("001_*.txt"))[0].stem
    side.write_text(side.read_text(encoding="utf-8") + f"supersedes: {older}\n", encoding="utf-8")
    report = _build(case)
    assert report.n_processed == 1 and report.align.n_realigned_documents == 2  # the new version and the old one
    con = duckdb.connect(str(case / "w" / "p.duckdb"), read_only=True)
    assert con.execute("SELECT bool_and(superseded) AND NOT bool_or(preferred) FROM targets WHERE doc_id = $d",
                       {"d": older}).fetchall()[0][0]
    con.close()
    _same_as_full(case)


def test_an_edit_that_reaches_every_document_realigns_all(case):
    path = case / "reference" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n    name_en: " in text  # an entry's English name (the indicators table, read for every statement)
    path.write_text(text.replace("\n    name_en: ", "\n    name_en: Edited ", 1), encoding="utf-8")
    report = _build(case, "a")
    assert report.n_processed == 0 and report.align.n_realigned_documents is None
    _same_as_full(case, "a")


def test_removing_a_document_drops_its_marts(case):
    for p in (case / "raw").glob("003_*"):
        p.unlink()
    report = _build(case)
    assert report.n_ok == 4 and report.align.n_realigned_documents == 1
    con = duckdb.connect(str(case / "w" / "p.duckdb"), read_only=True)
    for table in ("targets", "matched_statements", "aligned_statements", "quality_flags"):
        assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id LIKE '003%'").fetchall()[0][0] == 0, table
    con.close()
    _same_as_full(case)


def test_partitioned_models_read_only_the_reference_columns_declared():
    """A column of a GLOBAL_REFERENCE table read by a partitioned model must be in its declared columns, or an
    edit of it would not realign the documents it reaches."""
    import re

    from analysis.align.incremental import GLOBAL_REFERENCE
    from analysis.align.models import model_files, sql_header

    checked = 0
    for path in model_files():
        sql = path.read_text(encoding="utf-8")
        if not (sql_header(sql).get("incremental") or "").startswith("doc_id"):
            continue
        for table, cols in GLOBAL_REFERENCE.items():
            for alias in re.findall(rf"(?:FROM|JOIN)\s+{table}\s+(?:AS\s+)?(\w+)", sql, flags=re.I):
                used = set(re.findall(rf"\b{alias}\.(\w+)", sql))
                assert used, (path.name, table)
                if cols is not None:
                    assert used <= set(cols), (path.name, table, used - set(cols))
                checked += 1
    assert checked >= 3  # indicators in matched and aligned statements, unit conversions


def test_an_alias_no_document_uses_realigns_nothing(case):
    path = case / "reference" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    new = text.replace("aliases: [", "aliases: [测试用别名从未出现, ", 1)
    assert new != text
    path.write_text(new, encoding="utf-8")
    report = _build(case, "a")
    assert report.n_processed == 0 and report.align.n_realigned_documents == 0
    _same_as_full(case, "a")
