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
    value_kind: str = "level"  # level | change (`新增…`, `增加10万人左右`: an increment, not a level)
    # offsets in the cleaned text of the numbers this row was read from (the `numbers` decisions)
    value_spans: list = field(default_factory=list, repr=False, compare=False)


@dataclass
class NumberDecision:
    """What became of one number of the text: a row, a table cell, or rejected with a reason."""

    start: int
    end: int
    text: str
    value: float | None
    decision: str  # target | milestone | baseline | observation | table | rejected | unexplained
    reason: str | None = None
    target_no: int | None = None
    page: int | None = None


@dataclass
class ExtractResult:
    targets: list[RawTarget] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    numbers: list[NumberDecision] = field(default_factory=list)
