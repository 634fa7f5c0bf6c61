"""Text with an offset map back to the raw characters it came from.

Every cleaning step takes a `MappedText` and returns a new one. `origin[i]` is the offset, in the
decoded raw text, of cleaned character i; the map is non-decreasing, so a cleaned span maps to a
raw span with two look-ups, and a raw offset maps back with a binary search.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class MappedText:
    text: str
    origin: array  # array('q'): raw offset of each character
    raw_len: int

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, array("q", range(len(text))), len(text))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) covering cleaned [start, end)."""
        if not self.origin or start >= len(self.origin):
            return self.raw_len, self.raw_len
        raw_start = self.origin[max(start, 0)]
        raw_end = self.origin[end - 1] + 1 if end > start else raw_start
        return raw_start, raw_end

    def clean_offset(self, raw_offset: int) -> int:
        """First cleaned offset whose origin is at or after `raw_offset`."""
        return bisect.bisect_left(self.origin, raw_offset)

    def sub(self, pattern: re.Pattern[str] | str, repl: Callable[[re.Match[str]], str | None]) -> MappedText:
        """Replace each match by `repl(match)` (None keeps it), carrying the offset map along.

        Replacement characters map to the raw offsets of the characters they replace (position by
        position, the last one repeated), so a quote that covers a replacement maps to its raw span.
        """
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        parts: list[str] = []
        origin = array("q")
        last = 0
        changed = False
        for m in rx.finditer(self.text):
            new = repl(m)
            if new is None:
                continue
            changed = True
            s, e = m.span()
            parts.append(self.text[last:s])
            origin.extend(self.origin[last:s])
            parts.append(new)
            span = self.origin[s:e]
            if new:
                if span:
                    origin.extend(span[i] if i < len(span) else span[-1] for i in range(len(new)))
                else:  # pure insertion: map to the next character's origin
                    anchor = self.origin[s] if s < len(self.origin) else self.raw_len
                    origin.extend([anchor] * len(new))
            last = e
        if not changed:
            return self
        parts.append(self.text[last:])
        origin.extend(self.origin[last:])
        return MappedText("".join(parts), origin, self.raw_len)

    def translate_same_length(self, convert: Callable[[str], str]) -> MappedText:
        """Apply a character-for-character conversion (t2s, width folding); keeps the map.

        Lines whose converted length differs are converted character by character instead, so the
        map stays exact.
        """
        out = convert(self.text)
        if len(out) == len(self.text):
            return MappedText(out, self.origin, self.raw_len)
        lines = self.text.split("\n")
        fixed = []
        for line in lines:
            conv = convert(line)
            if len(conv) != len(line):
                conv = "".join(c2 if len(c2 := convert(c)) == 1 else c for c in line)
            fixed.append(conv)
        return MappedText("\n".join(fixed), self.origin, self.raw_len)
