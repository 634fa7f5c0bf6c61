"""The quality flag: one record shared by every stage (cleaning, extraction, alignment, build)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Flag:
    """A quality flag. Offsets are into the cleaned text (None: the whole document)."""

    kind: str
    severity: str  # info | warning | error
    message: str
    start: int | None = None
    end: int | None = None
    detail: str | None = None
    raw_start: int | None = None
    raw_end: int | None = None
