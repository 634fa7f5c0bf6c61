"""Sentences of the prose outside tables, with their section, paragraph and the years they name.

Sentences end at 。；！？ (phrases.yaml `sentence_ends`), never at a line end inside a paragraph:
a PDF export breaks lines mid-sentence (`到2023年` on one line, the number on the next), so a line
break only ends a paragraph when the line before it ends a sentence, the next line opens with a
heading number, a blank line follows, or the line before is a short heading.

Matching runs on `Sentence.norm` (line breaks removed, 百分之六十 → 60%); `Sentence.origin` maps
each character of it back into `Sentence.text`, so quotes stay exact substrings of the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from analysis.extract.numbers import has_cn_number_words, normalise_cn_percent_map
from analysis.extract.vocabulary import alt, raw_patterns, words

_ENDS = "".join(words("sentence_ends"))
SENTENCE = re.compile(rf"[^{re.escape(_ENDS)}]+[{re.escape(_ENDS)}]?")
HEADING_START = re.compile(rf"^\s*(?:{raw_patterns('heading_numbers')})")
_PARA_END = tuple(words("sentence_ends")) + ("：", ":")
SHORT_LINE = 20  # a line shorter than this with no punctuation at all is a heading, not a wrapped line
_CLAUSE_MARK = re.compile("[" + re.escape("".join(words("clause_ends")) + "、") + "]")

# `到2025年`, `2023年底`, `“十四五”末`: the year a clause is about (2035 kept as 2035)
YEAR_CTX = re.compile(rf"(?:到|至|在|于|力争|争取)?\s*(20[2-3]\d)\s*年(?:底|末)?|{alt('horizon')}")
PAST_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_TENTHS = re.compile(r"[一二两三四五六七八九]成")  # 三成 (30%): the sentence needs the normalising pass


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    section: str | None
    paragraph: int
    norm: str = ""
    origin: list[int] | range = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.norm and "\n" not in self.text and "\r" not in self.text and "百分之" not in self.text \
                and not _TENTHS.search(self.text) and not has_cn_number_words(self.text):
            self.norm, self.origin = self.text, range(len(self.text) + 1)  # nothing to normalise
        elif not self.norm:
            flat, keep = [], []
            drop = _wrap_blanks(self.text)
            for i, ch in enumerate(self.text):
                if ch not in "\r\n" and i not in drop:
                    flat.append(ch)
                    keep.append(i)
            keep.append(len(self.text))
            norm, origin = normalise_cn_percent_map("".join(flat))
            self.norm, self.origin = norm, [keep[j] for j in origin]
        self.mentions = _mentions(self.norm)

    def span_of(self, a: int, b: int) -> tuple[int, int]:
        """Offsets in the document of norm[a:b]."""
        return self.start + self.origin[a], self.start + self.origin[b]

    def words_of(self, a: int, b: int) -> str:
        """The sentence's own words for norm[a:b] (line breaks included, as written)."""
        return self.text[self.origin[a]:self.origin[b]]


_WRAP = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")


def _wrap_blanks(text: str) -> set[int]:
    """Offsets of the blanks around a hard line wrap (a layout export indents the next line:
    `改造提升\\n      率达到100%`): dropped with the line break, so a name is not cut by them. Between two
    ASCII letters or digits one blank stays (`100\\n 200` are two numbers)."""
    out: set[int] = set()
    for m in _WRAP.finditer(text):
        a, b = m.start(), m.end()
        blanks = [i for i in range(a, b) if text[i] not in "\r\n"]
        if not blanks:
            continue
        left, right = text[a - 1:a], text[b:b + 1]
        if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            blanks = blanks[1:]
        out.update(blanks)
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: lines joined across hard wraps."""
    out: list[tuple[int, int]] = []
    pos, cur = 0, None
    lines = text.split("\n")
    for _i, line in enumerate(lines):
        s, e = pos, pos + len(line)
        pos = e + 1
        body = line.strip()
        if not body:
            if cur:
                out.append(cur)
            cur = None
            continue
        if cur is None:
            cur = (s, e)
            continue
        prev = text[cur[0]:cur[1]].rstrip()
        last_line = prev.rsplit("\n", 1)[-1].strip()
        wrapped = (not prev.endswith(_PARA_END) and not HEADING_START.match(line)
                   and (len(last_line) >= SHORT_LINE or _CLAUSE_MARK.search(last_line))
                   and not HEADING_START.match(last_line)
                   and "|" not in line and "|" not in last_line)
        if wrapped:
            cur = (cur[0], e)
        else:
            out.append(cur)
            cur = (s, e)
    if cur:
        out.append(cur)
    return out


def split_sentences(text: str, spans: list[tuple[int, int]], passages=None) -> list[Sentence]:
    """Sentences outside the table spans, in text order, each with its section heading path."""
    sections = sorted(((p.start, p.end, p.heading_path) for p in passages or []), key=lambda x: x[0])
    spans = sorted(spans)
    out: list[Sentence] = []
    k = 0
    for pno, (ps, pe) in enumerate(paragraphs(text)):
        for a, b in _outside(ps, pe, spans):
            for m in SENTENCE.finditer(text, a, b):
                s, e = m.span()
                raw = m.group(0)
                lead = len(raw) - len(raw.lstrip())
                body = raw.strip()
                if not body:
                    continue
                s += lead
                while k + 1 < len(sections) and sections[k + 1][0] <= s:
                    k += 1
                section = sections[k][2] if sections and sections[k][0] <= s else None
                out.append(Sentence(s, s + len(body), body, section, pno))
    return out


def _outside(a: int, b: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of [a, b) not covered by a table span (`spans` sorted)."""
    parts, cur = [], a
    k = max(0, bisect.bisect_right(spans, (a, a)) - 1)
    for s, e in spans[k:]:
        if s >= b:
            break
        if e <= cur or s >= b:
            continue
        if s > cur:
            parts.append((cur, s))
        cur = max(cur, e)
    if cur < b:
        parts.append((cur, b))
    return parts


def year_mentions(norm) -> list[tuple[int, int]]:
    """(end offset, year) of each future year the sentence names; the horizon words read as 2025.
    (A `Sentence` keeps its own, computed once.)"""
    if isinstance(norm, Sentence):
        return norm.mentions
    return _mentions(norm)


def _mentions(norm: str) -> list[tuple[int, int]]:
    out = []
    if "年" not in norm and "十四五" not in norm and "规划期末" not in norm:
        return out
    for m in YEAR_CTX.finditer(norm):
        y = int(m.group(1)) if m.group(1) else 2025
        if y >= 2021:
            out.append((m.end(), y))
    return out


def year_at(mentions: list[tuple[int, int]], pos: int, default: int | None) -> int | None:
    """The year in force at `pos`: the last one named before it in the sentence, else `default`."""
    year = None
    for end, y in mentions:
        if end <= pos:
            year = y
    return year if year is not None else default


_HEADING_PREFIX = re.compile(rf"^(?:{raw_patterns('heading_numbers')})\s*")


def section_name(path: str | None) -> str | None:
    """The last heading of a passage's heading path, without its number (`（二）…` → `…`)."""
    if not path:
        return None
    last = path.split(" > ")[-1]
    return _HEADING_PREFIX.sub("", last) or None


_CLAUSE = re.compile(r"(?:[^，,；;：:。！？!?]|(?<=\d),(?=\d{3}))+")  # `2,800` is one number, not two clauses
_HAS_NUMBER = re.compile(r"\d|[一二两三四五六七八九十][个家处所名人张]")


def numeric_clauses(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence that hold a number (Arabic, or a Chinese count)."""
    return [m.span() for m in _CLAUSE.finditer(norm) if _HAS_NUMBER.search(m.group(0))]
