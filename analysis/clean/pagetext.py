"""Plain text laid out on pages (text exported from a PDF, `pdftotext -layout` style): page furniture
out, hard wraps joined, column alignment of tables kept.

- Pages are split at form feeds (or, without them, after folio lines). Folios (`— 3 —`, `- 3 -`,
  `第 3 页`, `3 / 12`; a bare number only when such numbers count the pages) are removed and kept as
  the page's printed label; running headers and footers
  (a short line repeated at the top or bottom of many pages) are removed; table-of-contents blocks
  (entries with dotted leaders and a page number) are removed.
- Hard wraps inside paragraphs are joined (Chinese lines without a space) only when the document
  shows the evidence of wrapping: many lines of the same display width. A line with a column gap
  (two or more spaces inside it) or a pipe, a short line (a table cell on its own line), and a line
  that starts a heading or an indented paragraph are never joined.
- Lines of space-aligned tables keep their spacing through whitespace normalisation
  (`clean/alignment.py`), so the table reader can find the columns.

`clean_layout` returns the new text and the pages as (raw offset of the page's first character,
printed label); `clean_document` maps them to cleaned offsets as `PageSpan`s (`CleanResult.pages`,
`CleanResult.page_at`): the physical page (1-based, counted at form feeds) and the printed label.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import Counter

from analysis.clean.layout import PageSpan, span_at  # noqa: F401  (span_at re-exported)
from analysis.clean.textmap import MappedText


def page_spans(starts: list[tuple[int, str]], length: int) -> list[PageSpan]:
    """(cleaned start, label) of each page → spans; the text of a removed page (a TOC) is empty."""
    out = []
    for i, (s, label) in enumerate(starts):
        e = starts[i + 1][0] if i + 1 < len(starts) else length
        out.append(PageSpan(s, max(e, s), i + 1, label or None))
    return out

_DASHES = r"[-—–－―~～_]"
_FOLIO = re.compile(
    rf"^\s*(?:{_DASHES}{{1,3}}\s*(?P<a>\d{{1,4}}|[IVXLivxl]{{1,6}})\s*{_DASHES}{{1,3}}"
    rf"|第\s*(?P<b>\d{{1,4}})\s*页(?:\s*[,，/／]?\s*共\s*\d{{1,4}}\s*页)?"
    rf"|(?P<c>\d{{1,4}})\s*/\s*\d{{1,4}}"
    rf"|(?:page|p\.)\s*(?P<d>\d{{1,4}}))\s*$", re.I)
_BARE_NUMBER = re.compile(r"^\s*(?P<a>\d{1,4})\s*$")
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|．{4,}|-{6,})\s*\d{1,4}\s*$")
_FOLIO_HINT = re.compile(rf"{_DASHES}\s*\d{{1,4}}\s*{_DASHES}|第\s*\d{{1,4}}\s*页|\d\s*/\s*\d")
_LEADER_HINT = re.compile(r"\.{4}|…{2}|·{4}|．{4}|-{6}")
_TOC_TITLE = re.compile(r"^\s*目\s*录\s*$|^\s*contents\s*$", re.I)
_GAP = re.compile(r"\S(?: {2,})(?=\S)")
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零\d]+[章节条部分]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]"
                      r"|\d{1,2}[.、．](?!\d)|专栏|表\s*\d|续表|附件|附表|——)")
_SENTENCE_END = "。！？；：!?;:"




# East Asian wide and full-width ranges (Unicode EAW W/F), and the punctuation above
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
                   "\U00020000-\U0003fffd,;:!?()]")


def display_width(s: str) -> int:
    """Width of a line as printed: CJK characters and (formerly full-width) punctuation count two."""
    return len(s) + len(_WIDE.findall(s))


def apply_edits(mt: MappedText, edits: list[tuple[int, int, str]]) -> MappedText:
    """Replace non-overlapping spans [s, e) by new text, carrying the offset map (as `MappedText.sub`)."""
    if not edits:
        return mt
    parts: list[str] = []
    origin = array("q")
    last = 0
    for s, e, new in sorted(edits):
        if s < last:
            continue
        parts.append(mt.text[last:s])
        origin.extend(mt.origin[last:s])
        parts.append(new)
        span = mt.origin[s:e]
        anchor = mt.origin[s] if s < len(mt.origin) else mt.raw_len
        origin.extend(span[i] if i < len(span) else (span[-1] if span else anchor) for i in range(len(new)))
        last = e
    parts.append(mt.text[last:])
    origin.extend(mt.origin[last:])
    return MappedText("".join(parts), origin, mt.raw_len)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def is_aligned_line(line: str) -> bool:
    """A line with a column gap (two or more spaces between words) or pipe cells."""
    return bool(_GAP.search(line.strip())) or line.count("|") >= 2


# ---------------------------------------------------------------- pages and furniture

def _folio(line: str, bare_ok: bool) -> str | None:
    m = _FOLIO.match(line) or (_BARE_NUMBER.match(line) if bare_ok else None)
    if not m:
        return None
    return next(g for g in m.groups() if g)


def _edge_lines(text: str, lines: list[tuple[int, int]], k: int = 2) -> list[int]:
    """Indexes of the first and last k non-blank lines of a page."""
    nonblank = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
    return sorted(set(nonblank[:k] + nonblank[-k:]))


def _page_spans(text: str) -> list[tuple[int, int]]:
    """Pages at form feeds; without form feeds, a page ends after each folio line."""
    if "\f" in text:
        spans, pos = [], 0
        for part in text.split("\f"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
        return spans
    spans, start = [], 0
    for s, e in _lines(text):
        if _FOLIO.match(text[s:e]) and not is_aligned_line(text[s:e]):
            spans.append((start, e))
            start = e + 1
    if len(spans) < 2:
        return [(0, len(text))]
    spans.append((start, len(text)))
    return spans


def true_folios(found: list[tuple[int, str, bool]]) -> list[int]:
    """Which page-edge candidates (page index, printed number, bare?) are folios, as indexes into
    `found`. A decorated one (`— 3 —`, `第 3 页`) always is; a bare number only when the document
    prints no decorated folio and the bare numbers count the pages (number − page index the same on
    at least two pages, or the only one is its page's own number): a table row cut by a page break
    leaves a lone cell value at the next page's top, and that is data."""
    if any(not bare for _, _, bare in found):
        return [i for i, (_, _, bare) in enumerate(found) if not bare]
    offsets = Counter(int(lab) - p for p, lab, _ in found)
    if not offsets:
        return []
    best, n = offsets.most_common(1)[0]
    if n < 2 and not (len(found) == 1 and best in (0, 1)):
        return []
    return [i for i, (p, lab, _) in enumerate(found) if int(lab) - p == best]


def _key(line: str) -> str:
    return re.sub(r"\s+|\d+", "", line)


def find_furniture(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]], int]:
    """Line spans to delete (folios, running headers, TOC) and the pages: (start offset, label).

    Returns (deletions, pages, number of pages)."""
    pages = _page_spans(text)
    has_ff = "\f" in text
    deletions: list[tuple[int, int]] = []
    labels: list[tuple[int, str]] = []
    page_lines = []
    found: list[tuple[int, int, int, str, bool]] = []  # (page index, start, end, label, bare number)
    for p, (ps, pe) in enumerate(pages):
        lines = [(ps + s, ps + e) for s, e in _lines(text[ps:pe])]
        page_lines.append(lines)
        for i in _edge_lines(text, lines):
            s, e = lines[i]
            got = _folio(text[s:e], has_ff) if not is_aligned_line(text[s:e]) else None
            if got is not None:
                found.append((p, s, e, got, not _FOLIO.match(text[s:e])))
    folios = [found[i] for i in true_folios([(p, lab, bare) for p, _, _, lab, bare in found])]
    for p, (ps, _) in enumerate(pages):
        labels.append((ps, next((lab for q, _, _, lab, _ in folios if q == p), "")))
    deletions += [(s, e) for _, s, e, _, _ in folios]
    # running headers / footers: a short line at a page edge, repeated on many pages
    if len(pages) >= 3:
        seen: Counter[str] = Counter()
        edge: list[tuple[str, int, int]] = []
        for lines in page_lines:
            keys = set()
            for i in _edge_lines(text, lines):
                s, e = lines[i]
                line = text[s:e]
                if (s, e) in deletions or len(_GAP.findall(line.strip())) > 1 or len(line.strip()) > 40:
                    continue
                k = _key(line)
                if len(k) >= 2:
                    keys.add(k)
                    edge.append((k, s, e))
            seen.update(keys)
        need = max(3, (len(pages) + 1) // 2)
        labelled = any(lab for _, lab in labels)
        starts = [ps for ps, _ in pages]
        for k, s, e in edge:
            page_label = labels[bisect.bisect_right(starts, s) - 1][1]
            if seen[k] >= need and (page_label or not labelled):
                deletions.append((s, e))
    # table of contents: a 目录 title and/or a run of entries with dotted leaders
    lines = _lines(text) if _LEADER_HINT.search(text) else []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e].replace("\f", "")
        if _TOC_TITLE.match(line) or _LEADER.search(line):
            j, entries = i + (1 if _TOC_TITLE.match(line) else 0), 0
            while j < len(lines):
                t = text[lines[j][0]:lines[j][1]].replace("\f", "")
                if _LEADER.search(t):
                    entries += 1
                elif t.strip() and not _folio(t, has_ff):
                    break
                j += 1
            if entries >= 2:
                deletions += [(a, b) for a, b in lines[i:j]]
                i = j
                continue
        i += 1
    n_pages = len(pages) if len(pages) > 1 else 0
    return sorted(set(deletions)), (labels if n_pages else []), n_pages


# ---------------------------------------------------------------- wraps

def wrap_width(text: str) -> tuple[int, int] | None:
    """The document's wrap width (display columns) and tolerance, when the text shows the evidence
    of hard wrapping: many lines (≥ 5, ≥ 40 % of the prose lines) of one width, ≥ 40 columns, and
    ≥ 3 of them ending mid-sentence. Text with one paragraph per line never qualifies."""
    widths = []
    very_long = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) < 12:
            continue
        if len(line) > 200:  # one paragraph per line: wider than any page
            very_long += 1
            widths.append(400)
            continue
        if is_aligned_line(line):
            continue
        w = display_width(line.rstrip())
        if w > 200:
            very_long += 1
        widths.append(w)
    if len(widths) < 5 or very_long > 0.2 * len(widths):
        return None
    best, n_best, best_tol = None, 0, 0
    for w in sorted(set(widths), reverse=True):
        if w < 40 or w > 200:
            continue
        tol = max(2, w // 12)
        n = sum(1 for x in widths if w - tol <= x <= w)
        if n > n_best:
            best, n_best, best_tol = w, n, tol
    if best is None or n_best < 5 or n_best < 0.4 * len(widths):
        return None
    mid = sum(1 for line in text.split("\n") if best - best_tol <= display_width(line.rstrip()) <= best
              and not is_aligned_line(line) and line.rstrip()[-1:] not in _SENTENCE_END)
    return (best, best_tol) if mid >= 3 else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_letter_spaced(line: str) -> bool:
    """A justified line the exporter spread out character by character (`能  力  稳  步  提  升`)."""
    tokens = line.split()
    return len(tokens) >= 5 and sum(len(t) == 1 for t in tokens) >= 0.7 * len(tokens) and "|" not in line


def find_wraps(text: str) -> list[tuple[int, int, str]]:
    """Edits that join hard-wrapped lines, (start, end, replacement) over `\\n` + indentation, and
    that close up letter-spaced lines.

    A line is joined to the next when it is full (the wrap width, within tolerance), or nearly
    full (≥ 70 %) and ends mid-sentence; never when the next line is indented past the margin,
    starts a heading, or either line has a column gap."""
    ww = wrap_width(text)
    if ww is None:
        return []
    width, tol = ww
    lines = _lines(text)
    spaced = [is_letter_spaced(text[s:e]) for s, e in lines]
    aligned = [is_aligned_line(text[s:e]) and not sp for (s, e), sp in zip(lines, spaced)]
    margins = Counter(_indent(text[s:e]) for (s, e), al in zip(lines, aligned)
                      if width - tol <= display_width(text[s:e].rstrip()) <= width and not al)
    margin = margins.most_common(1)[0][0] if margins else 0
    edits = []
    for k, (s, e) in enumerate(lines):
        if spaced[k]:
            line = text[s:e]
            for m in re.finditer(r"(?<=\S) +(?=\S)", line):
                edits.append((s + m.start(), s + m.end(), ""))
    for k, ((s1, e1), (s2, e2)) in enumerate(zip(lines, lines[1:])):
        a, b = text[s1:e1], text[s2:e2]
        if not a.strip() or not b.strip() or aligned[k] or aligned[k + 1]:
            continue
        w = display_width(a.rstrip())
        full = width - tol <= w <= width + 1 or spaced[k]  # a letter-spaced line is justified: full
        nearly = (0.7 * width <= w <= width + 1 and a.rstrip()[-1] not in _SENTENCE_END
                  and not _HEADING.match(a))
        if not (full or nearly):
            continue
        if _indent(b) > margin + 1 or _HEADING.match(b) or _folio(b, False):
            continue
        last, first = a.rstrip()[-1], b.lstrip()[0]
        # Chinese text joins without a space (a number split `到20` / `23年` too); English words with one
        joiner = " " if (last.isascii() and last.isalpha() and first.isascii() and first.isalpha()) else ""
        edits.append((s1 + len(a.rstrip()), s2 + _indent(b), joiner))
    return edits


# a justified line that an exporter without -layout wrote one character at a time, each on its own
# line with a blank line after it (`能\n\n力\n\n稳…`): at least five such lines, three of them Chinese
_CHAR_RUN = re.compile(r"(?:(?<=\n)|^)(?:[^\S\n]*[^\s|][^\S\n]*\n(?:[^\S\n]*\n)+){4,}[^\S\n]*[^\s|](?=[^\S\n]*\n)")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def find_char_runs(text: str) -> list[tuple[int, int, str]]:
    """Edits that close up a line exported one character per line, and join it to the lines of its
    paragraph above and below (it was one line of that paragraph)."""
    edits = []
    for m in _CHAR_RUN.finditer(text):
        chars = re.sub(r"\s+", "", m.group())
        if len(_HAN.findall(chars)) < 3:
            continue
        s, e = m.start(), m.end()
        if s >= 2 and text[s - 1] == "\n" and text[s - 2] not in "\n":
            s -= 1  # the line above goes on
        nxt = re.match(r"[^\S\n]*\n(?:[^\S\n]*\n)?[^\S\n]*(?=\S)", text[e:])
        if nxt:
            e += nxt.end()  # and so does the line below (a justified line is never a paragraph's last)
        edits.append((s, e, chars))
    return edits


# ---------------------------------------------------------------- the step

def _page_break_edits(text: str, deletions: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Deleted furniture lines and the form feeds and blank lines around them → one line break."""
    if not deletions and "\f" not in text:
        return []
    dead = bytearray(len(text) + 1)
    for s, e in deletions:
        dead[s:min(e + 1, len(text))] = b"\x01" * (min(e + 1, len(text)) - s)
    for m in re.finditer("\f", text):
        dead[m.start()] = 1
    edits, k, n = [], 0, len(text)
    while k < n:
        if not dead[k]:
            k += 1
            continue
        s = k
        while k < n and dead[k]:
            k += 1
        a = s
        while a > 0 and text[a - 1] in " \n":
            a -= 1
        b = k
        while b < n and text[b] in " \n":
            b += 1
        nl = text.rfind("\n", k, b)
        b = nl + 1 if nl != -1 else k  # keep the indentation of the next line
        if a < b:
            edits.append((a, b, "\n" if 0 < a and b < n else ""))
    return edits


def clean_layout(mt: MappedText) -> tuple[MappedText, list[tuple[int, str]]]:
    """Furniture out and wraps joined. Pages as (raw offset of the page start, printed label)."""
    text = mt.text
    if "\r\n" in text:
        mt = mt.sub(re.compile(r"\r+(?=\n)"), lambda m: "")
        text = mt.text
    if "\n\n" in text:
        mt = apply_edits(mt, find_char_runs(text))
        text = mt.text
    quick = "\f" in text or "  " in text or _LEADER_HINT.search(text) or _FOLIO_HINT.search(text)
    if not quick and wrap_width(text) is None:
        return mt, []
    deletions, pages, _ = find_furniture(text)
    raw_pages = [(mt.origin[s] if s < len(mt.origin) else mt.raw_len, label) for s, label in pages]
    mt = apply_edits(mt, _page_break_edits(text, deletions))
    mt = apply_edits(mt, find_wraps(mt.text))
    return mt, raw_pages
