"""Re-execute a notebook only when its inputs changed: query results, parameters, the notebook, the code."""

from __future__ import annotations

import json

import pandas as pd
from conftest import ROOT

from analysis.publish.freshness import library_files, notebook_digest, queries_read, record_fresh, stale_notebooks


def _notebook(path, source: str):
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": [source]},
                                          {"cell_type": "markdown", "source": ['run_query(con, "not_code")']}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def _inputs(tmp_path, value=55.0, doc="d1"):
    a = _notebook(tmp_path / "a.ipynb", 'df = run_query(con, "beds")\nrun_query(con, "beds", x=1)')
    b = _notebook(tmp_path / "b.ipynb", 'run_query(con, "flags")')
    code = tmp_path / "lib.py"
    if not code.exists():
        code.write_text("x = 1\n", encoding="utf-8")
    beds = pd.DataFrame({"doc_id": ["d1", "d2"], "target_value": [value, 60.0]})
    flags = pd.DataFrame({"kind": ["mojibake"]})
    return {"a": {"notebook": a, "parameters": {"doc_id": doc}, "query_results": {"beds": beds}, "code": [code]},
            "b": {"notebook": b, "parameters": {}, "query_results": {"flags": flags}, "code": [code]}}


def test_only_notebooks_whose_inputs_changed_are_stale(tmp_path):
    state = tmp_path / "state.json"
    inputs = _inputs(tmp_path)
    assert stale_notebooks(inputs, state) == ["a", "b"]  # never executed
    record_fresh(state, {k: notebook_digest(**v) for k, v in inputs.items()})
    assert stale_notebooks(_inputs(tmp_path), state) == []
    assert stale_notebooks(_inputs(tmp_path, value=56.0), state) == ["a"]  # a query result changed
    assert stale_notebooks(_inputs(tmp_path, doc="d2"), state) == ["a"]  # a parameter changed
    (tmp_path / "lib.py").write_text("x = 2\n", encoding="utf-8")
    assert stale_notebooks(_inputs(tmp_path), state) == ["a", "b"]  # the library changed


def test_notebook_edit_and_failed_runs_stay_stale(tmp_path):
    state = tmp_path / "state.json"
    inputs = _inputs(tmp_path)
    record_fresh(state, {"b": notebook_digest(**inputs["b"])})  # a failed: not recorded
    assert stale_notebooks(inputs, state) == ["a"]
    record_fresh(state, {"a": notebook_digest(**inputs["a"])})  # merged with b's record
    assert stale_notebooks(inputs, state) == []
    _notebook(tmp_path / "b.ipynb", 'run_query(con, "flags")\nprint(1)')
    assert stale_notebooks(inputs, state) == ["b"]


def test_unreadable_state_means_everything_is_stale(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    assert stale_notebooks(_inputs(tmp_path), state) == ["a", "b"]


def test_queries_read_from_code_cells(tmp_path):
    nb = _notebook(tmp_path / "n.ipynb", 'x = run_query(con, "beds")\ny = run_query(self.con, \'flags\', kind=None)')
    assert queries_read(nb) == ["beds", "flags"]
    real = sorted(ROOT.glob("notebooks/01-*.ipynb"))
    if real:
        assert "source_counts" in queries_read(real[0])
    assert any(p.name == "freshness.py" for p in library_files(ROOT))
