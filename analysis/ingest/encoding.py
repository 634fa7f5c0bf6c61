"""Decode raw bytes: detect the encoding (never assume it), refuse binaries with a clear reason.

Order: byte-order marks → UTF-16 without BOM (NUL-byte pattern) → strict UTF-8 → legacy Chinese
encodings (GB18030 ⊃ GBK, Big5) scored by how natural the decoded text is → line-by-line
decoding for files that mix encodings (each line that needed a fallback is reported).

When neither GB18030 nor Big5 reads a whole file as natural Chinese (Big5-HKSCS characters make
strict Big5 fail, and GB18030 then decodes the bytes into nonsense), charset-normalizer proposes
further candidates; they are scored like the others and win only when they read more naturally.
It is never asked first: on short Chinese text it guesses wrongly (see the tests).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field


class DocumentError(Exception):
    """A document that cannot be read; the message says why (the caller adds the file name)."""


BINARY_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (e.g. .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an OLE document (e.g. .doc/.xls)",
    b"\x7fELF": "an executable",
}

# Very common characters of plan documents in both scripts; decoded text made mostly of them is
# the right decoding. Used only to choose between legacy encodings.
COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道"
    "命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长"
    "求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色"
    "光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教"
    "速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记"
    "需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史"
    "感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育"
    "厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞务服助救困难残疾殡葬婚姻登记儿童福利慈善志愿组织社区城乡"
    "們這個為來時國會過動發現實進說產種經當點從業體後還問內變質氣條總機軍開間樣與關規劃務領導設層長門區農區縣鄉"
    "議聲報鬥完類離華確張車達萬每車項標準價層歲嚴龍飛網絡員會處據隊給顏學術極聯轉單風記許廣條費導養護險級衛"
)


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def sniff_binary(data: bytes) -> str | None:
    for sig, what in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            return what
    return None


def _naturalness(text: str) -> float:
    cjk = re.findall(r"[\u4e00-\u9fff]", text[:20_000])
    if not cjk:
        return 0.0
    return sum(c in COMMON for c in cjk) / len(cjk)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has NULs in one lane; CJK-heavy UTF-16 decodes to natural text.
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample[: len(sample) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        if _naturalness(text) > 0.5 and sum(c in "\n，。" for c in text) > 0:
            return enc
    return None


LEGACY = ("gb18030", "big5")
NATURAL = 0.5  # a decoding whose CJK characters are at least this share of COMMON reads as Chinese
GUESSES = 5  # charset-normalizer candidates tried (its ranking, best first)


def _best_legacy(data: bytes, guess: bool = False) -> tuple[str, str] | None:
    """(encoding, text) of the legacy candidate that reads most naturally; with `guess`, charset-normalizer's
    candidates are scored too when neither GB18030 nor Big5 reads naturally."""
    best: tuple[float, str, str] | None = None
    for enc in LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _naturalness(text)
        if best is None or score > best[0]:
            best = (score, enc, text)
    if guess and (best is None or best[0] < NATURAL):
        for enc in _guesses(data):
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            score = _naturalness(text)
            if score > (best[0] if best else 0.0):
                best = (score, enc, text)
    if best is None:
        return None
    return best[1], best[2]


def _guesses(data: bytes) -> list[str]:
    """charset-normalizer's candidate encodings for the bytes (Python codec names), best first, ours left out."""
    from charset_normalizer import from_bytes

    out = []
    for match in from_bytes(data[:1_000_000]):
        enc = codecs.lookup(match.encoding).name
        if enc not in LEGACY and enc not in out:
            out.append(enc)
        if len(out) == GUESSES:
            break
    return out


_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
# A page that declares one of these is decoded as GB18030, the superset: old CMSs declare gb2312
# and serve GBK characters (镕, 堃 …) that gb2312 cannot decode.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "gb_2312-80", "x-euc-cn"}
_BIG5_FAMILY = {"big5", "big5-hkscs", "x-x-big5", "cp950"}


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a `<meta>` tag (first 4 KB), lower-cased."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _decode_declared(data: bytes) -> Decoded | None:
    """A declared legacy Chinese charset, read as its superset; None when the bytes disagree."""
    declared = declared_charset(data)
    enc = "gb18030" if declared in _GB_FAMILY else "big5hkscs" if declared in _BIG5_FAMILY else None
    if enc is None:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return Decoded(text, "gb18030" if enc == "gb18030" else "big5")


def _decode_line(line: bytes) -> tuple[str, str]:
    if line.isascii() or _really_utf8(line):
        return line.decode("utf-8"), "utf-8"
    legacy = _best_legacy(line)
    if legacy and _naturalness(legacy[1]) >= 0.3:
        return legacy[1], legacy[0]
    return line.decode("utf-8", errors="replace"), "undecodable"


def decode_bytes(data: bytes) -> Decoded:
    """Decode a raw document; raise DocumentError for empty or binary input."""
    if not data.strip():
        raise DocumentError("empty file (no text) / 空文件")
    what = sniff_binary(data)
    if what:
        raise DocumentError(f"binary file: looks like {what}, not a text or HTML document / 非文本文件")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"starts with a {enc} byte-order mark but does not decode: {exc}") from exc
    if 0 in data[:4096] and (enc16 := _looks_utf16(data)):
        return Decoded(data[: len(data) // 2 * 2].decode(enc16, errors="replace"), enc16)
    sample = data[:65536]
    controls = sum(sample.count(b) for b in range(32) if b not in (9, 10, 12, 13, 27))
    if data.count(0) > len(data) // 100 or controls > len(sample) // 20:
        raise DocumentError("binary file: control bytes that no text document has (not UTF-16 either) / 含有二进制数据")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared := _decode_declared(data):
        return declared
    if enc16 := _looks_utf16(data):  # CJK-only UTF-16 without a BOM has no NUL bytes
        return Decoded(data[: len(data) // 2 * 2].decode(enc16, errors="replace"), enc16)
    lines = data.split(b"\n")
    utf8_lines = sum(1 for ln in lines if not ln.isascii() and _really_utf8(ln))
    nonascii = sum(1 for ln in lines if not ln.isascii())
    if utf8_lines == 0:
        legacy = _best_legacy(data, guess=True)
        if legacy:
            return Decoded(legacy[1], legacy[0])
    # Mixed: decode line by line and report what needed a fallback.
    out, notes, used = [], [], set()
    for no, ln in enumerate(lines, 1):
        text, enc = _decode_line(ln)
        out.append(text)
        used.add(enc)
        if enc != "utf-8":
            notes.append((no, f"line {no} decoded as {enc}" if enc != "undecodable"
                          else f"line {no} could not be decoded; undecodable bytes replaced by U+FFFD"))
    label = "mixed(" + "+".join(sorted(used)) + ")"
    if not notes and nonascii:
        label = "utf-8"
    return Decoded("\n".join(out), label, notes)


def _really_utf8(line: bytes) -> bool:
    """A line that decodes as UTF-8 and reads at least as naturally so as in GB18030 / Big5. A GB18030 file
    has lines that are valid UTF-8 by chance: short ones whose byte pairs fall in UTF-8's two-byte range,
    such as a table's unit cell 元 (D4 AA, read as UTF-8: U+052A); those are legacy lines, not UTF-8 ones."""
    if not _is_utf8(line):
        return False
    legacy = _best_legacy(line)
    if legacy is None:
        return True
    as_legacy = _naturalness(legacy[1])
    return not (as_legacy >= NATURAL and as_legacy > _naturalness(line.decode("utf-8")))


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
