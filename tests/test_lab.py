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
