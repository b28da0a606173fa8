"""How a message becomes the token windows a triage model sees.

Shared by the app and the training pipeline, so both cut text the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenizers import Tokenizer

WINDOW_TOKENS = 128
MAX_WINDOWS = 64  # past this, the first and last halves are kept (the phrase layer reads all)


@dataclass(frozen=True)
class Encoder:
    """A tokenizer plus the special ids that frame each window (none for the LSTM)."""

    tokenizer: Tokenizer
    cls_id: int | None = None
    sep_id: int | None = None

    @classmethod
    def from_file(cls, path: str, framed: bool) -> Encoder:
        tokenizer = Tokenizer.from_file(path)
        tokenizer.no_truncation()
        tokenizer.no_padding()
        if not framed:
            return cls(tokenizer)
        return cls(tokenizer, tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"))

    @property
    def _framed(self) -> bool:
        return self.cls_id is not None and self.sep_id is not None

    def windows(self, text: str, max_windows: int = MAX_WINDOWS, size: int = WINDOW_TOKENS) -> list[list[int]]:
        """Token ids cut into windows of at most `size` tokens, special tokens included."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids or [self._unk_id()]
        body = size - 2 if self._framed else size
        chunks = [ids[i : i + body] for i in range(0, len(ids), body)]
        if len(chunks) > max_windows:
            head = (max_windows + 1) // 2
            chunks = chunks[:head] + chunks[len(chunks) - (max_windows - head) :]
        if self._framed:
            return [[self.cls_id, *chunk, self.sep_id] for chunk in chunks]  # type: ignore[list-item]
        return chunks

    def first_window(self, text: str, size: int = WINDOW_TOKENS) -> list[int]:
        return self.windows(text, max_windows=1, size=size)[0]

    def _unk_id(self) -> int:
        unk = self.tokenizer.token_to_id("[UNK]")
        return 0 if unk is None else unk
