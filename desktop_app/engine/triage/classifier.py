"""On-device triage: an ONNX intent/risk classifier run with onnxruntime.

Each shipped model lives in its own folder under assets/models/triage/ with a
config.json (labels, crisis threshold, files), the .onnx graph and a tokenizer.json.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop_app.engine.errors import HavenError
from desktop_app.engine.onnx import cpu_session
from desktop_app.engine.paths import TRIAGE_MODELS_DIR
from desktop_app.engine.triage.labels import CRISIS_INTENTS, INTENTS, RISKS, Risk
from desktop_app.engine.triage.tokens import Encoder

if TYPE_CHECKING:  # numpy loads with the models, not with the window
    import numpy as np


INTENT_CRISIS_FLOOR: Final = 0.2


class TriageModelError(HavenError, RuntimeError):
    """A triage model is missing, unknown or unreadable."""


@dataclass(frozen=True)
class TriageResult:
    intent: str
    risk: Risk
    scores: dict[str, float]
    risk_scores: dict[str, float]
    model: str
    crisis_by_intent: bool = field(default=False, compare=False)


def decide_risk(intent: str, risk_scores: dict[str, float], crisis_threshold: float) -> tuple[Risk, bool]:
    """The classifier's risk level: crisis when its crisis score reaches the threshold, or when its
    top intent is a crisis intent and the risk head does not all but rule a crisis out (the second
    flag says the intent decided it). Below INTENT_CRISIS_FLOOR the two heads disagree: on the
    training validation split and the chat set no crisis was caught by the intent alone there,
    while harmless news ("he's home now, on the mend") was."""
    if risk_scores["crisis"] >= crisis_threshold:
        return "crisis", False
    if intent in CRISIS_INTENTS and risk_scores["crisis"] >= INTENT_CRISIS_FLOOR:
        return "crisis", True
    return ("concern" if risk_scores["concern"] >= risk_scores["none"] else "none"), False


def decide(intent_p: np.ndarray, risk_p: np.ndarray, crisis_threshold: float,
           intents: Sequence[str] = INTENTS, risks: Sequence[str] = RISKS) -> tuple[str, Risk, bool]:
    """A model's top intent and its risk level (see decide_risk) from its probabilities."""
    import numpy as np
    intent = intents[int(np.argmax(intent_p))]
    return (intent, *decide_risk(intent, dict(zip(risks, risk_p, strict=True)), crisis_threshold))


def available_models() -> list[str]:
    return sorted(p.parent.name for p in TRIAGE_MODELS_DIR.glob("*/config.json"))


def default_model_name() -> str:
    index = TRIAGE_MODELS_DIR / "models.json"
    try:
        return str(json.loads(index.read_text(encoding="utf-8"))["default"])
    except (OSError, ValueError, KeyError) as exc:
        raise TriageModelError(f"cannot read {index}: {exc}") from exc


class TriageModel:
    """One shipped classifier. Thread-safe: onnxruntime sessions may be run concurrently."""

    def __init__(self, name: str | None = None, threads: int = 2, models_dir: Path | None = None) -> None:
        root = models_dir or TRIAGE_MODELS_DIR
        self.name = name or default_model_name()
        folder = root / self.name
        try:
            self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            known = ", ".join(available_models()) or "none"
            raise TriageModelError(f"unknown or unreadable triage model {self.name!r} (available: {known})") from exc
        self.intents: list[str] = self.config["intents"]
        self.risks: list[str] = self.config["risks"]
        self.crisis_threshold: float = self.config["crisis_threshold"]
        self._framed = bool(self.config["framed"])
        try:
            self.encoder = Encoder.from_file(str(folder / self.config["tokenizer_file"]), framed=self._framed)
            self._session = cpu_session(folder / self.config["model_file"], threads)
        except Exception as exc:  # onnxruntime and tokenizers raise their own types
            raise TriageModelError(f"cannot load triage model {self.name!r}: {exc}") from exc

    def probabilities(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Intent and risk probabilities for a message of any length."""
        import numpy as np
        windows = self.encoder.windows(text)
        intent, risk = (self._run_framed if self._framed else self._run_plain)(windows)
        worst = int(np.argmax(risk[:, self.risks.index("crisis")]))
        return intent.mean(axis=0), risk[worst]

    def classify(self, text: str) -> TriageResult:
        intent_p, risk_p = self.probabilities(text)
        scores = {name: float(p) for name, p in zip(self.intents, intent_p, strict=True)}
        risk_scores = {name: float(p) for name, p in zip(self.risks, risk_p, strict=True)}
        intent, risk, by_intent = decide(intent_p, risk_p, self.crisis_threshold, self.intents, self.risks)
        return TriageResult(intent, risk, scores, risk_scores, self.name, by_intent)

    def _run_framed(self, windows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np
        width = max(map(len, windows))
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = 1
        intent, risk = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        return intent, risk

    def _run_plain(self, windows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np
        outputs = [self._session.run(None, {"input_ids": np.array([w], dtype=np.int64)}) for w in windows]
        return np.concatenate([o[0] for o in outputs]), np.concatenate([o[1] for o in outputs])
