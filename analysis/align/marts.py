"""Alignment: raw statements → one registry indicator each, with scope, exact unit conversions,
manual corrections and the choice of which statement a chart uses.

Python does only what SQL cannot: it reads the curated YAML/CSV files into reference tables
(`analysis/align/reference.py`) and matches each distinct name as written to a registry id
(`name_matches`, `analysis/align/matching.py`). Everything else is SQL, run in order by
`analysis/align/models.py`: `queries/staging/` (typed views over the stage tables) →
`queries/intermediate/` → `queries/marts/` (`targets`, `curation_log`, `unmatched_names`,
`unused_aliases`, `document_regions`, `align_flags`). Alignment never updates an upstream table;
its flags are appended to `quality_flags`, numbered after each document's own flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis import columns, config
from analysis.align import incremental
from analysis.align.citation import add_citation_columns
from analysis.align.curation import drop_rows, finish_drops
from analysis.align.matching import write_name_matches
from analysis.align.models import run_models
from analysis.align.reference import load_reference

EXPORT_COLUMNS = columns.column_names("targets")  # the export contract: data/reference/columns.yaml
_ORDER_KEYS = ('doc_id, indicator_id NULLS LAST, scope NULLS FIRST, target_year NULLS FIRST, '
               'baseline_year NULLS FIRST, source_kind, raw_name, start')
# then every other exported column breaks ties (two values stated at one offset: 分别从1000元、600元), so the
# exports are the same whatever order the rows of `targets` are stored in (a full or an incremental build)
EXPORT_ORDER = _ORDER_KEYS + "".join(f', "{c}" NULLS FIRST' for c in EXPORT_COLUMNS if c not in
                                     {"doc_id", "indicator_id", "scope", "target_year", "baseline_year", "source_kind",
                                      "raw_name", "start"})


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
    n_realigned_documents: int | None = None  # documents whose marts an incremental build recomputed (None: all)

    def summary(self) -> str:
        return (f"aligned {self.n_matched}/{self.n_statements} statements to the registry "
                f"({self.n_unmatched} unmatched, {len(self.unmatched_names)} distinct names); "
                f"{self.n_curated} values from curation, {self.n_converted} unit conversions; "
                f"{len(self.unused_aliases)} registry aliases unused"
                + (f"; {len(self.unmatched_corrections)} corrections match nothing" if self.unmatched_corrections else ""))


def after_targets(con, curation_dir: Path = config.CURATION_DIR, rows: str | None = None) -> None:
    """Runs right after the `targets` mart is built and before it is exported: corrections that drop a
    row that is not a target (`drop: true`), then the citation columns (title, issuer, page, section …,
    analysis/align/citation.py). Their columns are declared in data/reference/columns.yaml.
    `rows`: the temporary table of the rows recomputed by an incremental build (which has no drops)."""
    drop_rows(con, Path(curation_dir) / "corrections.yaml")
    if rows is None:
        add_citation_columns(con)
    else:
        add_citation_columns(con, rows, temporary=True)


def build_marts(con, reference_dir: Path = config.REFERENCE_DIR, curation_dir: Path = config.CURATION_DIR,
                queries_dir: Path = config.QUERIES_DIR, changed: set[str] | None = None) -> AlignReport:
    """Write the reference tables, match names, run the SQL models. `changed`: the doc_ids a build added,
    changed or removed in a database that holds the previous alignment; the document-partitioned marts are
    then updated for the documents that need it (analysis/align/incremental.py) when that is exact."""
    old = incremental.remember(con) if changed is not None else None
    registry = load_reference(con, reference_dir, curation_dir)
    write_name_matches(con, registry)
    n_dirty = incremental.dirty_documents(con, old, changed or set(), curation_dir) if old is not None else None
    con.execute("DELETE FROM quality_flags WHERE stage = 'align'")  # a rebuild of the marts replaces its own flags
    run_models(con, queries_dir, after={"targets": lambda c, rows=None: after_targets(c, curation_dir, rows)},
               partitioned=n_dirty is not None)
    incremental.finish(con)
    con.execute("INSERT INTO quality_flags BY NAME SELECT * FROM align_flags")
    finish_drops(con)
    rep = _report(con)
    rep.n_realigned_documents = n_dirty
    return rep


def _report(con) -> AlignReport:
    one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    rep = AlignReport()
    rep.n_statements = one("SELECT count(*) FROM targets")
    rep.n_matched = one("SELECT count(*) FROM targets WHERE indicator_id IS NOT NULL")
    rep.n_unmatched = rep.n_statements - rep.n_matched
    rep.n_curated = one("SELECT count(*) FROM curation_log")
    rep.n_converted = one("SELECT count(*) FROM aligned_statements WHERE converted")
    rep.unmatched_corrections = [r[0] for r in con.execute(
        "SELECT excerpt FROM align_flags WHERE kind = 'curation_unmatched' ORDER BY excerpt").fetchall()]
    rep.unmatched_names = [r[0] for r in con.execute(
        "SELECT DISTINCT raw_name FROM unmatched_names ORDER BY raw_name").fetchall()]
    rep.unused_aliases = [tuple(r) for r in con.execute("SELECT indicator_id, alias FROM unused_aliases").fetchall()]
    return rep


def export_targets(con, out_dir: Path) -> list[Path]:
    """Write targets.csv and targets.parquet (stable columns and order), each atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(f'"{c}"' for c in EXPORT_COLUMNS)
    written = []
    # sorted once, in memory, for both files (sorting 88,000 wide rows twice cost ~0.3 s CPU of every rebuild)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _export_targets AS SELECT {cols} FROM targets ORDER BY {EXPORT_ORDER}")
    try:
        for name, fmt in (("targets.csv", "(FORMAT csv, HEADER)"), ("targets.parquet", "(FORMAT parquet)")):
            dest = out_dir / name
            tmp = out_dir / f".{name}.{os.getpid()}.tmp"
            con.execute(f"COPY (SELECT * FROM _export_targets) TO '{_sql_path(tmp)}' {fmt}")
            os.replace(tmp, dest)
            written.append(dest)
    finally:
        con.execute("DROP TABLE IF EXISTS _export_targets")
    return written


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
