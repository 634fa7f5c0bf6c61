"""The setup every report notebook shares, in one call: ``report = open_report(db_path)``.

It opens the database read-only, sets the chart renderers (plotly inline and offline, pyecharts for
JupyterLab, echarts embedded again by the first chart after the call), sets pandas display options,
and loads the corpus every page names its sources from. Notebooks then read only through
``report.run_query(name, **params)`` (one SQL file in ``queries/`` per question).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config
from analysis.warehouse.db import connect
from analysis.warehouse.queries import run_query

PER_CITY_MAX = 40  # up to this many documents a topic page draws one row per city; beyond, aggregates
DISPLAY_OPTIONS = {"display.max_columns": 50, "display.max_colwidth": 80, "display.width": 160,
                   "display.precision": 2}


@dataclass
class Report:
    """An open report: the connection, the corpus (one row per document) and helpers on both."""

    con: duckdb.DuckDBPyConnection
    corpus: pd.DataFrame
    db_path: Path

    @property
    def all_labels(self) -> list[str]:
        """Every document's city label in doc_id order: charts show a document that is silent as such."""
        return self.corpus["city_label"].tolist()

    @property
    def n_docs(self) -> int:
        return len(self.corpus)

    @property
    def per_city(self) -> bool:
        """Few enough documents for one chart row per city (else the page draws aggregates)."""
        return self.n_docs <= PER_CITY_MAX

    def indicator_app(self, indicator_id: str, target_year: int = 2025):
        """The indicator page's interactive part (picker, distribution, ranking, groups, map, table + CSV)."""
        from analysis.publish.grapher import indicator_page, load_indicator

        return indicator_page(load_indicator(self.con, indicator_id, target_year))

    def run_query(self, name: str, **params) -> pd.DataFrame:
        """``queries/<name>.sql`` with bound parameters."""
        return run_query(self.con, name, **params)

    def source(self, doc_ids: Iterable[str], extra: str | None = None) -> str:
        """The source line naming the documents behind a chart (+ e.g. a benchmark's source)."""
        from analysis.publish.charts import source_for

        line = source_for(self.corpus, doc_ids)
        return line + (f"; {extra}" if extra else "")

    def document(self, doc_id: str | None = None) -> pd.Series:
        """One document's corpus row (``None``: the first document)."""
        if doc_id is None:
            if self.corpus.empty:
                raise LookupError(f"{self.db_path}: the database holds no document")
            return self.corpus.iloc[0]
        hit = self.corpus[self.corpus["doc_id"] == doc_id]
        if hit.empty:
            raise LookupError(f"{self.db_path}: no document {doc_id!r}")
        return hit.iloc[0]


def set_up_display(plotly: bool = True) -> None:
    """Renderers and display options (idempotent): plotly offline inline, echarts re-embedded once.

    ``plotly=False`` (pages drawn by echarts only: the indicator pages, the explorer) skips importing
    plotly and pyecharts, ~4 s of CPU per kernel: a third of an indicator page's cost.
    """
    from analysis.publish import offline

    if plotly:
        from analysis.publish import charts  # noqa: F401  (sets the plotly theme and renderer)

        offline.setup_plotly()
    offline.reset()  # a re-run notebook (JupyterLab) embeds echarts again with its first chart
    for key, value in DISPLAY_OPTIONS.items():
        pd.set_option(key, value)


def open_report(db_path: str | Path | None = None, plotly: bool = True) -> Report:
    """Open the database (``None``: data/processed/plans.duckdb) read-only and set up the page
    (``plotly=False``: a page without plotly charts, see :func:`set_up_display`)."""
    set_up_display(plotly)
    path = Path(db_path) if db_path else config.DB_PATH
    con = connect(path, read_only=True)
    return Report(con=con, corpus=run_query(con, "corpus_overview"), db_path=path)
