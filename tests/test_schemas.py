"""The curated files' schemas: the small checker (`is_valid`) agrees with jsonschema on every entry,
and loading the registry does not import jsonschema unless an entry is invalid."""

from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest
import yaml
from conftest import ROOT

from analysis.align import schemas
from analysis.align.schemas import CORRECTION, INDICATOR, check_entry, is_valid

GOOD_INDICATOR = {"id": "shelter_rate", "name_zh": "救助站覆盖率", "name_en": "Shelter coverage", "domain": "社会救助",
                  "unit": "%", "direction": "higher_is_better", "kind": "rate",
                  "aliases": ["救助站点覆盖率", {"name": "县级救助站覆盖率", "scope": "county", "unit": "%"}],
                  "scopes": ["county"], "units": ["%"]}
GOOD_CORRECTION = {"doc_id": "d1", "raw_name": "某指标", "field": "target_value", "value": 40, "reason": "表格错位",
                   "target_year": 2025, "date": None}


def _variants():
    """Valid entries and entries broken in one way each (type, enum, pattern, length, required, extra
    field, oneOf, items, bounds, booleans posing as numbers)."""
    ind, cor = GOOD_INDICATOR, GOOD_CORRECTION
    yield INDICATOR, ind
    yield CORRECTION, cor
    for k in ("id", "unit", "direction"):
        yield INDICATOR, {x: v for x, v in ind.items() if x != k}
    yield INDICATOR, {**ind, "id": "Shelter-Rate"}
    yield INDICATOR, {**ind, "id": 7}
    yield INDICATOR, {**ind, "name_zh": ""}
    yield INDICATOR, {**ind, "direction": "up"}
    yield INDICATOR, {**ind, "colour": "red"}
    yield INDICATOR, {**ind, "aliases": "救助站点覆盖率"}
    yield INDICATOR, {**ind, "aliases": ["", "x"]}
    yield INDICATOR, {**ind, "aliases": [{"name": "x", "scope": "galaxy"}]}
    yield INDICATOR, {**ind, "aliases": [{"scope": "county"}]}
    yield INDICATOR, {**ind, "aliases": [{"name": "x", "extra": 1}]}
    yield INDICATOR, {**ind, "scopes": ["county", "moon"]}
    yield INDICATOR, {**ind, "units": [None]}
    yield INDICATOR, ["not", "a", "mapping"]
    yield CORRECTION, {**cor, "target_year": 1900}
    yield CORRECTION, {**cor, "target_year": 2200}
    yield CORRECTION, {**cor, "target_year": 2025.0}
    yield CORRECTION, {**cor, "target_year": 2025.5}
    yield CORRECTION, {**cor, "target_year": True}
    yield CORRECTION, {**cor, "value": True}
    yield CORRECTION, {**cor, "value": "四成"}
    yield CORRECTION, {**cor, "value": None}
    yield CORRECTION, {**cor, "date": "2026-01-01"}
    yield CORRECTION, {**cor, "date": 20260101}
    yield CORRECTION, {**cor, "field": "colour"}
    yield CORRECTION, {**cor, "source_kind": "table"}
    yield CORRECTION, {**cor, "source_kind": "chart"}


@pytest.mark.parametrize("schema,item", list(_variants()))
def test_is_valid_agrees_with_jsonschema(schema, item):
    assert is_valid(schema, item) == jsonschema.Draft202012Validator(schema).is_valid(item)


def test_the_curated_files_agree_too():
    reg = yaml.safe_load((ROOT / "data" / "reference" / "indicators.yaml").read_text(encoding="utf-8"))
    items = reg["indicators"] if isinstance(reg, dict) else reg
    assert len(items) > 20
    for item in items:
        assert is_valid(INDICATOR, item) and jsonschema.Draft202012Validator(INDICATOR).is_valid(item)


def test_unsupported_keyword_is_refused():
    with pytest.raises(ValueError, match="patternProperties"):
        is_valid({"type": "object", "patternProperties": {"^x": {}}}, {"x": 1})


def test_an_invalid_entry_is_still_explained(tmp_path):
    with pytest.raises(schemas.SchemaError, match=r"indicators.yaml: entry 3 \(shelter_rate\): direction must be one of"):
        check_entry(INDICATOR, {**GOOD_INDICATOR, "direction": "up"}, tmp_path / "indicators.yaml", 3)


def test_loading_the_registry_does_not_import_jsonschema():
    code = ("import sys; from analysis.align.registry import load_registry; load_registry(); "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
