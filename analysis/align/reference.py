"""Curated knowledge → DuckDB tables the SQL marts read.

YAML and CSV files in `data/reference/` and `data/curation/` are read here (SQL cannot read YAML),
checked against their schemas, and written as plain tables: `indicators`, `indicator_aliases`,
`benchmarks`, `cities`, `unit_conversions`, `corrections`. Nothing here looks at documents.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pandas as pd

from analysis.align.registry import Registry, RegistryError, load_registry, load_yaml_list
from analysis.align.schemas import CORRECTION, check_entry


def write_table(con, name: str, df: pd.DataFrame) -> None:
    con.register("_df", df)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _df")
    finally:
        con.unregister("_df")


def indicators_frame(registry: Registry) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i.id, "indicator_zh": i.name_zh, "indicator_en": i.name_en, "domain": i.domain,
                          "domain_en": i.domain_en, "unit": i.unit, "direction": i.direction, "kind": i.kind,
                          "definition": i.definition, "aliases": " | ".join(registry.alias_names(i))}
                         for i in registry.indicators.values()],
                        columns=["indicator_id", "indicator_zh", "indicator_en", "domain", "domain_en", "unit",
                                 "direction", "kind", "definition", "aliases"])


def aliases_frame(registry: Registry) -> pd.DataFrame:
    """Every name the matcher knows (canonical names included): one row per indicator × alias."""
    return pd.DataFrame(sorted(set(registry.alias_pairs())), columns=["indicator_id", "alias"])


def load_unit_conversions(path: Path) -> pd.DataFrame:
    path = Path(path)
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for n, r in enumerate(csv.DictReader(f), 2):
            try:
                rows.append({"from_unit": r["from_unit"].strip(), "to_unit": r["to_unit"].strip(),
                             "factor": float(r["factor"])})
            except (KeyError, TypeError, ValueError, AttributeError):
                raise RegistryError(f"{path.name}: line {n}: needs from_unit, to_unit and a numeric factor") from None
    return pd.DataFrame(rows, columns=["from_unit", "to_unit", "factor"])


def load_corrections(path: Path, registry: Registry) -> pd.DataFrame:
    """The manual corrections, validated (schema, known indicator ids), one row per correction."""
    path = Path(path)
    rows = []
    for n, c in enumerate(load_yaml_list(path, "corrections"), 1):
        if c.get("drop"):  # a row that is not a target: analysis/align/curation.py drop_rows
            continue
        if isinstance(c.get("date"), (datetime.date, datetime.datetime)):
            c = {**c, "date": c["date"].isoformat()}  # YAML reads 2026-11-22 as a date
        check_entry(CORRECTION, c, path, n, RegistryError)
        if c["field"] == "indicator_id" and c["value"] not in registry.indicators:
            raise RegistryError(f"{path.name}: entry {n} ({c['raw_name']}): value: unknown indicator id {c['value']}")
        rows.append({"correction_no": n, "doc_id": c["doc_id"], "raw_name": c["raw_name"],
                     "source_kind": c.get("source_kind"), "target_year": c.get("target_year"), "field": c["field"],
                     "value": str(c["value"]), "reason": " ".join(str(c["reason"]).split()),
                     "curator": c.get("curator"), "curated_on": str(c.get("date") or ""),
                     "label": f"{path.name} entry {n} ({c['doc_id']} / {c['raw_name']})"})
    cols = ["correction_no", "doc_id", "raw_name", "source_kind", "target_year", "field", "value", "reason", "curator",
            "curated_on", "label"]
    return pd.DataFrame(rows, columns=cols).astype({"target_year": "Int32", "source_kind": "string",
                                                    "curator": "string"})


def load_reference(con, reference_dir: Path, curation_dir: Path) -> Registry:
    """Write the reference tables; return the registry (the matcher needs it)."""
    reference_dir, curation_dir = Path(reference_dir), Path(curation_dir)
    registry = load_registry(reference_dir / "indicators.yaml")
    write_table(con, "indicators", indicators_frame(registry))
    write_table(con, "indicator_aliases", aliases_frame(registry))
    write_table(con, "benchmarks", pd.DataFrame(load_yaml_list(reference_dir / "benchmarks.yaml", "benchmarks"),
                                                columns=["indicator_id", "scope", "year", "value", "comparator", "unit",
                                                         "source", "note"]).astype({"value": "float64", "year": "Int32"}))
    write_table(con, "cities", pd.DataFrame(load_yaml_list(reference_dir / "cities.yaml", "cities"),
                                            columns=["city", "province", "admin_level", "admin_level_zh", "region",
                                                     "region_zh", "note"]))
    write_table(con, "unit_conversions", load_unit_conversions(reference_dir / "unit_conversions.csv"))
    write_table(con, "corrections", load_corrections(curation_dir / "corrections.yaml", registry))
    return registry
