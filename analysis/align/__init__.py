"""Stage 5, align: raw statements → registry indicator ids and scopes, canonical units, curation; the marts."""

from analysis.align.marts import build_marts, export_targets

__all__ = ["build_marts", "export_targets"]
