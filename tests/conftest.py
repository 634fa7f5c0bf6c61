"""Shared fixtures: paths to the real seed documents, cleaned once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SEEDS = {p.name[:3]: p for p in sorted(RAW.glob("*.txt"))}


@cache
def cleaned(prefix: str):
    from analysis.clean import clean_document

    return clean_document(SEEDS[prefix].read_bytes(), name=SEEDS[prefix].name)


@pytest.fixture(scope="session")
def seed_text():
    """seed_text('001') → cleaned text of that seed document."""
    return lambda prefix: cleaned(prefix).text


@pytest.fixture(scope="session")
def seed_clean():
    return cleaned


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The five seeds built once per session: a folder with `plans.duckdb`, `targets.csv` and `targets.parquet`.

    Shared by every test that only reads the seed database or its exports; open it read-only
    (`duckdb.connect(str(seed_build / "plans.duckdb"), read_only=True)`) and copy it before changing anything."""
    from analysis.build import build

    out = tmp_path_factory.mktemp("seed_build")
    build(RAW, out / "plans.duckdb", out, echo=None)
    return out


@pytest.fixture(scope="session")
def report_db(tmp_path_factory) -> Path:
    """The report tests' fixture database (seeds + a hostile document), built once per session; read-only."""
    from fixtures.report_db import shared_report_db

    return shared_report_db(tmp_path_factory)
