"""Tables typed with a delimiter instead of aligned columns become pipe rows (`a | b | c`), the layout
the table reader already reads:

- tab-separated lines (text copied out of Word, Excel or a web page): two or more consecutive lines of
  three or more tab-separated fields;
- single-space-separated cells under a header that names the columns (`序号 指标名称 2020年 2025年 属性`):
  a header of four or more cells with an indicator column and a year or attribute column, then two or more
  rows of three or more cells, each holding a value (a number, or a dash for none).

Every other line is left as it is, and the offsets map back to the original (only delimiters change).
"""

from __future__ import annotations

import re

from analysis.clean.pagetext import _lines, apply_edits
from analysis.clean.textmap import MappedText

_TABS = re.compile(r"[ ]*\t[\t ]*")
_SPACE = re.compile(r" +")
_NAME_COLUMN = re.compile(r"^(?:主要)?(?:指标|指标名称|项目|名称|内容)$")
_YEAR_COLUMN = re.compile(r"^(?:20\d\d年?(?:目标|基期)?(?:值)?|目标值|基期值|现状值|属性|指标属性|单位|计量单位)$")
_VALUE = re.compile(r"^(?:[≥≤<>＞＜]?[-+]?\d+(?:\.\d+)?[%‰]?(?:以上|以下|左右)?|—+|-+|/|无)$")


def _fields(line: str, rx: re.Pattern) -> list[str]:
    return [f for f in rx.split(line.strip()) if f]


def _tab_edits(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits = []
    run: list[tuple[int, int]] = []
    for s, e in [*lines, (len(text), len(text))]:
        if "|" not in text[s:e] and len(_fields(text[s:e], _TABS)) >= 3:
            run.append((s, e))
            continue
        if len(run) >= 2:
            for rs, re_ in run:
                line = text[rs:re_]
                lead = len(line) - len(line.lstrip())
                edits += [(rs + m.start(), rs + m.end(), " | ") for m in _TABS.finditer(line, lead, len(line.rstrip()))]
        run = []
    return edits


def _header(cells: list[str]) -> bool:
    return (len(cells) >= 4 and any(_NAME_COLUMN.match(c) for c in cells)
            and sum(bool(_YEAR_COLUMN.match(c)) for c in cells) >= 2)


def _space_edits(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        head = _fields(text[s:e], _SPACE)
        if "\t" in text[s:e] or "|" in text[s:e] or not _header(head):
            i += 1
            continue
        rows = [lines[i]]
        j = i + 1
        while j < len(lines):
            row = text[lines[j][0]:lines[j][1]]
            cells = _fields(row, _SPACE)
            if "|" in row or not (3 <= len(cells) <= len(head) + 1 and any(_VALUE.match(c) for c in cells[1:])):
                break
            rows.append(lines[j])
            j += 1
        if len(rows) >= 3:
            for rs, re_ in rows:
                line = text[rs:re_]
                lead, end = len(line) - len(line.lstrip()), len(line.rstrip())
                edits += [(rs + m.start(), rs + m.end(), " | ") for m in _SPACE.finditer(line, lead, end)]
        i = j
    return edits


def delimit_tables(mt: MappedText) -> MappedText:
    """Tab- and single-space-delimited table blocks as pipe rows (see the module docstring)."""
    text = mt.text
    if "\t" not in text and not re.search(r"\d{4}年 ", text):
        return mt
    lines = _lines(text)
    edits = _tab_edits(text, lines) if "\t" in text else []
    taken = {s for s, _, _ in edits}
    edits += [x for x in _space_edits(text, lines) if x[0] not in taken]
    return apply_edits(mt, edits)
