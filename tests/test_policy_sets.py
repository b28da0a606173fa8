"""The shipped figures for conversations and medical requests are what the policy does now.

`python -m export.triage.evaluate` writes them into the default model's metrics.json (and card);
any change to the rules, the assets or the model without re-running it fails here.
"""

from __future__ import annotations

import json

import pytest

from desktop_app.engine.core import Engine
from desktop_app.engine.paths import TRIAGE_MODELS_DIR
from desktop_app.engine.triage.classifier import default_model_name
from export.triage.context_eval import SPLITS, boundary_figures, context_figures


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads((TRIAGE_MODELS_DIR / default_model_name() / "metrics.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("split", SPLITS)
def test_conversation_figures_match_the_card(engine: Engine, shipped: dict, split: str) -> None:
    assert context_figures(engine, split) == shipped["conversations"][split]


@pytest.mark.parametrize("split", SPLITS)
def test_boundary_figures_match_the_card(engine: Engine, shipped: dict, split: str) -> None:
    assert boundary_figures(engine, split) == shipped["boundaries"][split]


def test_every_lethality_question_we_developed_on_is_a_crisis(engine: Engine) -> None:
    assert boundary_figures(engine, "dev")["lethality_crisis_rate"] == 1.0
