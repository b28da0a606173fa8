"""The launcher, `haven` and `python -m desktop_app`: the only module that imports both the command line and the
window. With no subcommand it opens the window."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def _open_window(screenshot: Path | None) -> int:
    from desktop_app.ui.app import run_gui

    return run_gui(screenshot=screenshot)


def main(argv: Sequence[str] | None = None) -> int:
    from desktop_app.cli.main import main as run_command

    return run_command(argv, _open_window)


if __name__ == "__main__":
    raise SystemExit(main())
