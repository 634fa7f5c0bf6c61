"""Manual corrections without editing YAML: `plans correct`, `plans corrections`, and dropped rows.

- `propose(con, doc, name, ...)` finds the statements a correction would touch in the built database
  (refusing one that matches nothing) and returns the entries to write with the rows before/after;
- `append_entries(path, entries)` appends them to data/curation/corrections.yaml *textually*: the
  file's comments and existing entries stay byte for byte;
- `drop_rows(con, path)` is called by the marts right after `targets` is built: an entry with `drop: true` removes the rows it
  matches (a statement that is not a target) and logs them as curated (field `drop`);
- `correction_status(con, path)` lists every correction with its status: applied / matches nothing
  (/ not built yet, when it matches but the database predates it).

A correction matches statements by doc_id and raw_name, narrowed by source_kind and target_year, the
same rule as analysis/align/marts.py.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from analysis.align.registry import RegistryError, load_yaml_list

FIELDS = {"target": "target_value", "baseline": "baseline_value", "unit": "unit", "indicator": "indicator_id"}
SHOW = ["doc_id", "raw_name", "source_kind", "indicator_id", "baseline_year", "baseline_value", "target_year",
        "comparator", "target_value", "unit", "curated"]


class CorrectionError(ValueError):
    """A correction that cannot be written (matches nothing, ambiguous document, no reason …)."""


def _mask(df: pd.DataFrame, c: dict) -> pd.Series:
    m = (df["doc_id"] == c.get("doc_id")) & (df["raw_name"] == c.get("raw_name"))
    if c.get("source_kind"):
        m &= df["source_kind"] == c["source_kind"]
    if c.get("target_year"):
        m &= df["target_year"] == int(c["target_year"])
    return m.fillna(False).astype(bool)


def _where(path: Path, n: int, c: dict) -> str:
    # the same wording as the marts' corrections, so flags read alike
    return f"{Path(path).name} entry {n} ({c.get('doc_id')} / {c.get('raw_name')})"


# --------------------------------------------------------------------------- proposing a correction


def resolve_doc(con, doc: str) -> str:
    """A doc_id, or a unique prefix of one (e.g. 002)."""
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents WHERE doc_id = $d OR starts_with(doc_id, $d) "
                                     "ORDER BY doc_id", {"d": doc}).fetchall()]
    if doc in ids:
        return doc
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise CorrectionError(f"no document {doc!r} in the database / 无此文件")
    raise CorrectionError(f"{doc!r} names {len(ids)} documents ({', '.join(ids[:5])}…); give more of the doc_id")


def curator_name(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    name = out or os.environ.get("USER") or ""
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = ""
    if not name:
        raise CorrectionError("who is correcting? pass --curator NAME (no git user.name, no $USER)")
    return name


def propose(con, doc: str, name: str, *, changes: dict, drop: bool = False, year: int | None = None,
            source_kind: str | None = None, reason: str, curator: str | None = None,
            date: str | None = None) -> tuple[list[dict], pd.DataFrame, pd.DataFrame]:
    """The entries a correction writes, and the matching rows before and after it. Raises CorrectionError."""
    if not reason or not str(reason).strip():
        raise CorrectionError("a correction needs --reason (why the value is wrong, with the evidence) / 请说明理由")
    changes = {FIELDS.get(k, k): v for k, v in changes.items() if v is not None}
    if not changes and not drop:
        raise CorrectionError("nothing to correct: give --target, --baseline, --unit, --indicator or --drop")
    if drop and changes:
        raise CorrectionError("--drop removes the row: it cannot be combined with a new value")
    doc_id = resolve_doc(con, doc)
    if "indicator_id" in changes and not con.execute("SELECT count(*) FROM indicators WHERE indicator_id = $i",
                                                     {"i": changes["indicator_id"]}).fetchone()[0]:
        raise CorrectionError(f"unknown indicator id {changes['indicator_id']!r} (data/reference/indicators.yaml)")
    rows = con.execute(f"SELECT {', '.join(SHOW)} FROM targets WHERE doc_id = $d ORDER BY start, raw_name",
                       {"d": doc_id}).df()
    select = {"doc_id": doc_id, "raw_name": name, "source_kind": source_kind, "target_year": year}
    before = rows[_mask(rows, select)].reset_index(drop=True)
    if before.empty:
        near = sorted({n for n in rows["raw_name"] if name and (name in n or n in name)})
        hint = f"; names in {doc_id} like it: {', '.join(near[:8])}" if near else ""
        raise CorrectionError(f"the correction matches no statement of {doc_id} (raw_name {name!r}"
                              f"{', source ' + source_kind if source_kind else ''}{', year ' + str(year) if year else ''})"
                              f"{hint} / 未匹配任何记录")
    after = before.iloc[0:0].copy() if drop else before.copy()
    for field, value in changes.items():
        after[field] = value
    if not drop:
        after["curated"] = True
    base = {k: v for k, v in select.items() if v is not None}
    meta = {"reason": " ".join(str(reason).split()), "curator": curator_name(curator),
            "date": dt.date.fromisoformat(str(date)) if date else dt.date.today()}
    entries = [{**base, "drop": True, **meta}] if drop else [{**base, "field": f, "value": v, **meta}
                                                             for f, v in changes.items()]
    return entries, before, after


# --------------------------------------------------------------------------- writing


def entry_text(entry: dict) -> str:
    """One YAML list item, indented under `corrections:`."""
    body = yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=100).rstrip("\n").split("\n")
    return "\n".join(("  - " if i == 0 else "    ") + line for i, line in enumerate(body)) + "\n"


def append_entries(path: Path, entries: list[dict]) -> None:
    """Append corrections to the file as text (comments and earlier entries untouched), atomically."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else "corrections:\n"
    lines = text.split("\n")
    key = [i for i, line in enumerate(lines) if line.split("#")[0].rstrip() in ("corrections:", "corrections: []")]
    if not key:
        text = text.rstrip("\n") + "\ncorrections:\n"
    elif lines[key[0]].split("#")[0].rstrip() == "corrections: []":
        lines[key[0]] = "corrections:"
        text = "\n".join(lines)
    if not text.endswith("\n"):
        text += "\n"
    new = text + "".join(entry_text(e) for e in entries)
    parsed = yaml.safe_load(new).get("corrections") or []
    if parsed[-len(entries):] != entries:
        raise CorrectionError(f"{path.name}: the appended entries do not read back as written; file left unchanged")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- status


def correction_status(con, path: Path) -> pd.DataFrame:
    """Every correction with the number of statements it matches and its status."""
    raw = con.execute("SELECT doc_id, raw_name, source_kind, target_year FROM raw_targets").df()
    built = {(d, r, f, v) for d, r, f, v in con.execute(
        "SELECT DISTINCT doc_id, raw_name, field, value FROM curation_log").fetchall()}
    out = []
    for n, c in enumerate(load_yaml_list(Path(path), "corrections"), 1):
        k = int(_mask(raw, c).sum())
        key = (c.get("doc_id"), c.get("raw_name"), "drop" if c.get("drop") else c.get("field"))
        in_db = any(b[:3] == key and (c.get("drop") or b[3] == str(c.get("value"))) for b in built)
        status = ("applied 已应用" if in_db else "not built yet 待重建") if k else "matches nothing 未匹配"
        out.append({"entry": n, "doc_id": c.get("doc_id"), "raw_name": c.get("raw_name"),
                    "source_kind": c.get("source_kind"), "target_year": c.get("target_year"),
                    "change": "drop" if c.get("drop") else f"{c.get('field')} = {c.get('value')}",
                    "curator": c.get("curator"), "date": str(c.get("date") or ""), "n_rows": k,
                    "status": status,
                    "reason": " ".join(str(c.get("reason") or "").split())[:80]})
    return pd.DataFrame(out, columns=["entry", "doc_id", "raw_name", "source_kind", "target_year", "change", "curator",
                                      "date", "n_rows", "status", "reason"]).astype({"target_year": "Int32"})


# --------------------------------------------------------------------------- drops in the SQL marts


def drop_rows(con, path: Path) -> None:
    """Delete the `targets` rows that `drop: true` corrections match (called right after the mart is built).

    The log rows and the entries that match nothing are kept in `curation_drops` for `finish_drops`,
    which runs once every mart exists."""
    log, unmatched = [], []
    for n, c in enumerate(load_yaml_list(Path(path), "corrections"), 1):
        if not c.get("drop"):
            continue
        where = _where(path, n, c)
        missing = [k for k in ("doc_id", "raw_name", "reason") if c.get(k) in (None, "")]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        params = {"d": c["doc_id"], "n": c["raw_name"], "k": c.get("source_kind") or None,
                  "y": int(c["target_year"]) if c.get("target_year") else None}
        cond = ("doc_id = $d AND raw_name = $n AND ($k IS NULL OR source_kind = $k) "
                "AND ($y IS NULL OR target_year = $y)")
        rows = con.execute(f"SELECT indicator_id, source_kind, target_year, target_value FROM targets WHERE {cond}",
                           params).fetchall()
        if not rows:
            unmatched.append((c["doc_id"], where))
            continue
        for ind, kind, year, old in rows:
            log.append((c["doc_id"], c["raw_name"], ind, kind, year, "drop", None if old is None else str(old),
                        "dropped 已删除", " ".join(str(c["reason"]).split()), c.get("curator"),
                        str(c.get("date") or "")))
        con.execute(f"DELETE FROM targets WHERE {cond}", params)
    con.execute("CREATE OR REPLACE TEMP TABLE curation_drops (doc_id VARCHAR, raw_name VARCHAR, indicator_id VARCHAR, "
                "source_kind VARCHAR, target_year INTEGER, field VARCHAR, old_value VARCHAR, value VARCHAR, "
                "reason VARCHAR, curator VARCHAR, curated_on VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE curation_drops_unmatched (doc_id VARCHAR, label VARCHAR)")
    if log:
        con.executemany("INSERT INTO curation_drops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log)
    if unmatched:
        con.executemany("INSERT INTO curation_drops_unmatched VALUES (?, ?)", unmatched)


def finish_drops(con) -> None:
    """Add the drops to `curation_log` and a `curation_unmatched` flag for each drop that matched nothing."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'curation_drops'").fetchall()[0][0]:
        return
    cols = ("doc_id", "raw_name", "indicator_id", "source_kind", "target_year", "field", "old_value", "value", "reason",
            "curator", "curated_on")
    typed = ", ".join(f'CAST("{c}" AS {"INTEGER" if c == "target_year" else "VARCHAR"}) AS "{c}"' for c in cols)
    con.execute(f"CREATE OR REPLACE TABLE curation_log AS SELECT {typed} FROM curation_log "
                f"UNION ALL SELECT {typed} FROM curation_drops")
    con.execute("""
        INSERT INTO quality_flags (doc_id, flag_no, stage, kind, severity, message, excerpt)
        SELECT u.doc_id,
               (coalesce((SELECT max(flag_no) FROM quality_flags q WHERE q.doc_id = u.doc_id), -1)
                + row_number() OVER (PARTITION BY u.doc_id ORDER BY u.label))::INTEGER,
               'align', 'curation_unmatched', 'warning',
               '人工校订未匹配任何记录 / correction matches no statement: ' || u.label, u.label
        FROM curation_drops_unmatched u""")
    con.execute("DROP TABLE curation_drops")
    con.execute("DROP TABLE curation_drops_unmatched")
