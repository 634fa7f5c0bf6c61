"""Every command has help and is documented in the README; the module entry point works."""

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from analysis.cli import make_parser

COMMANDS = sorted(make_parser()._subparsers._group_actions[0].choices)


def readme_options() -> dict[str, set[str]]:
    """command → the options its rows of the README's command table document (`plans report [--db PATH] …`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Command line", 1)[1].split("\n## ", 1)[0].replace("\\|", "/")
    out: dict[str, set[str]] = {}
    for line in table.splitlines():
        if line.startswith("| `plans "):
            for command, rest in re.findall(r"`plans (\w+)([^`]*)`", line.split("|")[1]):
                out.setdefault(command, set()).update(re.findall(r"--[a-z][a-z-]*", rest))
    return out


def parser_options(command: str) -> set[str]:
    sub = make_parser()._subparsers._group_actions[0].choices[command]
    return {o for a in sub._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_option_is_in_the_readme_and_no_other(command):
    documented = readme_options()
    assert command in documented, f"`plans {command}` has no row in the README's command table"
    assert parser_options(command) == documented[command], command


def test_the_help_lists_the_options_and_commands_the_readme_documents():
    readme = readme_options()
    top = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert top.returncode == 0
    assert set(re.search(r"\{([\w,]+)\}", top.stdout).group(1).split(",")) == set(readme) == set(COMMANDS)
    report = subprocess.run([sys.executable, "-m", "analysis", "report", "--help"], capture_output=True, text=True,
                            cwd=ROOT)
    assert report.returncode == 0 and report.stdout.startswith("usage: plans report")
    assert {"--db", "--out", "--city", "--only", "--min-docs", "--workers", "--timeout", "--no-static"} <= readme["report"]
    listed = set(re.findall(r"^\s+(--[a-z][a-z-]*)", report.stdout, re.M))
    assert listed == readme["report"]
    assert "write only this document's city page" in report.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_says_what_it_does(command):
    sub = make_parser()._subparsers._group_actions[0].choices[command]
    silent = [a.option_strings or a.dest for a in sub._actions if not a.help]
    assert not silent, f"plans {command}: options without help: {silent}"


def test_python_dash_m_analysis_works():
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "build" in out.stdout


def test_add_refuses_a_missing_file(tmp_path, capsys):
    from analysis.cli import main

    assert main(["add", str(tmp_path / "nope.txt"), "--city", "某市", "--raw", str(tmp_path)]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err


def test_add_remove_and_force_through_the_command_line(tmp_path, capsys):
    from analysis.cli import main

    raw = tmp_path / "raw"
    src = tmp_path / "规划 全文.html"
    src.write_bytes((ROOT / "tests" / "fixtures" / "layout" / "cms_gbk.html").read_bytes())
    assert main(["add", str(src), "--city", "碧川市", "--url", "http://example.gov.cn/1.html", "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    assert "from the document: doc_number = 碧府办发〔2022〕17号" in out and "added" in out
    assert (raw / "规划_全文.html").exists()
    # an existing sidecar is not rewritten without --force, and says what would change
    assert main(["add", str(src), "--city", "碧川市", "--issuer", "碧川市民政局", "--raw", str(raw)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["add", str(src), "--city", "碧川市", "--issuer", "碧川市民政局", "--force", "--raw", str(raw)]) == 0
    assert "rewritten: issuer" in capsys.readouterr().out
    side = (raw / "规划_全文.meta.yml").read_text(encoding="utf-8")
    assert "source_url: http://example.gov.cn/1.html" in side and "issuer: 碧川市民政局" in side
    # the same bytes under another name are refused, naming the copy already there
    other = tmp_path / "copy.html"
    other.write_bytes(src.read_bytes())
    assert main(["add", str(other), "--city", "碧川市", "--raw", str(raw)]) == 2
    assert "already in the raw folder as 规划_全文.html" in capsys.readouterr().err
    assert main(["remove", "规划_全文", "--raw", str(raw)]) == 0
    assert not list(raw.iterdir())
    assert main(["remove", "规划_全文", "--raw", str(raw)]) == 2


def test_a_document_that_fails_to_build_shows_in_plans_check(tmp_path, capsys):
    from analysis.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("到2025年，养老机构护理型床位占比达到55%。", encoding="utf-8")
    (raw / "good.meta.yml").write_text("city: 某市\nkind: plan\n", encoding="utf-8")
    (raw / "bad.pdf").write_bytes(b"%PDF-1.7\n%broken\n")  # copied in by hand, unreadable
    (raw / "bad.meta.yml").write_text("city: 另一市\nkind: plan\n", encoding="utf-8")
    db = tmp_path / "p.duckdb"
    assert main(["build", "--raw", str(raw), "--db", str(db), "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    for _ in range(2):  # every time, not only in the build's own output
        assert main(["check", "--db", str(db), "--kind", "build_error", "--csv"]) == 0
        out = capsys.readouterr().out
        assert "bad,未读取 not built,build,build_error,error" in out and "bad.pdf" in out
    import duckdb

    from analysis.warehouse.queries import run_query

    con = duckdb.connect(str(db), read_only=True)
    flags = run_query(con, "quality_flags", kind="build_error")
    assert list(flags["doc_id"]) == ["bad"] and "bad.pdf" in flags["message"][0]
