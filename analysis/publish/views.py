"""Reshaping that notebooks used to do inline: query results → the rows a chart or a sentence needs.

Each function takes a query result (a DataFrame) and returns a new one; none reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.publish.format import fmt, is_missing, scope_label, wrap


def with_scope(df: pd.DataFrame, base_col: str, out: str = "label", *, as_written: bool = True) -> pd.DataFrame:
    """``out`` = ``base_col`` · scope (``晋中市 · 旗市区级 county``); rows without a scope keep ``base_col``.

    Reads ``scope`` (code) and ``scope_zh`` (as written) when present; ``as_written=False`` labels
    by the code only (``县级 county``), so scopes that mean the same thing share one label.
    """
    none = pd.Series([None] * len(df), index=df.index, dtype=object)
    codes = df["scope"] if "scope" in df.columns else none
    zh = df["scope_zh"] if "scope_zh" in df.columns and as_written else none
    labels = []
    for base, code, written in zip(df[base_col], codes, zh):
        s = scope_label(code, written)
        labels.append(f"{base} · {s}" if s else str(base))
    return df.assign(**{out: labels, "scope_label": [scope_label(c, w) for c, w in zip(codes, zh)]})


def preferred(df: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart uses: ``preferred`` (table before prose, decided once in the targets mart)."""
    if "preferred" not in df.columns:
        raise KeyError("preferred: the query result has no `preferred` column")
    return df[df["preferred"].fillna(False).astype(bool)]


def stated_as(df: pd.DataFrame, out: str = "stated_as") -> pd.DataFrame:
    """How a target reads: a number with its comparator (``≥58%``), or the words of a qualitative target."""
    words = []
    highs = df["target_value_high"] if "target_value_high" in df.columns else [None] * len(df)
    for c, v, hi, t, u in zip(df["comparator"], df["target_value"], highs, df["target_text"], df["unit"]):
        u = None if is_missing(u) else u
        if c == "qualitative" or is_missing(v):
            words.append(t if not is_missing(t) else "—")
        elif c == "range":
            words.append(f"{fmt(v)}–{fmt(hi, u)}" if not is_missing(hi) else f"≥{fmt(v, u)} (区间 range)")
        else:
            sign = "" if is_missing(c) or c in ("=",) else {">=": "≥", "<=": "≤"}.get(c, c)
            words.append(f"{sign}{fmt(v, u)}")
    return df.assign(**{out: words})


def horizon_and_milestones(df: pd.DataFrame, keys: Sequence[str] = ("indicator_id", "scope")
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split targets into the plan-horizon target per ``keys`` and the milestones before it.

    The horizon is the latest target year stated for that indicator and scope (2025 in a
    14th-plan document); earlier years (a 2023 step on the way) are milestones, never the target.
    """
    if df.empty:
        return df.copy(), df.copy()
    key_cols = [k for k in keys if k in df.columns]
    year = df["target_year"].astype("Float64")
    grp = df.assign(_k=[tuple("" if is_missing(v) else v for v in row) for row in
                        df[key_cols].itertuples(index=False, name=None)])
    last = year.groupby(grp["_k"]).transform("max")
    is_horizon = year.eq(last).fillna(False).astype(bool)
    horizon = df[is_horizon].drop_duplicates(key_cols)
    return horizon, df[~is_horizon]


def first_value(values: pd.Series):
    """The first non-missing value (e.g. the benchmark a query repeats on every row), or None."""
    present = values.dropna()
    return present.iloc[0] if len(present) else None


def count_by(df: pd.DataFrame, by: Sequence[str], out: str = "n") -> pd.DataFrame:
    """Rows per group, in order of first appearance."""
    return df.groupby(list(by), as_index=False, sort=False).size().rename(columns={"size": out})


def ranked(df: pd.DataFrame, value: str, *, ascending: bool = False) -> pd.DataFrame:
    """Rows by ``value`` (highest first unless ``ascending``), ties by doc_id: a stable order to quote."""
    return df.dropna(subset=[value]).sort_values([value, "doc_id"], ascending=[ascending, True], kind="stable")


def tied_at_top(df: pd.DataFrame, value: str, label_col: str = "city_label") -> tuple[list[str], object]:
    """Every label sharing the highest ``value``, and that value ("highest: A and B at 60 %")."""
    r = ranked(df, value)
    if r.empty:
        return [], None
    top = r[value].iloc[0]
    return r.loc[r[value] == top, label_col].astype(str).tolist(), top


def target_markers(df: pd.DataFrame, unit: str = "%", label_col: str = "city_label") -> list[dict]:
    """Star markers for ``series_chart``: one per row, at its target year and value, with its quote."""
    from analysis.publish.format import esc

    out = []
    for r in df.itertuples(index=False):
        lab, v = getattr(r, label_col), r.target_value
        comp = "" if is_missing(r.comparator) else esc(r.comparator) + " "
        out.append({"label": f"{lab} {fmt(v, unit)}", "x": int(r.target_year), "y": float(v),
                    "hover": f"{esc(lab)} {int(r.target_year)} 目标 target {comp}{fmt(v, unit)}<br>{wrap(r.quote)}"})
    return out
