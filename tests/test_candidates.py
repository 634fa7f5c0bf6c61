"""Every number accounted for: each number of the text is a row, a table cell, or rejected with a
reason; what is left is `unexplained` and `plans check --numbers` lists it."""

from __future__ import annotations

import duckdb
import pytest

from analysis.clean import clean_document
from analysis.cli import main
from analysis.extract import extract_targets

TEXT = """某县民政事业发展“十四五”规划
某政办发〔2023〕17号
索引号：A1203-2023-000418
目录
第一章 发展基础 2
第二章 发展目标 5
第一章 发展基础
“十三五”期间，全县累计发放救助资金2.6亿元，建成养老服务站41个。
第二章 发展目标
到2025年，养老机构护理型床位占比达到58%以上，全县打造 9 个社区养老服务综合体。
到2023年，特困人员集中供养率达到85%。
2020年全县节地生态安葬率为42%。
构建“1+6”救助格局，形成15分钟养老服务圈，实施3年行动计划。
到2035年，基本养老服务体系全面建成。
按照每户不低于3000元的标准给予补助。
每个社区至少配备2名专职社工，培育3家养老服务组织。
经开区新城路88号二楼，联系电话：0633-5551234。
本规划自2023年5月1日起施行。
"""


@pytest.fixture(scope="module")
def decided():
    text = clean_document(TEXT.encode("utf-8")).text
    res = extract_targets(text)
    return text, res


def _decision(decided, number, near):
    text, res = decided
    at = text.index(near)
    hits = [d for d in res.numbers if d.text == number and at <= d.start < at + len(near)]
    assert hits, (number, near)
    return hits[0]


@pytest.mark.parametrize("number,near,decision,reason", [
    ("2023", "〔2023〕17号", "rejected", "document number"),
    ("17", "〔2023〕17号", "rejected", "document number"),
    ("000418", "A1203-2023-000418", "rejected", "index number"),
    ("2", "第一章 发展基础 2", "rejected", "page number"),
    ("2.6", "2.6亿元", "rejected", "past achievement"),
    ("41", "养老服务站41个", "rejected", "past achievement"),
    ("58", "58%以上", "target", None),
    ("9", "打造 9 个", "target", None),
    ("85", "85%", "milestone", None),
    ("42", "42%", "baseline", None),
    ("1", "“1+6”", "rejected", "slogan"),
    ("15", "15分钟", "rejected", "duration"),
    ("3", "3年行动", "rejected", "duration"),
    ("2035", "2035年", "rejected", "vision year"),
    ("3000", "3000元", "rejected", "money amount"),
    ("2", "2名专职社工", "target", None),
    ("3", "3家养老服务组织", "target", None),
    ("88", "88号", "rejected", "address"),
    ("0633", "0633-5551234", "rejected", "phone"),
    ("5", "5月1日", "rejected", "date"),
])
def test_each_number_gets_its_decision(decided, number, near, decision, reason):
    d = _decision(decided, number, near)
    assert d.decision == decision, (d.decision, d.reason)
    if reason:
        assert reason in d.reason
    if decision in ("target", "milestone", "baseline", "observation"):
        row = decided[1].targets[d.target_no]
        assert row.start <= d.start < row.end  # the row's quote holds the number


def test_every_number_is_decided_and_none_is_unexplained(decided):
    text, res = decided
    import re

    # every run of digits is a candidate, except digits glued to Latin letters (parts of a code: `A1203`)
    digits = [m.span() for m in re.finditer(r"\d+(?:\.\d+)?", text)
              if not re.match(r"[A-Za-z]", text[m.start() - 1:m.start()])]
    assert [(d.start, d.end) for d in res.numbers] == digits
    assert not [d for d in res.numbers if d.decision == "unexplained"]
    assert all(d.reason for d in res.numbers if d.decision == "rejected")


def test_a_target_sentence_that_gives_no_row_is_unexplained():
    text = clean_document("到2025年，全县养老服务水平达到新高度，力争形成7大特色。".encode()).text
    res = extract_targets(text)
    d = next(d for d in res.numbers if d.text == "7")
    assert d.decision == "unexplained" and d.target_no is None


@pytest.fixture(scope="module")
def seeds_db(seed_build):
    return seed_build / "plans.duckdb"


def test_numbers_table_holds_every_decision(seeds_db):
    con = duckdb.connect(str(seeds_db), read_only=True)
    rows = con.execute("SELECT decision, count(*) FROM numbers GROUP BY ALL").fetchall()
    kinds = dict(rows)
    assert {"target", "milestone", "table", "rejected"} <= set(kinds)
    # every row decision points to a raw target of the same document that quotes the number
    bad = con.execute("""SELECT count(*) FROM numbers n LEFT JOIN raw_targets t USING (doc_id, target_no)
                         WHERE n.decision IN ('target', 'milestone', 'baseline', 'observation')
                           AND NOT (t.start <= n.start AND n.start < t."end")""").fetchone()[0]
    assert bad == 0
    assert con.execute("SELECT count(*) FROM numbers WHERE decision = 'rejected' AND reason IS NULL").fetchone()[0] == 0


def test_check_numbers_on_the_seeds_lists_nothing_unexplained(seeds_db, capsys):
    assert main(["check", "--db", str(seeds_db), "--numbers"]) == 0
    out = capsys.readouterr()
    assert "0 unexplained numbers" in out.err, out.out
    assert main(["check", "--db", str(seeds_db), "--numbers", "003", "--csv"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["doc_id,city,number,start,raw_start,context,reason"]
