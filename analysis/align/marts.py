"""Alignment: raw statements → one registry indicator each, with scope, exact unit conversions,
manual corrections and the choice of which statement a chart uses.

Reads `documents` and `raw_targets`, writes the marts `indicators`, `benchmarks`, `cities`,
`targets`, `curation_log`, `unmatched_names`, `unused_aliases`, and appends align-stage flags to
`quality_flags`. Curated values come from `data/curation/` and are counted apart from extraction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analysis import config
from analysis.align.registry import SCOPE_ZH, RegistryError, load_registry, load_yaml_list

# Exact conversions to a canonical unit: (from, to) → factor.
CONVERSIONS = {("万人", "人"): 10_000, ("万个", "个"): 10_000, ("万家", "家"): 10_000, ("亿元", "万元"): 10_000,
               ("元", "万元"): 1e-4, ("万元", "元"): 10_000, ("万户", "户"): 10_000, ("万张", "张"): 10_000,
               ("名", "人"): 1, ("平方米", "平方米"): 1, ("m²", "平方米"): 1, ("㎡", "平方米"): 1}
CORRECTABLE = ("indicator_id", "scope", "baseline_year", "baseline_value", "target_year", "target_value",
               "comparator", "target_text", "unit", "attribute")
EXPORT_COLUMNS = [
    "doc_id", "city", "indicator_id", "indicator_zh", "raw_name", "scope", "baseline_year", "baseline_value",
    "target_year", "target_value", "comparator", "target_text", "unit", "attribute", "source_kind", "quote", "curated",
    "city_label", "province", "admin_level", "indicator_en", "domain", "scope_zh", "target_value_high", "unit_raw",
    "start", "end", "raw_start", "raw_end", "preferred", "flags",
]
SOURCE_RANK = {"table": 0, "series": 0, "prose": 1}


@dataclass
class AlignReport:
    n_statements: int = 0
    n_matched: int = 0
    n_unmatched: int = 0
    n_curated: int = 0
    n_converted: int = 0
    unmatched_corrections: list[str] = field(default_factory=list)
    unmatched_names: list[str] = field(default_factory=list)
    unused_aliases: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"aligned {self.n_matched}/{self.n_statements} statements to the registry "
                f"({self.n_unmatched} unmatched, {len(self.unmatched_names)} distinct names); "
                f"{self.n_curated} values from curation, {self.n_converted} unit conversions; "
                f"{len(self.unused_aliases)} registry aliases unused"
                + (f"; {len(self.unmatched_corrections)} corrections match nothing" if self.unmatched_corrections else ""))


def _register(con, name: str, df: pd.DataFrame) -> None:
    con.register("_df", pa.Table.from_pandas(df, preserve_index=False))  # Arrow scans ~3x faster than pandas
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _df")
    finally:
        con.unregister("_df")


def _flags_by_span(con) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, kind in con.execute(
            'SELECT doc_id, start, "end", kind FROM quality_flags WHERE start IS NOT NULL AND stage = \'extract\'').fetchall():
        out.setdefault(doc_id, []).append((start, end, kind))
    return out


def build_marts(con, reference_dir: Path = config.REFERENCE_DIR, curation_dir: Path = config.CURATION_DIR) -> AlignReport:
    reference_dir, curation_dir = Path(reference_dir), Path(curation_dir)
    registry = load_registry(reference_dir / "indicators.yaml")
    report = AlignReport()
    # column lists, not DataFrame rows: iterating Arrow-backed pandas values costs ~10x more per value
    meta = {d[0]: d for d in con.execute("SELECT doc_id, city, city_label, province, admin_level FROM documents").fetchall()}
    raw = con.sql("SELECT * FROM raw_targets ORDER BY doc_id, target_no").to_arrow_table()
    col = {c: raw.column(c).to_pylist() for c in raw.column_names}
    report.n_statements = raw.num_rows
    spans = _flags_by_span(con)
    n = raw.num_rows
    out = {c: [None] * n for c in ("city", "city_label", "province", "admin_level", "indicator_id", "indicator_zh",
                                    "indicator_en", "domain", "scope", "scope_zh", "unit", "flags")}
    values = {k: list(col[k]) for k in ("baseline_value", "target_value", "target_value_high")}
    for i, (doc_id, raw_name, unit_raw, start, end) in enumerate(
            zip(col["doc_id"], col["raw_name"], col["unit"], col["start"], col["end"])):
        d = meta.get(doc_id)
        m = registry.match(raw_name)
        ind = m.indicator if m else None
        unit = unit_raw
        if ind is not None and unit_raw and unit_raw != ind.unit and (unit_raw, ind.unit) in CONVERSIONS:
            factor = CONVERSIONS[(unit_raw, ind.unit)]
            for k in ("baseline_value", "target_value", "target_value_high"):
                if values[k][i] is not None:
                    values[k][i] = values[k][i] * factor
            unit = ind.unit
            report.n_converted += 1
        kinds = sorted({k for s, e, k in spans.get(doc_id, ()) if s < end and start < e})
        if d is not None:
            out["city"][i], out["city_label"][i], out["province"][i], out["admin_level"][i] = d[1], d[2], d[3], d[4]
        else:
            out["city_label"][i] = doc_id
        if ind is not None:
            out["indicator_id"][i], out["indicator_zh"][i] = ind.id, ind.name_zh
            out["indicator_en"][i], out["domain"][i] = ind.name_en, ind.domain
        if m is not None:
            out["scope"][i] = m.scope
            out["scope_zh"][i] = m.scope_zh if m.scope_zh else SCOPE_ZH.get(m.scope) if m.scope else None
        out["unit"][i] = unit
        out["flags"][i] = ",".join(kinds) or None
    data = {**{c: col[c] for c in ("doc_id", "raw_name", "baseline_year", "target_year", "comparator", "target_text",
                                   "attribute", "source_kind", "quote", "start", "end", "raw_start", "raw_end",
                                   "target_no")},
            **out, **values, "unit_raw": col["unit"], "curated": [False] * n}
    targets = pd.DataFrame({c: data[c] if c in data else [None] * n for c in [*EXPORT_COLUMNS, "target_no"]})
    curation_log, unmatched = apply_corrections(targets, registry, curation_dir / "corrections.yaml")
    report.n_curated = len(curation_log)
    report.unmatched_corrections = unmatched
    mark_preferred(targets)
    report.n_matched = int(targets["indicator_id"].notna().sum())
    report.n_unmatched = len(targets) - report.n_matched
    un = targets[targets["indicator_id"].isna()][["doc_id", "city_label", "raw_name", "source_kind", "quote"]]
    report.unmatched_names = sorted(set(un["raw_name"]))
    report.unused_aliases = registry.unused_aliases()

    targets = targets.sort_values(["doc_id", "target_no"], kind="stable").drop(columns="target_no")
    targets = targets.astype({"baseline_year": "Int32", "target_year": "Int32", "start": "Int32", "end": "Int32",
                              "raw_start": "Int32", "raw_end": "Int32", "curated": "bool", "preferred": "bool"})
    for col in ("baseline_value", "target_value", "target_value_high"):
        targets[col] = targets[col].astype("Float64")
    _register(con, "targets", targets)
    _register(con, "indicators", indicators_frame(registry))
    _register(con, "benchmarks", pd.DataFrame(load_yaml_list(reference_dir / "benchmarks.yaml", "benchmarks"),
                                              columns=["indicator_id", "scope", "year", "value", "comparator", "unit",
                                                       "source", "note"]).astype({"value": "float64", "year": "Int32"}))
    _register(con, "cities", pd.DataFrame(load_yaml_list(reference_dir / "cities.yaml", "cities"),
                                          columns=["city", "province", "admin_level", "admin_level_zh", "region",
                                                   "region_zh", "note"]))
    _register(con, "curation_log", pd.DataFrame(curation_log, columns=[
        "doc_id", "raw_name", "indicator_id", "source_kind", "target_year", "field", "old_value", "value", "reason",
        "curator", "curated_on"]).astype({"old_value": "string", "value": "string", "target_year": "Int32"}))
    con.execute("UPDATE documents SET region = c.region FROM cities c WHERE documents.city = c.city")
    _register(con, "unmatched_names", un.sort_values(["doc_id", "raw_name", "source_kind"]).reset_index(drop=True))
    _register(con, "unused_aliases", pd.DataFrame(report.unused_aliases, columns=["indicator_id", "alias"]))
    _append_flags(con, un, unmatched)
    return report


def indicators_frame(registry) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i.id, "indicator_zh": i.name_zh, "indicator_en": i.name_en, "domain": i.domain,
                          "domain_en": i.domain_en, "unit": i.unit, "direction": i.direction, "kind": i.kind,
                          "definition": i.definition, "aliases": " | ".join(registry.alias_names(i))}
                         for i in registry.indicators.values()])


def apply_corrections(targets: pd.DataFrame, registry, path: Path) -> tuple[list[dict], list[str]]:
    """Apply manual corrections in place; return the log and the corrections that match nothing."""
    log, unmatched = [], []
    for n, c in enumerate(load_yaml_list(path, "corrections"), 1):
        where = f"{path.name} entry {n} ({c.get('doc_id')} / {c.get('raw_name')})"
        missing = [k for k in ("doc_id", "raw_name", "field", "value", "reason") if c.get(k) in (None, "")]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        if c["field"] not in CORRECTABLE:
            raise RegistryError(f"{where}: field must be one of {', '.join(CORRECTABLE)}")
        mask = (targets["doc_id"] == c["doc_id"]) & (targets["raw_name"] == c["raw_name"])
        if c.get("source_kind"):
            mask &= targets["source_kind"] == c["source_kind"]
        if c.get("target_year"):
            mask &= targets["target_year"] == c["target_year"]
        if not mask.any():
            unmatched.append(where)
            continue
        value = c["value"]
        if c["field"] == "indicator_id":
            ind = registry.indicators.get(value)
            if ind is None:
                raise RegistryError(f"{where}: unknown indicator id {value}")
            targets.loc[mask, ["indicator_zh", "indicator_en", "domain"]] = [ind.name_zh, ind.name_en, ind.domain]
        for idx in targets.index[mask]:
            log.append({"doc_id": c["doc_id"], "raw_name": c["raw_name"], "indicator_id": targets.at[idx, "indicator_id"],
                        "source_kind": targets.at[idx, "source_kind"], "target_year": targets.at[idx, "target_year"],
                        "field": c["field"], "old_value": None if pd.isna(targets.at[idx, c["field"]]) else str(targets.at[idx, c["field"]]),
                        "value": str(value), "reason": " ".join(str(c["reason"]).split()),
                        "curator": c.get("curator"), "curated_on": str(c.get("date") or "")})
        targets.loc[mask, c["field"]] = value
        targets.loc[mask, "curated"] = True
    return log, unmatched


def mark_preferred(targets: pd.DataFrame) -> None:
    """One preferred row per doc × indicator (or raw name) × scope × year: table before prose."""
    key_name = targets["indicator_id"].fillna("raw:" + targets["raw_name"])
    year = targets["target_year"].fillna(targets["baseline_year"]).fillna(-1)
    order = targets.assign(_k=key_name, _s=targets["scope"].fillna(""), _y=year, _series=targets["source_kind"] == "series",
                           _r=targets["source_kind"].map(SOURCE_RANK).fillna(2))
    order = order.sort_values(["doc_id", "_k", "_s", "_series", "_y", "_r", "target_no"], kind="stable")
    first = ~order.duplicated(["doc_id", "_k", "_s", "_series", "_y"])
    targets["preferred"] = first.reindex(targets.index)


def _append_flags(con, unmatched: pd.DataFrame, corrections: list[str]) -> None:
    base = con.execute("SELECT coalesce(max(flag_no), 0) + 1 FROM quality_flags").fetchall()[0][0]
    rows = []
    # the first quote of each (doc_id, raw_name), in key order (as a sorted groupby gives, without its per-group cost)
    firsts = unmatched.dropna(subset=["doc_id", "raw_name"]).drop_duplicates(["doc_id", "raw_name"])
    for doc_id, raw_name, quote in sorted(zip(firsts["doc_id"], firsts["raw_name"], firsts["quote"]), key=lambda t: t[:2]):
        rows.append({"doc_id": doc_id, "stage": "align", "kind": "unmatched_indicator", "severity": "info",
                     "message": f"未匹配指标 / name not in the registry: {raw_name}", "excerpt": quote[:200]})
    for where in corrections:
        doc_id = where.split(" entry ")[1].split("(")[1].split(" / ")[0]
        rows.append({"doc_id": doc_id, "stage": "align", "kind": "curation_unmatched", "severity": "warning",
                     "message": f"人工校订未匹配任何记录 / correction matches no statement: {where}", "excerpt": where})
    if not rows:
        return
    df = pd.DataFrame(rows)
    df.insert(1, "flag_no", range(base, base + len(df)))
    for col in ("start", "end", "raw_start", "raw_end"):
        df[col] = pd.Series([None] * len(df), dtype="Int32")
    con.register("_f", df)
    try:
        con.execute('INSERT INTO quality_flags (doc_id, flag_no, stage, kind, severity, message, excerpt) '
                    'SELECT doc_id, flag_no, stage, kind, severity, message, excerpt FROM _f')
    finally:
        con.unregister("_f")


def export_targets(con, out_dir: Path) -> list[Path]:
    """Write targets.csv and targets.parquet (stable columns and order), each atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(f'"{c}"' for c in EXPORT_COLUMNS)
    order = 'doc_id, indicator_id NULLS LAST, scope NULLS FIRST, target_year NULLS FIRST, baseline_year NULLS FIRST, source_kind, raw_name, start'
    written = []
    for name, fmt in (("targets.csv", "(FORMAT csv, HEADER)"), ("targets.parquet", "(FORMAT parquet)")):
        dest = out_dir / name
        tmp = out_dir / f".{name}.{os.getpid()}.tmp"
        con.execute(f"COPY (SELECT {cols} FROM targets ORDER BY {order}) TO '{_sql_path(tmp)}' {fmt}")
        os.replace(tmp, dest)
        written.append(dest)
    return written


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
