"""Run a command under strace and check it: no network socket, and no file written outside the user's folders.

    python packaging/check_trace.py LOG HOME COMMAND...

A socket is allowed only for local IPC (AF_UNIX: the display server, D-Bus); an internet socket of any kind fails.
A file opened for writing or created must lie under HOME's cache, data or config folders (XDG defaults), or be a
device (/dev/null, a terminal). The system temp folder is not allowed: no message text may land there.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

SYSCALLS = "socket,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,symlink"

SOCKET = re.compile(r"\bsocket\((AF_\w+)")
OPENED = re.compile(r'\b(?:openat|creat)\((?:AT_FDCWD, |\d+, )?"([^"]+)", ([A-Z_|]+)')
MADE = re.compile(r'\b(?:mkdir|mkdirat|rename|renameat2?|link|symlink)\((?:AT_FDCWD, |\d+, )?"([^"]+)"(?:, (?:AT_FDCWD, |\d+, )?"([^"]+)")?')
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND")
LOCAL_SOCKETS = ("AF_UNIX", "AF_LOCAL", "AF_NETLINK")
DEVICES = ("/dev/",)


def problems(trace: str, home: Path) -> list[str]:
    allowed = tuple(str(home / folder) for folder in (".cache", ".local/share", ".config"))
    found = []
    for line in trace.splitlines():
        if (socket := SOCKET.search(line)) and socket.group(1) not in LOCAL_SOCKETS:
            found.append(f"network socket: {socket.group(1)}")
        written = []
        if (opened := OPENED.search(line)) and any(flag in opened.group(2) for flag in WRITE_FLAGS):
            written.append(opened.group(1))
        if made := MADE.search(line):
            written += [path for path in made.groups() if path]
        for path in written:
            if " = -1 " not in line and not path.startswith(allowed + DEVICES):
                found.append(f"written outside the user's folders: {path}")
    return sorted(set(found))


def traced(log: Path, command: list[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `command` under strace (every process it starts too), its sockets and file writes logged into `log`."""
    return subprocess.run(["strace", "-f", "-qq", "-o", str(log), "-e", f"trace={SYSCALLS}", *command], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def main(log: str, home: str, command: list[str]) -> int:
    run = traced(Path(log), command)
    if run.returncode != 0:
        print(f"check_trace: {command[-1]} exited with {run.returncode}: {run.stderr.strip()[-500:]}", file=sys.stderr)
        return 1
    found = problems(Path(log).read_text(encoding="utf-8", errors="replace"), Path(home))
    for problem in found:
        print(f"check_trace: {problem}", file=sys.stderr)
    if not found:
        print("check_trace: no network socket; nothing written outside the user's cache, data and config folders")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
