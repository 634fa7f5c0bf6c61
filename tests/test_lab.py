"""`make lab` opens the notebooks with the project's kernel: `python3` resolves to this environment."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_python3_kernel_is_the_project_environment():
    out = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "kernelspec", "list", "--json"],
                         capture_output=True, text=True, check=True)
    spec = json.loads(out.stdout)["kernelspecs"]["python3"]["spec"]
    exe = spec["argv"][0]
    assert exe in ("python", "python3", sys.executable) or Path(exe).resolve() == Path(sys.executable).resolve()
    assert "make lab" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "lab:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_make_lab_runs_as_root_and_strip_removes_outputs():
    import os
    import shutil

    if shutil.which("make") is None:
        import pytest

        pytest.skip("make is not installed")
    lab = subprocess.run(["make", "-n", "-W", ".venv/bin/.installed", "lab"], cwd=ROOT, capture_output=True,
                         text=True).stdout.splitlines()
    cmd = next(line for line in lab if "jupyter lab" in line)
    assert ("--allow-root" in cmd) == (os.getuid() == 0), cmd
    strip = subprocess.run(["make", "-n", "strip"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "nbstripout" in strip and "notebooks/" in strip
