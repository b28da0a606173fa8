"""`haven triage` end to end, in a subprocess, with the real shipped models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import haven

from desktop_app.engine.triage.labels import INTENTS, RISKS

FIELDS = {"intent", "risk", "scores", "risk_scores", "model", "reasons", "by_context", "boundary"}


def test_triage_prints_one_json_object() -> None:
    result = haven("triage", "I can't sleep, my mind keeps racing at night")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == FIELDS
    assert out["intent"] in INTENTS and out["risk"] in RISKS
    assert set(out["scores"]) == set(INTENTS)
    assert abs(sum(out["scores"].values()) - 1) < 1e-3
    assert set(out["risk_scores"]) == set(RISKS)
    assert out["reasons"]


def test_crisis_message_is_flagged_with_reasons() -> None:
    out = json.loads(haven("triage", "i want to kill myself tonight").stdout)
    assert out["risk"] == "crisis"
    assert out["intent"] == "crisis_suicide"
    assert any("phrase rule" in reason for reason in out["reasons"])


def test_other_model_is_selectable() -> None:
    out = json.loads(haven("triage", "hello there", "--model", "lstm").stdout)
    assert out["model"] == "lstm"


def test_jsonl_in_order_ignoring_other_fields(tmp_path: Path) -> None:
    lines = [
        {"text": "hi!", "id": 1},
        {"text": "i want to die", "extra": [1, 2]},
        {"text": "thanks, that helped"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    result = haven("triage", "--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 3
    assert outputs[1]["risk"] == "crisis"
    assert outputs[0]["risk"] != "crisis" and outputs[2]["risk"] != "crisis"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "fine"}\n{"text": broken}\n', "line 2: malformed JSON"),
        ('{"text": ""}\n', "line 1: empty text"),
        ('{"text": 5}\n', "line 1: text must be a string"),
        ('["text"]\n', 'line 1: expected an object with a "text" field'),
        ("\n\n", "no messages"),
        ('{"text": "ok", "history": "i want to die"}\n', "line 1: history must be a list of"),
        ('{"text": "ok", "history": [{"role": "user"}]}\n', "history must be a list of"),
        ('{"text": "ok", "history": [["user", "hi"]]}\n', "(turn 1 is not)"),
        ('{"text": "ok", "history": [{"role": "system", "text": "hi"}]}\n', "history turn 1: unknown role"),
    ],
)
def test_bad_jsonl_gives_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = haven("triage", "--jsonl", str(path))
    assert result.returncode == 3
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_missing_file_and_empty_text(tmp_path: Path) -> None:
    missing = haven("triage", "--jsonl", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 3 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    empty = haven("triage", "   ")
    assert empty.returncode == 3 and "empty text" in empty.stderr


def test_unknown_model_is_a_clear_error() -> None:
    result = haven("triage", "hello", "--model", "gpt-9")
    assert result.returncode == 4
    assert "unknown or unreadable triage model 'gpt-9'" in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert haven("triage").returncode == 2
    assert haven("triage", "x", "--jsonl", "f").returncode == 2


def test_hard_inputs(tmp_path: Path) -> None:
    """A 1 MB message, control characters, mixed scripts and invalid UTF-8 all get an answer."""
    megabyte = "I have been feeling low for weeks. " * 30_000
    texts = [megabyte, "hello\x00\x07\x1b[31m world\u202e", "我很难过 i feel so sad أنا حزين 😢", "\ud800 broken surrogate"]
    path = tmp_path / "hard.jsonl"
    path.write_text("\n".join(json.dumps({"text": t}) for t in texts), encoding="utf-8")
    path_bytes = tmp_path / "bytes.jsonl"
    path_bytes.write_bytes(b'{"text": "caf\xe9 latin-1 bytes"}\n')
    for source in (path, path_bytes):
        result = haven("triage", "--jsonl", str(source))
        assert result.returncode == 0, result.stderr
        for line in result.stdout.splitlines():
            assert json.loads(line)["intent"] in INTENTS


def test_message_text_never_reaches_stderr() -> None:
    canary = "zebra-canary-7731 i feel anxious"
    result = haven("triage", canary)
    assert canary not in result.stderr and "zebra" not in result.stdout


def test_jsonl_history_is_the_context_of_each_line(tmp_path: Path) -> None:
    risk_turn = [{"role": "user", "text": "i keep thinking everyone would be better off if i wasn't around"},
                 {"role": "assistant", "text": "That sounds so painful. Are you thinking about ending your life?"}]
    harmless = [{"role": "user", "text": "the new series drops this week"},
                {"role": "assistant", "text": "Exciting! Are you going to watch it?"}]
    lines = [{"text": "yeah", "history": risk_turn}, {"text": "yeah", "history": harmless}, {"text": "yeah"}]
    path = tmp_path / "context.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = haven("triage", "--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert outputs[0]["risk"] == "crisis" and outputs[0]["by_context"]
    assert any(reason.startswith("context rule") for reason in outputs[0]["reasons"])
    assert outputs[1]["risk"] != "crisis" and outputs[2]["risk"] != "crisis"
    assert outputs[1]["risk"] == outputs[2]["risk"]
