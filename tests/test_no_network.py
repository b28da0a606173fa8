"""No network calls, ever: a whole `haven` process runs under an audit hook that fails on any."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_scripts import script

check_trace = script("check_trace")

GUARD = """
import sys
def _guard(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "urllib.Request"):
        sys.stderr.write("NETWORK-ATTEMPT " + event + "\\n")
        raise SystemExit(99)
sys.addaudithook(_guard)
"""


def run_guarded(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = {"PYTHONPATH": f"{tmp_path}", "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300,
                          cwd=Path(__file__).resolve().parents[1])


def test_the_guard_catches_a_connection(tmp_path: Path) -> None:
    result = run_guarded(tmp_path, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))")
    assert result.returncode == 99 and "NETWORK-ATTEMPT" in result.stderr


def test_triage_and_replies_make_no_network_call(tmp_path: Path) -> None:
    code = (
        "from desktop_app.engine.api import Engine, EngineConfig\n"
        "for name in ('minilm', 'lstm'):\n"
        "    e = Engine(EngineConfig(triage_model=name, country='ID'))\n"
        "    e.respond('hello'); e.respond('i want to kill myself'); e.respond('aku ingin bunuh diri')\n"
        "print('ok')\n"
    )
    result = run_guarded(tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_gui_makes_no_network_call(tmp_path: Path) -> None:
    code = (
        "import pathlib\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QTimer\n"
        "from desktop_app.ui.window import MainWindow\n"
        "app = QApplication([])\n"
        "w = MainWindow(country='US', data_dir=pathlib.Path.home() / 'data'); w.show()\n"
        "page = w.unlock_page; page.passphrase.setText('a long passphrase'); page.again.setText('a long passphrase')\n"
        "w.unlocked.connect(lambda: w.send('i want to kill myself'))\n"
        "page.button.click()\n"
        "w.replied.connect(lambda _r: app.quit())\n"
        "w.failed.connect(lambda _m: app.exit(3))\n"
        "QTimer.singleShot(120000, lambda: app.exit(4))\n"
        "code = app.exec(); w.close(); print('exit', code)\n"
    )
    result = run_guarded(tmp_path, "-c", code)
    assert "NETWORK-ATTEMPT" not in result.stderr
    assert result.stdout.strip().endswith("exit 0"), result.stderr


@pytest.mark.slow
def test_native_libraries_send_nothing_and_write_only_to_our_folders(tmp_path: Path) -> None:
    """The audit hook sees Python's sockets only; onnxruntime's own telemetry (C++) once looked up a Microsoft
    host from the running app. Under strace, every socket and every file written by the whole process counts."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed: the system-call check cannot run here")
    log = tmp_path / "trace"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}  # a source tree's bytecode is not the app's
    result = check_trace.traced(log, [sys.executable, "-m", "desktop_app", "--self-test"], env, Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert check_trace.problems(log.read_text(errors="replace"), tmp_path) == []


@pytest.mark.parametrize("trace_line", [
    '7 socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 15',
    '7 openat(AT_FDCWD, "/tmp/mat-debug-7.log", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 4',
    '7 rename("/home/x/.cache/haven/a.tmp", "/tmp/a") = 0',
])
def test_the_trace_check_catches_sockets_and_stray_files(trace_line: str) -> None:
    assert check_trace.problems(trace_line, Path("/home/x"))


def test_the_trace_check_allows_local_sockets_reads_and_our_folders() -> None:
    trace = "\n".join([
        '7 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3',
        '7 openat(AT_FDCWD, "/tmp/anything", O_RDONLY|O_CLOEXEC) = 4',
        '7 openat(AT_FDCWD, "/home/x/.cache/haven/history.db", O_RDWR|O_CREAT|O_CLOEXEC, 0600) = 5',
        '7 openat(AT_FDCWD, "/tmp/refused", O_WRONLY|O_CREAT, 0600) = -1 EACCES (Permission denied)',
        '7 mkdir("/home/x/.local/share/haven", 0700) = 0',
    ])
    assert check_trace.problems(trace, Path("/home/x")) == []
