"""Every path the project uses, defined once (cookiecutter-data-science habit)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("PLANS_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
RAW_DIR = DATA / "raw"
REFERENCE_DIR = DATA / "reference"
CURATION_DIR = DATA / "curation"
PROCESSED_DIR = DATA / "processed"
DB_PATH = PROCESSED_DIR / "plans.duckdb"
QUERIES_DIR = ROOT / "queries"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
CACHE_DIR = ROOT / ".cache"

INDICATORS_YAML = REFERENCE_DIR / "indicators.yaml"
BENCHMARKS_YAML = REFERENCE_DIR / "benchmarks.yaml"
CITIES_YAML = REFERENCE_DIR / "cities.yaml"
CORRECTIONS_YAML = CURATION_DIR / "corrections.yaml"
COLUMNS_YAML = REFERENCE_DIR / "columns.yaml"

SIDECAR_SUFFIX = ".meta.yml"
RAW_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".wps")
