"""The column contract (data/reference/columns.yaml) is the one list of columns: schema, exports, docs."""

from pathlib import Path

import duckdb
import pytest
import yaml

from analysis import columns, config
from analysis.align.marts import EXPORT_COLUMNS
from analysis.warehouse.db import SCHEMA, create_tables

ROOT = Path(__file__).resolve().parent.parent


def test_schema_and_export_order_come_from_the_contract():
    doc = yaml.safe_load(config.COLUMNS_YAML.read_text(encoding="utf-8"))["tables"]
    assert EXPORT_COLUMNS == [c["name"] for c in doc["targets"]["columns"]]
    assert set(SCHEMA) == {t for t, s in doc.items() if not s.get("export") and not s.get("built_by")}
    con = duckdb.connect()
    create_tables(con)
    for table, spec in doc.items():
        if spec.get("export") or spec.get("built_by"):
            continue
        got = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert got == [c["name"] for c in spec["columns"]], table


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_documented_column_tables_are_up_to_date(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert "<!-- columns:" in text
    assert columns.render_docs(text) == text, f"{doc} is stale: run `make docs`"


def test_a_column_without_a_type_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "columns.yaml"
    bad.write_text("tables:\n  t:\n    grain: x\n    columns:\n      - {name: a, type: TEXT, description: d}\n",
                   encoding="utf-8")
    monkeypatch.setattr(config, "COLUMNS_YAML", bad)
    columns.load_contract.cache_clear()
    try:
        with pytest.raises(columns.ContractError, match=r"columns\[0\] \(a\): type must be one of"):
            columns.load_contract()
    finally:
        columns.load_contract.cache_clear()
