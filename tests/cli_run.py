"""Run the `haven` command in a subprocess, as a person at a terminal would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def haven(*args: str, stdin: str = "", cwd: Path = ROOT, timeout: int = 600,
          **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`python -m desktop_app ARGS`, by default from the repository root; `kwargs` go to subprocess.run."""
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, **kwargs)
