"""Encodings are detected, never assumed; binaries and empty files get a clear error."""

import codecs

import pytest

from analysis.ingest.encoding import DocumentError, decode_bytes

SIMPLIFIED = "到2025年，养老机构护理型床位占比达到60%以上。城乡低保标准年度增速不低于上年度居民人均消费支出增速。\n"
TRADITIONAL = "到2025年，養老機構護理型床位佔比達到60%以上。城鄉低保標準年度增速不低於上年度居民人均消費支出增速。\n"


@pytest.mark.parametrize("enc,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("gb18030", "gb18030"), ("gbk", "gb18030"),
])
def test_simplified_encodings_are_detected(enc, expected):
    d = decode_bytes((SIMPLIFIED * 3).encode(enc))
    assert d.text.lstrip("\ufeff") == SIMPLIFIED * 3
    assert d.encoding == expected


def test_big5_is_detected_for_traditional_text():
    d = decode_bytes((TRADITIONAL * 3).encode("big5"))
    assert d.encoding == "big5"
    assert "護理型床位" in d.text


def test_gb18030_characters_outside_gbk():
    text = "㐀䶵𠀀 呼伦贝尔市嘎查村社区服务站覆盖率达到100%。\n" * 2  # CJK Ext-A / Ext-B need 4-byte GB18030
    raw = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    d = decode_bytes(raw)
    assert d.encoding == "gb18030" and d.text == text


def test_utf8_bom_is_not_kept_as_text():
    d = decode_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode())
    assert not d.text.startswith("\ufeff")


def test_mixed_encodings_decode_each_line_and_report_the_fallbacks():
    raw = SIMPLIFIED.encode("utf-8") + "农村低保标准占城市低保标准比例达到90%。\n".encode("gbk") + SIMPLIFIED.encode("utf-8")
    d = decode_bytes(raw)
    assert d.encoding.startswith("mixed")
    assert "农村低保标准占城市低保标准比例达到90%" in d.text
    assert [no for no, _ in d.notes] == [2]


def test_a_legacy_line_that_is_valid_utf8_by_chance_stays_legacy():
    # one cell per line, as PDF exports flatten tables: the unit 元 in GB18030 is D4 AA, which is also
    # valid UTF-8 (U+052A); the file is GB18030 throughout and must read so, unit included
    cells = ["序号", "指标名称", "单位", "2025年目标", "1", "城乡低保标准年均增长", "%", "6", "2", "临时救助人均水平", "元",
             "2000", "3", "专业", "统一"]
    for enc in ("gb18030", "gbk"):
        d = decode_bytes(("\n".join(cells) + "\n").encode(enc))
        assert d.text.split("\n")[:len(cells)] == cells, enc
        assert d.encoding == "gb18030" and not d.notes
    utf8_line = "养老机构护理型床位占比达到55%".encode()  # a real UTF-8 line stays UTF-8 in a mixed file
    d = decode_bytes("元\n".encode("gb18030") + utf8_line + b"\n" + "社会救助".encode("gb18030"))
    assert d.text.split("\n") == ["元", "养老机构护理型床位占比达到55%", "社会救助"]
    assert [no for no, _ in d.notes] == [1, 3]


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"), (bytes(range(256)) * 8, "binary"),
])
def test_unreadable_input_gets_a_clear_error(data, needle):
    with pytest.raises(DocumentError, match=needle):
        decode_bytes(data)


HONG_KONG = "香港社會福利署為有需要嘅長者提供社區照顧服務，啲日間護理中心名額會增加。\n"  # 嘅 啲: HKSCS only


def test_big5_hkscs_is_read_through_charset_normalizer_candidates():
    raw = (HONG_KONG * 3).encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("big5")  # strict Big5 fails, and GB18030 decodes the bytes into nonsense
    d = decode_bytes(raw)
    assert d.encoding == "big5hkscs"
    assert d.text == HONG_KONG * 3


def test_charset_normalizer_is_not_asked_when_gbk_or_big5_reads_naturally(monkeypatch):
    from analysis.ingest import encoding

    def refuse(data):
        raise AssertionError("charset-normalizer asked although a legacy decoding read naturally")

    monkeypatch.setattr(encoding, "_guesses", refuse)
    assert decode_bytes((SIMPLIFIED * 3).encode("gbk")).encoding == "gb18030"
    assert decode_bytes((TRADITIONAL * 3).encode("big5")).encoding == "big5"
