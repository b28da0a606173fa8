"""Crisis resources (assets/crisis_resources.json) and the fixed crisis responses."""

from __future__ import annotations

import json
import locale
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop_app.engine.paths import ASSETS_DIR, CRISIS_RESOURCES_FILE

FALLBACK_COUNTRY = "INTL"


@dataclass(frozen=True)
class Line:
    name: str
    phone: str | None
    text: str | None
    hours: str
    source: str


@dataclass(frozen=True)
class CountryResources:
    code: str
    name: str
    emergency: str | None
    lines: tuple[Line, ...]
    note: str | None
    advice: str | None

    def as_dict(self) -> dict[str, object]:
        """The resources as data (for JSON output and a crisis panel)."""
        return asdict(self)

    def as_text(self) -> str:
        """The resources as short plain-text lines, for a reply or a terminal."""
        out = []
        if self.emergency:
            out.append(f"Emergency ({self.name}): {self.emergency}")
        for line in self.lines:
            ways = [f"call {line.phone}"] if line.phone else []
            if line.text:
                ways.append(f"text {line.text}")
            out.append(f"{line.name}: {' or '.join(ways)} ({line.hours})")
        if self.note:
            out.append(self.note)
        if self.advice:
            out.append(self.advice)
        return "\n".join(out)


@cache
def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def countries(path: Path = CRISIS_RESOURCES_FILE) -> dict[str, str]:
    """Country code → name, for a picker (the international fallback last)."""
    items = _load(path)["countries"]
    named = sorted(((code, c["name"]) for code, c in items.items() if code != FALLBACK_COUNTRY), key=lambda x: x[1])
    return dict([*named, (FALLBACK_COUNTRY, items[FALLBACK_COUNTRY]["name"])])


def guess_country(locale_name: str | None = None, path: Path = CRISIS_RESOURCES_FILE) -> str:
    """The country of the system locale (e.g. "en_GB" → "GB") if we have its resources,
    else the international fallback. Only a default: the user picks the country."""
    if locale_name is None:
        locale_name = locale.getlocale()[0] or ""
    territory = locale_name.replace("-", "_").split(".")[0].split("_")[-1].upper() if "_" in locale_name.replace("-", "_") else ""
    return territory if territory in _load(path)["countries"] else FALLBACK_COUNTRY


def resources_for(code: str | None, path: Path = CRISIS_RESOURCES_FILE) -> CountryResources:
    """The resources of a country (ISO 3166 alpha-2), or the international fallback."""
    items = _load(path)["countries"]
    code = (code or FALLBACK_COUNTRY).upper()
    if code not in items:
        code = FALLBACK_COUNTRY
    entry = items[code]
    lines = tuple(
        Line(line["name"], line.get("phone"), line.get("text"), line.get("hours", ""), line["source"])
        for line in entry.get("lines", [])
    )
    fallback_advice = items[FALLBACK_COUNTRY]["advice"]
    advice = entry.get("advice") or (None if lines or entry.get("emergency") else fallback_advice)
    return CountryResources(code, entry["name"], entry.get("emergency"), lines, entry.get("note"), advice)


def crisis_texts() -> dict[str, Any]:
    """The fixed, human-written crisis responses: `responses` (crisis intent → text),
    `resources_heading` and `closing`."""
    return _load(ASSETS_DIR / "crisis_responses.json")
