"""Incremental reports: a notebook is re-executed only when the inputs it read changed (the query results it
read through run_query, its parameters, the notebook, the library code); the index says what was rebuilt."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import RAW

from analysis.build import build
from analysis.publish import freshness
from analysis.warehouse.queries import QUERY_LOG_ENV, run_query


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("rep")
    build(RAW, d / "p.duckdb", d / "out", echo=None, workers=1)
    return d / "p.duckdb"


def _notebook(path: Path, code: str) -> Path:
    nb = {"cells": [{"cell_type": "code", "source": [code], "metadata": {}, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _run(db: Path, state: Path, name: str, queries: list[tuple[str, dict]]) -> None:
    """What a kernel does while the report runs a notebook: its run_query calls are logged."""
    log = freshness.query_log_path(state, name)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    os.environ[QUERY_LOG_ENV] = str(log)
    con = duckdb.connect(str(db), read_only=True)
    try:
        for q, params in queries:
            run_query(con, q, **params)
    finally:
        con.close()
        os.environ.pop(QUERY_LOG_ENV)


def test_only_notebooks_whose_query_results_changed_are_rerun(seed_db, tmp_path):
    db = tmp_path / "p.duckdb"
    shutil.copy(seed_db, db)
    state = tmp_path / "executed"
    nb_a = _notebook(tmp_path / "a.ipynb", 'report.run_query("corpus_overview")')
    nb_b = _notebook(tmp_path / "b.ipynb", 'report.run_query("nursing_bed_share_by_city", indicator_id=i)')
    nursing = ("nursing_bed_share_by_city", {"indicator_id": "nursing_bed_share", "target_year": 2025})
    _run(db, state, "a", [("corpus_overview", {})])
    _run(db, state, "b", [nursing])
    jobs = [("a", nb_a, {"db_path": str(db)}), ("b", nb_b, {"db_path": str(db)})]
    assert freshness.plan_reruns(jobs, db, state) == ["a", "b"]  # never recorded
    freshness.record_runs(jobs, db, state)
    assert freshness.plan_reruns(jobs, db, state) == []  # nothing changed: nothing runs
    assert freshness.plan_reruns(jobs, db, state, full=True) == ["a", "b"]

    con = duckdb.connect(str(db))
    n = con.execute("UPDATE targets SET target_value = target_value + 1 WHERE indicator_id = 'nursing_bed_share' "
                    "AND target_year = 2025 AND doc_id = (SELECT min(doc_id) FROM targets WHERE indicator_id = "
                    "'nursing_bed_share' AND target_year = 2025 AND target_value IS NOT NULL)").fetchall()[0][0]
    con.close()
    assert n >= 1
    assert freshness.plan_reruns(jobs, db, state) == ["b"]  # one document's value: only the page that reads it

    assert freshness.plan_reruns([("a", nb_a, {"db_path": str(db), "x": 1}), jobs[1]], db, state)[0] == "a"  # params
    _notebook(nb_a, 'report.run_query("corpus_overview")  # edited')
    assert "a" in freshness.plan_reruns(jobs, db, state)  # the notebook itself
    freshness.query_log_path(state, "b").unlink()
    assert "b" in freshness.plan_reruns(jobs, db, state)  # no record of what it read


def test_a_notebook_reading_around_run_query_always_reruns(seed_db, tmp_path):
    state = tmp_path / "executed"
    nb = _notebook(tmp_path / "raw_sql.ipynb", 'con.execute("SELECT 1")')
    _run(seed_db, state, "raw_sql", [])
    jobs = [("raw_sql", nb, {})]
    freshness.record_runs(jobs, seed_db, state)
    assert freshness.plan_reruns(jobs, seed_db, state) == ["raw_sql"]


@pytest.mark.slow
def test_second_report_executes_nothing_and_index_says_so(seed_db, tmp_path):
    from analysis.publish import report

    db = tmp_path / "p.duckdb"
    shutil.copy(seed_db, db)
    out = tmp_path / "figures"
    only = ["01-overview", "02-elderly-care-nursing-beds"]
    calls: list[str] = []
    real = report.execute_notebook

    def counting(job, *a, **k):
        calls.append(job.name)
        return real(job, *a, **k)

    report.execute_notebook = counting
    try:
        report.build_reports(db, out, only=only, workers=1, static=False, verbose=False, timeout=300)
        assert calls == only
        calls.clear()
        report.build_reports(db, out, only=only, workers=1, static=False, verbose=False, timeout=300)
        assert calls == []
        index = (out / "index.html").read_text(encoding="utf-8")
        assert "本次重建 Rebuilt: 0 页 pages" in index and "沿用 Reused (输入未变 inputs unchanged): 2 页 pages" in index
        con = duckdb.connect(str(db))
        con.execute("UPDATE targets SET target_value = target_value + 1 WHERE indicator_id = 'nursing_bed_share'")
        con.close()
        report.build_reports(db, out, only=only, workers=1, static=False, verbose=False, timeout=300)
        assert calls == ["02-elderly-care-nursing-beds"]
        assert "02-elderly-care-nursing-beds.html)" in (out / "index.html").read_text(encoding="utf-8")
        calls.clear()
        report.build_reports(db, out, only=only, workers=1, static=False, verbose=False, timeout=300, full=True)
        assert calls == only
    finally:
        report.execute_notebook = real
