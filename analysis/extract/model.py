"""Records that flow out of cleaning and extraction (see docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.flags import Flag  # noqa: F401  (re-exported: extraction results carry flags)


@dataclass
class RawTarget:
    """One stated target, baseline or historical observation, as written."""

    raw_name: str
    domain: str | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    comparator: str | None = None
    target_value_high: float | None = None
    target_text: str | None = None
    unit: str | None = None
    attribute: str | None = None
    source_kind: str = "prose"
    quote: str = ""
    start: int = 0
    end: int = 0


@dataclass
class ExtractResult:
    targets: list[RawTarget] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
