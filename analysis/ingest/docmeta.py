"""What a document says about itself, for its sidecar: title, 文号, issuer, 发布/印发 dates.

Read from an HTML page's `<title>` and `<meta>` tags (the names government CMSs use:
ArticleTitle, PubDate, ContentSource, …) and from the first lines of the text (`发文字号：`,
`发布机构：`, `成文日期：`, a `〔2022〕17号` line, the date under the signature). Only what is
written is taken; nothing is guessed. PDF and DOCX are read by their own readers (not here).
"""

from __future__ import annotations

import html
import re

from analysis.ingest.encoding import DocumentError, decode_bytes, sniff_binary

_META = re.compile(r"""<meta\b[^>]*?\bname\s*=\s*["']?([\w.:-]+)["']?[^>]*?\bcontent\s*=\s*["']([^"']*)["']""", re.I)
_META_REV = re.compile(r"""<meta\b[^>]*?\bcontent\s*=\s*["']([^"']*)["'][^>]*?\bname\s*=\s*["']?([\w.:-]+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.S | re.I)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)

META_FIELDS = {  # <meta name=…> → sidecar field
    "articletitle": "title", "title": "title", "dc.title": "title",
    "pubdate": "published_date", "firstpublishedtime": "published_date", "dc.date": "published_date",
    "publishdate": "published_date",
    "contentsource": "issuer", "source": "issuer", "dc.publisher": "issuer",
}

DATE = r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?"
_SEP = r"\s*[:：]\s*(?:\|\s*)?"  # `发文字号：…`, or a label cell then a value cell (`发文字号: | …`)
_LABELLED = [  # first-lines labels → field
    (re.compile(r"(?:发文字号|文\s*号)" + _SEP + r"([^\s|]+)"), "doc_number"),
    (re.compile(r"(?:发布机构|发文机关|发文单位)" + _SEP + r"([^\s|]+)"), "issuer"),
    (re.compile(r"(?:成文日期|印发日期|发文日期)" + _SEP + DATE), "issued_date"),
    (re.compile(r"(?:发布日期|发布时间|公开日期)" + _SEP + DATE), "published_date"),
    (re.compile(r"(?:索引号)" + _SEP + r"([^\s|]+)"), "index_number"),
]
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(r"^\s*" + DATE + r"\s*$")
_PLAN_TITLE = re.compile(r"^[^。；;，,]{4,60}(?:规划|计划|方案|纲要)[)）》]?$")
_NOTICE = re.compile(r"关于印发《?(.{4,60}?(?:规划|计划|方案|纲要))》?的通知")


def _date(m: re.Match[str], first: int = 1) -> str:
    y, mo, d = (int(m.group(first + i)) for i in range(3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(s)).strip()


def html_metadata(text: str) -> dict:
    out: dict = {}
    pairs = [(n, c) for n, c in _META.findall(text[:20_000])] + [(n, c) for c, n in _META_REV.findall(text[:20_000])]
    for name, content in pairs:
        field = META_FIELDS.get(name.lower())
        value = _clean(content)
        if not field or not value or field in out:
            continue
        if field.endswith("_date"):
            m = re.search(DATE, value)
            value = _date(m) if m else ""
        if value:
            out[field] = value
    m = _TITLE.search(text[:20_000])
    if m and _clean(m.group(1)) and "title" not in out:
        out["title"] = _clean(m.group(1))
    return out


def text_metadata(text: str, max_lines: int = 60) -> dict:
    """Fields stated in the first lines of plain text (or of a page's text with tags removed)."""
    out: dict = {}
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:max_lines]
    for line in lines:
        for rx, field in _LABELLED:
            m = rx.search(line)
            if m and field not in out:
                out[field] = _date(m) if field.endswith("_date") else m.group(1).strip()
        if "doc_number" not in out and (m := _DOC_NUMBER.search(line)) and len(line) <= 40:
            out["doc_number"] = re.sub(r"\s+", "", m.group(0))
        if "title" not in out:
            notice = _NOTICE.search(line)
            if notice:
                out["title"] = notice.group(1).strip("《》")
            elif _PLAN_TITLE.match(line):
                out["title"] = line.strip("《》")
    if "issued_date" not in out:  # the date under the signature, near the top of a notice
        for line in lines:
            m = _DATE_LINE.match(line)
            if m and _date(m):
                out["issued_date"] = _date(m)
                break
    return out


def read_metadata(data: bytes) -> dict:
    """Sidecar fields a text or HTML document states about itself ({} for binary formats)."""
    if sniff_binary(data):
        return {}
    try:
        text = decode_bytes(data).text
    except DocumentError:
        return {}
    meta = html_metadata(text) if re.search(r"<(html|head|body|meta|title)\b", text[:5000], re.I) else {}
    body = _TAGS.sub("\n", text) if meta or "<" in text[:5000] else text
    for k, v in text_metadata(html.unescape(body)).items():
        meta.setdefault(k, v)
    return meta
