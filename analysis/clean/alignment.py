"""Space-aligned table blocks keep their spacing through whitespace normalisation.

`protect_alignment` holds the indentation and the column gaps of aligned table lines as figure
spaces (U+2007, which whitespace normalisation leaves alone); `restore_alignment` turns them back
into spaces. Every other line has its runs of spaces collapsed as before.
"""

from __future__ import annotations

import re

from analysis.clean.pagetext import _GAP, _indent, _lines, apply_edits
from analysis.clean.textmap import MappedText

_HOLD = "\u2007"  # figure space: not touched by whitespace normalisation, restored afterwards


def aligned_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of space-aligned table blocks: ≥ 3 lines, ≥ 2 of them with two or more column gaps;
    continuation lines (one chunk, indented) and single blank lines allowed inside."""
    lines = _lines(text)
    gaps = [len(_GAP.findall(text[s:e].strip())) if "|" not in text[s:e] else -1 for s, e in lines]
    out = []
    i = 0
    while i < len(lines):
        if gaps[i] < 1:
            i += 1
            continue
        j, multi, last_aligned = i, 0, i
        while j < len(lines):
            t = text[lines[j][0]:lines[j][1]]
            if gaps[j] >= 1:
                multi += gaps[j] >= 2
                last_aligned = j
            elif not t.strip():
                if not any(gaps[x] >= 1 for x in range(j + 1, min(j + 4, len(lines)))):
                    break
            elif not (_indent(t) >= 4 and len(t.strip()) <= 30):
                break
            j += 1
        nxt = last_aligned + 1  # the wrapped tail of the last row
        if nxt < len(lines) and gaps[nxt] == 0 and text[lines[nxt][0]:lines[nxt][1]].strip():
            t = text[lines[nxt][0]:lines[nxt][1]]
            if _indent(t) >= 4 and len(t.strip()) <= 30 and not re.match(r"\s*(续表|表\s*\d)", t):
                last_aligned = nxt
        if multi >= 2 and last_aligned - i >= 2:
            out.append((lines[i][0], lines[last_aligned][1]))
        i = max(last_aligned + 1, i + 1)
    return out


def protect_alignment(mt: MappedText) -> MappedText:
    """Hold the spaces of aligned table lines (inner gaps and indentation) as figure spaces."""
    blocks = aligned_blocks(mt.text)
    if not blocks:
        return mt
    text = mt.text
    edits = []
    for bs, be in blocks:
        for m in re.finditer(r"(?m)^ +(?=\S)| {2,}(?=\S)", text[bs:be]):
            edits.append((bs + m.start(), bs + m.end(), _HOLD * (m.end() - m.start())))
    return apply_edits(mt, edits)


def restore_alignment(mt: MappedText) -> MappedText:
    if _HOLD not in mt.text:
        return mt
    return mt.translate_same_length(lambda s: s.replace(_HOLD, " "))
