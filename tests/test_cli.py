"""Every command has help and is documented in the README; the module entry point works."""

import subprocess
import sys

import pytest

from analysis.cli import make_parser
from conftest import ROOT

COMMANDS = sorted(make_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    sub = make_parser()._subparsers._group_actions[0].choices[command]
    assert sub.format_help().strip()
    assert f"`plans {command}" in (ROOT / "README.md").read_text(encoding="utf-8"), command


def test_python_dash_m_analysis_works():
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "build" in out.stdout


def test_add_refuses_a_missing_file(tmp_path, capsys):
    from analysis.cli import main

    assert main(["add", str(tmp_path / "nope.txt"), "--city", "某市", "--raw", str(tmp_path)]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err
