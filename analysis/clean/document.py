"""Raw bytes → clean simplified text, with an offset map back to the raw characters.

Each step is a small function over `MappedText`; `clean_document` runs them in order:

1. decode (analysis.ingest.encoding: BOM / UTF-16 / UTF-8 / GB18030 / Big5 / mixed, detected)
2. html_to_text: drop script/style/nav junk and tags, decode entities, tables → pipe rows
3. remove_spam: gambling/SEO spam runs injected into the text (restore 人民政府 where certain)
4. remove_pinyin: `實現(xiàn)` → `實現`
5. to_simplified: OpenCC t2s
6. normalise_width: full-width ASCII forms → half-width (digits, ％, （）, ，：；), and the variant
   comparison signs ≧ ≦ ⩾ ⩽ (Big5 has no ≥ ≤, so traditional pages write ≧ ≦) → ≥ ≤
7. normalise_whitespace: line ends, trailing/leading blanks, runs of spaces (blank lines kept:
   a blank table cell stays visible as an empty line)
and flags mojibake runs and suspicious characters (with their location) along the way.
"""

from __future__ import annotations

import html
import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from analysis import config
from analysis.clean.alignment import protect_alignment, restore_alignment
from analysis.clean.delimited import delimit_tables
from analysis.clean.html_tables import html_table_to_rows
from analysis.clean.layout import Extracted, PageSpan, span_at
from analysis.clean.mojibake import detect_mojibake, repair_mojibake
from analysis.clean.pagetext import clean_layout, page_spans
from analysis.clean.textmap import MappedText
from analysis.flags import Flag
from analysis.ingest.encoding import DocumentError, decode_bytes
from analysis.ingest.filetypes import check_type, detect_type

__all__ = ["CleanResult", "DocumentError", "clean_document", "clean_text"]


@dataclass
class CleanResult:
    text: str
    origin: array
    raw_text: str
    encoding: str
    flags: list[Flag] = field(default_factory=list)
    variant: str = "simplified"
    mapped: MappedText | None = None
    # PDF: one span per physical page (page 1-based, label = printed folio); DOCX: one per paragraph /
    # table (page = block index, label 段n / 表n); plain text laid out on pages (exported from a PDF):
    # one span per page. Offsets into `text`. Empty for other text and HTML.
    pages: list[PageSpan] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.mapped.raw_span(start, end)

    def page_at(self, offset: int) -> tuple[int | None, str | None]:
        """(page, page_label) of a cleaned offset; (None, None) for documents without pages."""
        span = span_at(self.pages, offset)
        return (span.page, span.label) if span else (None, None)


# ---------------------------------------------------------------- HTML

_DROP_BLOCKS = re.compile(
    r"<(script|style|noscript|nav|header|footer|iframe|head|select|button|svg|template)\b[^>]*>.*?</\1\s*>"
    # text hidden from readers (injected SEO spam): an element styled display:none
    r"|<(div|span|p|a|font)\b[^>]*display\s*:\s*none[^>]*>[^<]*(?:<(?!/?\2\b)[^<]*)*</\2\s*>"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>|<\?xml[^>]*>",
    re.S | re.I,
)
_BLOCK_TAGS = "p|div|br|tr|li|ul|ol|h[1-6]|table|thead|tbody|tfoot|section|article|dl|dt|dd|blockquote|pre|hr|caption|form|center|title|body|html"
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]{2,8});")
# innermost tables only: an old CMS page nests the data table inside layout tables, whose tags are
# then dropped like any other block tag
_TABLE = re.compile(r"<table\b[^>]*>(?:(?!<table\b).)*?</table\s*>", re.S | re.I)
_HTML_HINT = re.compile(r"</?(html|body|div|p|table|tr|td|th|span|br|script|style|meta|a)\b[^<>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:200_000])) >= 3


def html_to_text(mt: MappedText) -> MappedText:
    """Strip markup: junk blocks go, block tags become line breaks, tables become pipe rows."""
    if not looks_like_html(mt.text):
        # Plain text with stray tags (web copy-paste): drop the tags, keep everything else.
        return mt.sub(_TAG, lambda m: "\n" if re.fullmatch(_BLOCK_TAGS, m.group(1), re.I) else "")
    mt = mt.sub(_DROP_BLOCKS, lambda m: "" if m.group(2) else "\n")  # hidden inline text leaves no break

    def table(m: re.Match[str]) -> str:
        rows = html_table_to_rows(m.group(0))
        if max((len(r) for r in rows), default=0) <= 1:
            # a one-column layout table (an old CMS page's content cell): left to the tag pass below, so
            # its paragraphs stay lines (a table pasted as one cell per `<p>` stays one cell per line)
            return None
        # cells come back as text; re-escape them so the tag pass below cannot eat `<script>` strings
        def cell(c: str) -> str:
            return html.escape(c.replace("\n", " ").replace("|", "/").strip(), quote=False)

        # a row that is one cell across the whole table (a title, 单位：% …) is a line of text, not a row
        lines = [cell(row[0]) if len(set(row)) == 1 else " | ".join(cell(c) for c in row) + " |" for row in rows]
        return "\n" + "\n".join(lines) + "\n"

    mt = mt.sub(_TABLE, table)
    mt = mt.sub(_TAG, lambda m: "\n" if re.fullmatch(_BLOCK_TAGS, m.group(1), re.I) else "")
    return mt.sub(_ENTITY, lambda m: html.unescape(m.group(0)))


# ---------------------------------------------------------------- spam

# Vocabulary of the class "gambling / adult SEO spam injected by compromised mirrors": data/reference/spam_words.yaml
def _spam_words(path=config.REFERENCE_DIR / "spam_words.yaml") -> str:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    words = [str(w) for group in doc.values() for w in group or []]
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_SPAM_WORDS = _spam_words()
_SPAM_WORD = re.compile(_SPAM_WORDS, re.I)
# A run: tokens of latin/digits/CJK joined by '_' or '|', starting with latin/digits (brand names).
_SPAM_RUN = re.compile(r"[0-9A-Za-z]+[0-9A-Za-z\u4e00-\u9fff]*(?:[_|][0-9A-Za-z\u4e00-\u9fff]+)+")
# the same, led by Chinese words (`开云体育官方网站_kaiyun登录入口`): it starts at its first spam word
_CJK_SPAM_RUN = re.compile(r"[\u4e00-\u9fff]+[0-9A-Za-z\u4e00-\u9fff]*(?:[_|][0-9A-Za-z\u4e00-\u9fff]+)+")
_SPAM_LINE = re.compile(r"^[^\n]*$", re.M)
_ADMIN_BEFORE = re.compile(r"[省市区县镇乡旗盟縣區鎮鄉]$")
_GOV_AFTER = re.compile(r"^(办公室|辦公室|、|，|,|关于|關於|印发|印發|文件|令|\s|$)")


def _trim_run(run: str) -> str:
    """Cut the final token after its last spam word / latin-digit character."""
    head, sep, last = run.rpartition("_") if "_" in run else run.rpartition("|")
    # spam words may overlap (真人娱乐 / 娱乐城): try one at every position
    ends = [m.end() for m in (_SPAM_WORD.match(last, i) for i in range(len(last))) if m]
    ends += [m.end() for m in re.finditer(r"[0-9A-Za-z]+", last)]
    return head + sep + last[: max(ends)] if ends else head


def remove_spam(mt: MappedText, flags: list[Flag]) -> MappedText:
    text = mt.text
    if not _SPAM_WORD.search(text):
        return mt
    pending: list[tuple[int, int, str]] = []  # cleaned (start, end, replacement)
    runs = [(m.start(), m.group(0)) for m in _SPAM_RUN.finditer(text)]
    for m in _CJK_SPAM_RUN.finditer(text):
        first = _SPAM_WORD.search(m.group(0).split("_")[0].split("|")[0])
        if first and not any(s <= m.start() + first.start() < s + len(r) for s, r in runs):
            runs.append((m.start() + first.start(), m.group(0)[first.start():]))
    for start, run in sorted(runs):
        run = _trim_run(run)
        if len(_SPAM_WORD.findall(run)) < 2:
            continue
        s, e = start, start + len(run)
        before, after = text[max(0, s - 1):s], text[e:e + 3]
        restore = "人民政府" if _ADMIN_BEFORE.search(before) and _GOV_AFTER.search(after) else ""
        pending.append((s, e, restore))
    for m in _SPAM_LINE.finditer(text if _SPAM_WORD.search(text) else ""):  # whole SEO lines of spam phrases
        if not _SPAM_WORD.search(m.group(0)):
            continue
        parts = [p for p in re.split(r"[,，、|]", m.group(0)) if p.strip()]
        if len(parts) >= 3 and sum(bool(_SPAM_WORD.search(p)) for p in parts) >= 2 and "。" not in m.group(0):
            pending.append((m.start(), m.end(), ""))
    if not pending:
        return mt
    pending.sort()
    spans = {s: (e, r) for s, e, r in pending}
    for s, (e, r) in sorted(spans.items()):
        raw = mt.raw_span(s, e)
        what = f"restored as “{r}”" if r else "removed"
        flags.append(Flag("spam_removed", "warning", f"注入垃圾文字已删除 / injected spam {what}: {text[s:e][:60]}",
                          raw[0], raw[1], text[s:e]))
    rx = re.compile("|".join(re.escape(text[s:e]) for s, (e, _) in spans.items()))

    def repl(m: re.Match[str]) -> str | None:
        hit = spans.get(m.start())
        return hit[1] if hit and m.end() == hit[0] else None

    return mt.sub(rx, repl)


# ---------------------------------------------------------------- pinyin

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]([a-zü{_TONED}]{{1,7}})[)）]", re.I)


def remove_pinyin(mt: MappedText, flags: list[Flag]) -> MappedText:
    """Remove pinyin annotations after characters; only tone-marked syllables, so `(一)` or
    `(m2)` or an English abbreviation in brackets are never touched."""
    count = 0

    def repl(m: re.Match[str]) -> str | None:
        nonlocal count
        if not any(c in _TONED for c in m.group(1).lower()):
            return None
        count += 1
        return ""

    out = mt.sub(_PINYIN, repl)
    if count:
        flags.append(Flag("pinyin_removed", "info", f"删除拼音注音 {count} 处 / removed {count} injected pinyin annotations",
                          None, None, str(count)))
    return out


# ---------------------------------------------------------------- script and width

@lru_cache(maxsize=1)
def t2s_converter():
    """The one OpenCC traditional → simplified converter (built once; `.convert(str) -> str`)."""
    import opencc

    return opencc.OpenCC("t2s")


def detect_variant(text: str) -> str:
    sample = "".join(re.findall(r"[\u4e00-\u9fff]", text[:8_000]))[:2000]
    if not sample:
        return "unknown"
    converted = t2s_converter().convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted))
    return "traditional" if changed / len(sample) > 0.03 else "simplified"


def to_simplified(mt: MappedText) -> MappedText:
    return mt.translate_same_length(t2s_converter().convert)


_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDTH.update({0x2267: 0x2265, 0x2A7E: 0x2265, 0x2266: 0x2264, 0x2A7D: 0x2264})  # ≧ ⩾ → ≥, ≦ ⩽ → ≤


def normalise_width(mt: MappedText) -> MappedText:
    return mt.translate_same_length(lambda s: s.translate(_WIDTH))


_BLANKS = "[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\r\f\v]"


def normalise_whitespace(mt: MappedText) -> MappedText:
    mt = mt.sub(re.compile(rf"^{_BLANKS}+|{_BLANKS}+$", re.M), lambda m: "")
    mt = mt.sub(re.compile(rf"{_BLANKS}{{2,}}|[\t\u00a0\u2002\u2003\u2009\r\f\v]"), lambda m: " ")
    mt = mt.sub(re.compile(r"[\u200b\ufeff]"), lambda m: "")
    return mt.sub(re.compile(r"\A\n+"), lambda m: "")


# ---------------------------------------------------------------- pipeline

def clean_text(raw_text: str, flags: list[Flag] | None = None, pages: list[tuple[int, str]] | None = None, *,
               html: bool = True, layout: bool = True) -> tuple[MappedText, list[Flag], str]:
    """Clean decoded text. Flag offsets are raw offsets until `clean_document` maps them.

    `html=False`: text extracted from a PDF/DOCX, never read as markup. `layout=False`: text a PDF/DOCX
    reader already laid out. `pages`, when given, receives (raw offset, printed page label) of each page
    of laid-out plain text (text exported from a PDF)."""
    flags = [] if flags is None else flags
    mt = MappedText.identity(raw_text)
    is_html = html and looks_like_html(raw_text)
    if html:
        mt = html_to_text(mt)
    mt = remove_spam(mt, flags)
    mt = remove_pinyin(mt, flags)
    mt = repair_mojibake(mt, flags)
    detect_mojibake(mt, flags)
    variant = detect_variant(mt.text)
    if variant == "traditional":
        mt = to_simplified(mt)
    mt = normalise_width(mt)
    if layout and not is_html:  # text exported from a PDF: page furniture, hard wraps, aligned tables
        mt, found = clean_layout(mt)
        if pages is not None:
            pages += found
        mt = protect_alignment(mt)
    if not is_html:  # tables typed with tabs or single spaces: pipe rows, as the table reader reads them
        mt = delimit_tables(mt)
    mt = restore_alignment(normalise_whitespace(mt))
    return mt, flags, variant


def _read_binary(data: bytes, name: str, kind: str) -> Extracted:
    if kind == "pdf":
        from analysis.clean.pdf import read_pdf

        return read_pdf(data, name)
    from analysis.clean.docx import read_word

    return read_word(data, name, kind)


def clean_document(data: bytes, *, name: str = "") -> CleanResult:
    """Decode (or, for PDF/DOCX/DOC, extract) and clean one raw document; the file type is read
    from the content. Raises DocumentError (with `name`) if unreadable."""
    kind = check_type(data, name) if name else detect_type(data)
    extracted = None
    if kind in ("pdf", "docx", "doc"):
        extracted = _read_binary(data, name, kind)
        raw_text, encoding, notes = extracted.text, extracted.kind, []
    else:
        try:
            decoded = decode_bytes(data)
        except DocumentError as exc:
            raise DocumentError(f"{name}: {exc}" if name else str(exc)) from None
        raw_text, encoding, notes = decoded.text, decoded.encoding, decoded.notes
    flags: list[Flag] = []
    for line_no, note in notes:
        flags.append(Flag("encoding", "warning", f"编码 / encoding: {note}", None, None, f"line {line_no}"))
    for note in extracted.notes if extracted else ():
        flags.append(Flag("format", "info", f"文件格式 / {extracted.kind}: {note}", None, None, note))
    raw_pages: list[tuple[int, str]] = []
    binary = extracted is not None
    mt, flags, variant = clean_text(raw_text, flags, raw_pages, html=not binary, layout=not binary)
    # Flags carry raw offsets so far; add cleaned offsets.
    mapped_flags = []
    for f in flags:
        if f.start is None:
            mapped_flags.append(f)
            continue
        cs, ce = mt.clean_offset(f.start), mt.clean_offset(f.end)
        mapped_flags.append(Flag(f.kind, f.severity, f.message, cs, max(ce, cs), f.detail, raw_start=f.start, raw_end=f.end))
    if extracted is not None:
        pages = [PageSpan(mt.clean_offset(p.start), mt.clean_offset(p.end), p.page, p.label, p.kind)
                 for p in extracted.pages]
    else:
        pages = page_spans([(mt.clean_offset(raw), label) for raw, label in raw_pages], len(mt.text))
    return CleanResult(mt.text, mt.origin, raw_text, encoding, mapped_flags, variant, mt, pages)
