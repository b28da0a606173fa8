"""`haven history` end to end, in subprocesses, on real SQLCipher files."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import ROOT, haven

from desktop_app.cli.common import EXIT_DAMAGED, EXIT_IN_USE, EXIT_INPUT, EXIT_STORAGE, EXIT_WRONG_PASSPHRASE
from desktop_app.engine.history.files import history_exists
from desktop_app.engine.history.keys import KdfParams
from desktop_app.engine.history.store import Store
from desktop_app.engine.messages import Triage

CHEAP = KdfParams(memory_kib=19 * 1024, time_cost=2)
PASSPHRASE = "tea and toast"


def history(data: Path, *args: str, stdin: str = PASSPHRASE + "\n", **kwargs) -> subprocess.CompletedProcess[str]:
    return haven("--data-dir", str(data), "--passphrase-stdin", "history", *args, stdin=stdin, **kwargs)


def filled(data: Path) -> Path:
    with Store.create(data, PASSPHRASE, CHEAP) as store:
        first = store.new_conversation("Night worries")
        worry = "I lie awake\nworrying about exams"
        store.add_message(first.id, "user", worry, triage=Triage("sleep", "concern"), model="minilm")
        store.add_message(first.id, "assistant", "That sounds exhausting.", model="fallback")
        second = store.new_conversation("")
        store.add_message(second.id, "user", "hello there")
        store.add_message(second.id, "user", "padding " * 20_000)  # room for the disk-full test to fail in
    return data


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("haven: error: "), result.stderr
    assert words in result.stderr


def test_first_use_creates_the_store_and_warns(tmp_path: Path) -> None:
    result = history(tmp_path / "new", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "cannot be recovered" in result.stderr
    assert history_exists(tmp_path / "new")
    again = history(tmp_path / "new", "list")
    assert again.returncode == 0 and again.stderr == ""


def test_data_dir_from_the_environment_relative_to_the_working_folder(tmp_path: Path) -> None:
    filled(tmp_path / "env")
    env = {**os.environ, "HAVEN_DATA_DIR": "env"}
    result = haven("--passphrase-stdin", "history", "list", "--json", stdin=PASSPHRASE + "\n", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_global_options_are_accepted_after_the_subcommand(tmp_path: Path) -> None:
    data = filled(tmp_path)
    before = history(data, "list", "--json")
    after = haven("history", "list", "--json", "--passphrase-stdin", "--data-dir", str(data), stdin=PASSPHRASE + "\n")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)


def test_list_show_search_delete(tmp_path: Path) -> None:
    data = filled(tmp_path)
    listed = json.loads(history(data, "list", "--json").stdout)
    assert [c["title"] for c in listed] == ["", "Night worries"]
    assert all({"id", "title", "created", "updated", "messages"} <= set(c) for c in listed)
    assert listed[1]["messages"] == 2

    first = listed[1]["id"]
    shown = history(data, "show", str(first)).stdout
    assert "# Night worries" in shown and "I lie awake\nworrying about exams" in shown
    assert "intent `sleep`, risk `concern`" in shown

    found = history(data, "search", "exams").stdout.splitlines()
    assert len(found) == 1 and found[0].startswith(f"{first}\t") and "[exams]" in found[0]

    assert history(data, "delete", str(first)).returncode == 0
    assert [c["id"] for c in json.loads(history(data, "list", "--json").stdout)] == [listed[0]["id"]]
    assert_one_line_error(history(data, "show", str(first)), EXIT_INPUT, f"no conversation {first}")


def test_export_warns_and_writes_only_where_asked(tmp_path: Path) -> None:
    data = filled(tmp_path / "data")
    first = json.loads(history(data, "list", "--json").stdout)[1]["id"]
    markdown = history(data, "export", str(first), "--format", "md")
    assert markdown.returncode == 0
    assert "not encrypted" in markdown.stderr
    assert "intent `sleep`, risk `concern`" in markdown.stdout

    out = tmp_path / "for-my-therapist.json"
    result = history(data, "export", str(first), "--format", "json", "--out", str(out))
    assert result.returncode == 0 and "not encrypted" in result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [m["triage"]["risk"] if m["triage"] else None for m in exported["messages"]] == ["concern", None]


def test_change_passphrase(tmp_path: Path) -> None:
    data = filled(tmp_path)
    before = snapshot(data)
    assert_one_line_error(history(data, "passwd", stdin=f"{PASSPHRASE}\nnew one\nnew two\n"), EXIT_INPUT, "differ")
    assert snapshot(data) == before
    assert history(data, "passwd", stdin=f"{PASSPHRASE}\nnew one\nnew one\n").stdout == "passphrase changed\n"
    assert_one_line_error(history(data, "list"), EXIT_WRONG_PASSPHRASE, "wrong passphrase")
    assert history(data, "list", stdin="new one\n").returncode == 0


def test_wrong_passphrase_changes_no_file(tmp_path: Path) -> None:
    data = filled(tmp_path)
    before = snapshot(data)
    assert_one_line_error(history(data, "list", stdin="not it\n"), EXIT_WRONG_PASSPHRASE, "wrong passphrase")
    assert snapshot(data) == before


def test_damaged_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    data = filled(tmp_path)
    db = bytearray((data / "history.db").read_bytes())
    db[len(db) // 2] ^= 0x40
    (data / "history.db").write_bytes(db)
    before = snapshot(data)
    assert_one_line_error(history(data, "list"), EXIT_DAMAGED, "damaged")
    assert snapshot(data) == before


def test_history_open_elsewhere(tmp_path: Path) -> None:
    data = filled(tmp_path)
    with Store.open(data, PASSPHRASE):
        assert_one_line_error(history(data, "list"), EXIT_IN_USE, "another instance")


@pytest.mark.parametrize("action", ["delete", "passwd"])
def test_a_failing_disk_is_reported_and_changes_no_file(tmp_path: Path, action: str) -> None:
    data = filled(tmp_path)
    big = json.loads(history(data, "list", "--json").stdout)[0]["id"]  # deleting it needs room
    before = snapshot(data)

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    args, stdin = (["delete", str(big)], PASSPHRASE) if action == "delete" else (["passwd"], f"{PASSPHRASE}\nnew\nnew")
    result = history(data, *args, stdin=stdin + "\n", preexec_fn=small_disk)
    assert_one_line_error(result, EXIT_STORAGE, "disk is full or read-only" if action == "passwd" else "cannot write")
    after = snapshot(data)
    assert {name: after[name] for name in before} == before
    assert all(not content for name, content in after.items() if name not in before)  # at most empty -wal/-shm
    assert len(json.loads(history(data, "list", "--json").stdout)) == 2


def test_passphrase_errors(tmp_path: Path) -> None:
    assert_one_line_error(history(tmp_path, "list", stdin=""), EXIT_INPUT, "no passphrase")
    assert_one_line_error(history(tmp_path, "list", stdin="\n"), EXIT_INPUT, "empty passphrase")
    no_terminal = haven("--data-dir", str(tmp_path), "history", "list", stdin=PASSPHRASE + "\n")
    assert_one_line_error(no_terminal, EXIT_INPUT, "--passphrase-stdin")
    assert not history_exists(tmp_path)


def test_passphrase_stdin_leaves_the_rest_unread() -> None:
    code = (
        "import sys; from desktop_app.cli.common import ask_passphrase;"
        "print(repr(ask_passphrase(True, ''))); print(repr(sys.stdin.read()))"
    )
    stdin = "pass phrase \r\nnext line\n"
    result = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["'pass phrase '", "'next line\\n'"]


WRITER = """
import sys
from desktop_app.engine.history.keys import KdfParams
from desktop_app.engine.history.store import Store
from desktop_app.engine.messages import Triage
from desktop_app.engine.config import data_dir

canary = sys.argv[1]
with Store.create(data_dir(None), "pw", KdfParams(19 * 1024, 2)) as store:
    conversation = store.new_conversation(f"about {canary}")
    store.add_message(conversation.id, "user", f"{canary} in a message", triage=Triage("other", "none"))
    store.add_message(conversation.id, "assistant", canary * 1000)
    store.search(canary)
    store.export(conversation.id, "md")
"""


def test_no_plaintext_anywhere_on_disk(tmp_path: Path) -> None:
    """The canary goes in through the store and out through every command, and is in no file:
    not the database, its -wal and -shm, logs, nor anything under HOME (cache, config) or TMPDIR."""
    canary = "marmalade4canary"
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != "HAVEN_DATA_DIR"}
    env |= {"HOME": str(home), "TMPDIR": str(temp)}
    subprocess.run([sys.executable, "-c", WRITER, canary], env=env, cwd=ROOT, check=True, timeout=60)
    data = home / ".local" / "share" / "haven"
    assert (data / "history.db").exists()

    for args in (["list"], ["show", "1"], ["search", canary], ["export", "1", "--format", "json"]):
        result = haven("--passphrase-stdin", "history", *args, stdin="pw\n", env=env)
        assert result.returncode == 0 and canary in result.stdout, result.stderr
    with Store.open(data, "pw"):  # while open, the -wal and -shm exist too
        files = [path for path in tmp_path.rglob("*") if path.is_file()]
        assert {"history.db", "history.db-wal", "history.db-shm", "keys.json"} <= {path.name for path in files}
        forms = [canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le")]
        leaked = [path for path in files if any(form in path.read_bytes() for form in forms)]
        assert leaked == []


def test_wipe_needs_confirmation_and_no_passphrase(tmp_path: Path) -> None:
    assert history(tmp_path, "list").returncode == 0
    refused = haven("--data-dir", str(tmp_path), "history", "wipe")
    assert refused.returncode == 3 and "--yes" in refused.stderr
    assert (tmp_path / "history.db").exists()
    wiped = haven("--data-dir", str(tmp_path), "history", "wipe", "--yes")
    assert wiped.returncode == 0, wiped.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("history.db", "keys"))]
