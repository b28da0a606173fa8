"""The desktop build's pieces that run without building it: the portability scan, the bundled base model, the
sha256 memo kept in the cache, the desktop entry, and the window's screenshot check."""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_scripts import PACKAGING, script

from desktop_app.engine.replies import model
from desktop_app.engine.replies.model import ReplyModelError, default_base_model, verified_sha256

portable = script("portable")

AVX2_ONLY = """
  1000:\tvfmadd231ps %ymm2,%ymm1,%ymm0
  1005:\tvpbroadcastd %xmm3,%ymm3
  100a:\t{vex} vpdpbusd %ymm2,%ymm1,%ymm0
"""


@pytest.mark.parametrize("line", ["vfmadd231ps %zmm2,%zmm1,%zmm0", "vmovdqu8 (%rax),%ymm0{%k1}", "kmovw %eax,%k1",
                                  "vaddps 0x10(%rax){1to16},%zmm1,%zmm0", "vpternlogd $0xff,%ymm0,%ymm0,%ymm0",
                                  "tileloadd (%rsi,%rdx,1),%tmm0", "ldtilecfg (%rdi)", "vpdpbusd %ymm2,%ymm1,%ymm0"])
def test_the_scan_finds_avx512_and_amx_instructions(line: str) -> None:
    found = portable.offending_instructions(AVX2_ONLY + f"  2000:\t{line}\n")
    assert sum(found.values()) == 1 and line.split()[0] in found


def test_the_scan_passes_avx2_code() -> None:
    assert not portable.offending_instructions(AVX2_ONLY)


def test_a_bundled_base_model_is_used_when_it_matches_its_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAVEN_CACHE_DIR", str(tmp_path / "cache"))
    weights = tmp_path / "base" / "model.gguf"
    weights.parent.mkdir()
    weights.write_bytes(b"GGUF not really")
    manifest = weights.parent / "base-model.json"
    monkeypatch.setattr(model, "BUNDLED_BASE_MODEL", manifest)
    manifest.write_text(json.dumps({"file": weights.name, "sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}))
    assert default_base_model() == weights
    manifest.write_text(json.dumps({"file": weights.name, "sha256": "0" * 64}))
    with pytest.raises(ReplyModelError, match="bundled base model"):
        default_base_model()


def test_the_sha256_memo_lives_in_the_cache_not_beside_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("HAVEN_CACHE_DIR", str(cache))
    folder = tmp_path / "bundle"
    folder.mkdir()
    weights = folder / "model.gguf"
    weights.write_bytes(b"some weights")
    expected = hashlib.sha256(b"some weights").hexdigest()
    assert verified_sha256(weights) == expected
    assert [path.name for path in folder.iterdir()] == ["model.gguf"]
    memo = next((cache / "sha256").iterdir())
    assert json.loads(memo.read_text())["sha256"] == expected
    weights.write_bytes(b"other weights!")  # a new size: hashed again, not taken from the memo
    assert verified_sha256(weights) == hashlib.sha256(b"other weights!").hexdigest()


def test_the_desktop_entry_starts_haven_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "haven.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Exec"] == "haven" and section["Icon"] == "haven"
    assert section["StartupWMClass"] == "haven" and "not a clinician" in section["Comment"].lower()
    assert (PACKAGING.parent / "assets" / "icons" / "haven.svg").read_text().startswith("<svg")


@pytest.mark.slow
def test_the_screenshot_option_saves_the_drawn_window(tmp_path: Path) -> None:
    picture = tmp_path / "window.png"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HAVEN_DATA_DIR": str(tmp_path / "data"),
                   "HAVEN_CACHE_DIR": str(tmp_path / "cache"), "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "desktop_app", "--screenshot", str(picture)], env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000
