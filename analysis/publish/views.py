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


# --------------------------------------------------------------------------- aggregates (pages that stay bounded at any N)


def group_of(corpus: pd.DataFrame, df: pd.DataFrame, by: str = "province", out: str = "group") -> pd.DataFrame:
    """``df`` with its documents' ``by`` (province, admin_level …) from the corpus; unknown → ``未知 unknown``."""
    g = corpus.set_index("doc_id")[by] if by in corpus.columns else pd.Series(dtype=object)
    vals = df["doc_id"].map(g)
    return df.assign(**{out: [("未知 unknown" if is_missing(v) or v == "" else str(v)) for v in vals]})


def coverage_share(coverage: pd.DataFrame, corpus: pd.DataFrame, by: str = "province") -> pd.DataFrame:
    """One row per indicator × group: documents stating it, documents in the group, their share (%).

    ``coverage``: rows of ``indicator_coverage`` (one per indicator × document, ``stated`` true/false).
    """
    df = group_of(corpus, coverage, by)
    agg = df.groupby(["indicator_id", "group"], sort=False).agg(
        indicator_zh=("indicator_zh", "first"), indicator_en=("indicator_en", "first"),
        n_stating=("stated", "sum"), n_docs=("doc_id", "nunique")).reset_index()
    agg["n_stating"] = agg["n_stating"].astype(int)
    agg["share_pct"] = 100.0 * agg["n_stating"] / agg["n_docs"].clip(lower=1)
    return agg


def distribution(df: pd.DataFrame, by: Sequence[str], value: str = "target_value") -> pd.DataFrame:
    """Per group: n documents, min, quartiles, median, max of ``value`` (rows without a value left out)."""
    d = df.dropna(subset=[value])
    if d.empty:
        return pd.DataFrame(columns=[*by, "n_docs", "min", "q1", "median", "q3", "max"])
    g = d.groupby(list(by), sort=False, dropna=False)[value]
    out = pd.DataFrame({"n_docs": d.groupby(list(by), sort=False, dropna=False)["doc_id"].nunique(),
                        "min": g.min(), "q1": g.quantile(0.25), "median": g.median(), "q3": g.quantile(0.75),
                        "max": g.max()}).reset_index()
    return out.sort_values(["n_docs", *by], ascending=[False, *[True] * len(by)], kind="stable").reset_index(drop=True)


def top_counts(df: pd.DataFrame, by: Sequence[str], k: int = 20, out: str = "n") -> pd.DataFrame:
    """The ``k`` groups with the most rows (ties by the group's values), with the number of documents."""
    g = df.groupby(list(by), dropna=False, sort=False)
    res = pd.DataFrame({out: g.size(), "n_docs": g["doc_id"].nunique()}).reset_index()
    return res.sort_values([out, *by], ascending=[False, *[True] * len(by)], kind="stable").head(k).reset_index(drop=True)


def median_by(df: pd.DataFrame, by: Sequence[str], columns: Sequence[str], label: str = "中位数 median",
              label_col: str = "city_label") -> pd.DataFrame:
    """One pseudo-entity (``label``) whose value at each ``by`` is the median over documents (and how many)."""
    if df.empty:
        return df.assign(**{label_col: []})
    g = df.groupby(list(by), sort=True)
    out = g[list(columns)].median().reset_index()
    out["n_docs"] = g["doc_id"].nunique().to_numpy()
    out[label_col] = label
    out["doc_id"] = None
    out["quote"] = [f"{n} 份文件的中位数 median of {n} documents" for n in out["n_docs"]]
    return out


def split_names(value, sep: str = "、") -> list[str]:
    """The names of a ``string_agg`` column (``A、B``), [] when missing."""
    return [] if is_missing(value) or not str(value) else str(value).split(sep)


def named_counts(df: pd.DataFrame, columns: Sequence[str], k: int = 5) -> pd.DataFrame:
    """Each ``string_agg`` column replaced by ``n: first k names …`` (a list of 3,000 names reads as none)."""
    out = df.copy()
    for c in columns:
        names = [split_names(v) for v in df[c]]
        out[c] = [f"{len(n)}: " + "、".join(n[:k]) + (" …" if len(n) > k else "") if n else None for n in names]
    return out


def by_total(df: pd.DataFrame, label_col: str, value_col: str = "n") -> pd.DataFrame:
    """Rows ordered by their label's total ``value_col`` (largest first, ties by label): bars read as a ranking."""
    tot = df.groupby(label_col)[value_col].sum()
    order = {k: i for i, k in enumerate(sorted(tot.index, key=lambda k: (-tot[k], str(k))))}
    return df.sort_values(label_col, key=lambda s: s.map(order), kind="stable")
