"""From passphrase to database key: Argon2id with a per-install salt, and the file of its parameters.

The parameters file (keys.json) is not secret and holds nothing that could recover the key: the salt,
the Argon2 costs, and a verifier (an HMAC keyed by the key) that tells a wrong passphrase from a
damaged database. Keys live in bytearrays so that they can be zeroed; Python may still hold
copies it made on the way (the KDF's result, the SQL text that hands the key to SQLCipher).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEY_BYTES = 32
SALT_BYTES = 16
# OWASP's minimum for Argon2id: 19 MiB of memory and 2 passes.
MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2
FORMAT = 1
FORGOTTEN_PASSPHRASE = (
    "If you forget the passphrase, the history cannot be recovered: nothing that could unlock it is kept."
)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id costs. The default (256 MiB, 2 passes) takes about 0.4 s on a 2-core laptop (bench/store.py)."""

    memory_kib: int = 256 * 1024
    time_cost: int = 2
    parallelism: int = 1

    def __post_init__(self) -> None:
        if self.memory_kib < MIN_MEMORY_KIB or self.time_cost < MIN_TIME_COST or self.parallelism < 1:
            raise ValueError(f"Argon2id costs below OWASP's minimum (m={MIN_MEMORY_KIB} KiB, t={MIN_TIME_COST})")


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    # NFC, so that the same passphrase typed through different input methods gives the same key.
    from argon2.low_level import Type, hash_secret_raw  # with the history, not with the window

    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    raw = hash_secret_raw(secret, salt, params.time_cost, params.memory_kib, params.parallelism, KEY_BYTES, Type.ID)
    return bytearray(raw)


def zero(key: bytearray) -> None:
    key[:] = bytes(len(key))


def _verifier(key: bytearray) -> bytes:
    return hmac.new(key, b"haven-verifier", hashlib.sha256).digest()[:16]


@dataclass(frozen=True)
class KeySlot:
    """What turns one passphrase into one key: its salt, costs and verifier."""

    params: KdfParams
    salt: bytes
    verifier: bytes

    @classmethod
    def new(cls, passphrase: str, params: KdfParams) -> tuple[KeySlot, bytearray]:
        salt = secrets.token_bytes(SALT_BYTES)
        key = derive_key(passphrase, salt, params)
        return cls(params, salt, _verifier(key)), key

    def unlock(self, passphrase: str) -> bytearray | None:
        """The key when the passphrase is this slot's, else None."""
        key = derive_key(passphrase, self.salt, self.params)
        if hmac.compare_digest(_verifier(key), self.verifier):
            return key
        zero(key)
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kdf": "argon2id",
            "memory_kib": self.params.memory_kib,
            "time_cost": self.params.time_cost,
            "parallelism": self.params.parallelism,
            "salt": self.salt.hex(),
            "verifier": self.verifier.hex(),
        }

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> KeySlot:
        if item["kdf"] != "argon2id":
            raise ValueError(f"unknown key derivation {item['kdf']!r}")
        params = KdfParams(int(item["memory_kib"]), int(item["time_cost"]), int(item["parallelism"]))
        return cls(params, bytes.fromhex(item["salt"]), bytes.fromhex(item["verifier"]))


@dataclass(frozen=True)
class KeyFile:
    """The active slot, and during a passphrase change the slot of the new passphrase."""

    active: KeySlot
    pending: KeySlot | None = None


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def read_keyfile(path: Path) -> KeyFile:
    """The parameters file; ValueError when it is malformed or was modified."""
    try:
        data = json.loads(path.read_bytes())
        body = {name: data[name] for name in ("format", "active", "pending")}
        if data["check"] != _checksum(body) or body["format"] != FORMAT:
            raise ValueError(f"{path.name} was modified")
        pending = KeySlot.from_dict(body["pending"]) if body["pending"] else None
        return KeyFile(KeySlot.from_dict(body["active"]), pending)
    except (KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name} is malformed") from exc


def write_keyfile(path: Path, keyfile: KeyFile) -> None:
    """Replace the parameters file atomically and durably."""
    body = {
        "format": FORMAT,
        "active": keyfile.active.as_dict(),
        "pending": keyfile.pending.as_dict() if keyfile.pending else None,
    }
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump({**body, "check": _checksum(body)}, out, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in the folder durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
