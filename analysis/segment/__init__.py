"""Stage 3, segment: cleaned text → passages (headings, paragraphs, table blocks) with their heading path."""

from analysis.segment.passages import Passage, heading_level, split_passages

__all__ = ["Passage", "heading_level", "split_passages"]
