"""Cleaned text → passages: headings, paragraphs and table blocks, each with its heading path.

Heading levels follow how these plans are numbered: 第X章 / 一、 (1), 第X节 / (一) (2),
1. / 1、 (3) — only on short lines without sentence punctuation. Table-of-contents lines (a
heading followed by a page number) are kept as `toc` passages and never enter the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = "一二三四五六七八九十百零〇"
_LEVELS = (
    (1, re.compile(rf"^(第[{_NUM}]+章|[{_NUM}]+、)")),
    (2, re.compile(rf"^(第[{_NUM}]+节|[(（][{_NUM}]+[)）])")),
    (3, re.compile(r"^\d{1,2}[.、．](?!\d)")),
)
_TOC = re.compile(r"\s\d{1,3}$")
_SENTENCE = re.compile(r"[。；;]")
_CELL_LINE = re.compile(r"^.{0,40}$")


@dataclass
class Passage:
    index: int
    kind: str  # heading | toc | paragraph | table
    heading_path: str
    start: int
    end: int
    text: str


def heading_level(line: str) -> int | None:
    if len(line) > 40 or _SENTENCE.search(line):
        return None
    for level, rx in _LEVELS:
        if rx.match(line):
            return level
    return None


def _is_table_line(line: str) -> bool:
    return line.count("|") >= 2


def split_passages(text: str) -> list[Passage]:
    """Split cleaned text into passages (offsets into `text`)."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    passages: list[Passage] = []
    path: dict[int, str] = {}

    def add(kind: str, start: int, end: int) -> None:
        body = text[start:end]
        if body.strip():
            passages.append(Passage(len(passages), kind, " > ".join(path[k] for k in sorted(path)), start, end, body))

    i = 0
    n = len(lines)
    while i < n:
        start, line = lines[i]
        if not line.strip():
            i += 1
            continue
        level = heading_level(line)
        if level is not None:
            if _TOC.search(line):
                add("toc", start, start + len(line))
            else:
                for k in [k for k in path if k >= level]:
                    del path[k]
                path[level] = line.strip()
                add("heading", start, start + len(line))
            i += 1
            continue
        if _is_table_line(line):
            j = i
            while j < n and (_is_table_line(lines[j][1]) or not lines[j][1].strip()) and j - i < 500:
                j += 1
            while j > i and not lines[j - 1][1].strip():
                j -= 1
            end = lines[j - 1][0] + len(lines[j - 1][1])
            add("table", start, end)
            i = j
            continue
        # a run of short cell-like lines (one cell per line) is a table block
        j = i
        cells = 0
        while j < n and (not lines[j][1].strip() or (_CELL_LINE.match(lines[j][1]) and not _SENTENCE.search(lines[j][1])
                                                     and heading_level(lines[j][1]) is None)):
            cells += bool(lines[j][1].strip())
            j += 1
        if cells >= 12:
            while j > i and not lines[j - 1][1].strip():
                j -= 1
            add("table", start, lines[j - 1][0] + len(lines[j - 1][1]))
            i = j
            continue
        add("paragraph", start, start + len(line))
        i += 1
    return passages
