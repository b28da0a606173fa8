"""The person's own safety plan, after the Stanley-Brown Safety Planning Intervention.

It lives in the encrypted history beside the conversations, in the person's own words; Haven never
writes in it. Exported, it is a printable Markdown page and, like any export, not encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from desktop_app.engine.history.records import now

# (key, heading, what to write): the seven steps of the plan, in its order.
SECTIONS: Final = (
    ("warning_signs", "Warning signs", "Thoughts, feelings, situations or behaviour that tell me a crisis may be starting"),
    ("coping", "My own coping strategies", "Things I can do on my own to take my mind off things, without contacting anyone"),
    ("distractions", "People and places that distract me", "People I can be with and places I can go to feel better"),
    ("helpers", "People I can ask for help", "Names and numbers of people I can tell that I am not okay"),
    ("professionals", "Professionals and services", "My GP, therapist or care team, and crisis lines, with their numbers"),
    ("safer_environment", "Making my environment safer", "How I can keep things I could hurt myself with away, or out of reach"),
    ("reasons", "My reasons for living", "The people, things and hopes that matter most to me"),
)
SECTION_KEYS: Final = tuple(key for key, _heading, _prompt in SECTIONS)


@dataclass(frozen=True)
class SafetyPlan:
    """The plan's sections, key → text (a missing key is an empty section), and when it was last saved."""

    sections: dict[str, str] = field(default_factory=dict)
    updated: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.sections) - set(SECTION_KEYS)
        if unknown:
            raise ValueError(f"unknown safety plan sections: {sorted(unknown)}")

    def text(self, key: str) -> str:
        return self.sections.get(key, "")

    @property
    def is_empty(self) -> bool:
        return not any(text.strip() for text in self.sections.values())

    def filled(self) -> list[tuple[str, str]]:
        """(heading, text) of the sections the person wrote, in the plan's order."""
        return [(heading, self.text(key).strip()) for key, heading, _prompt in SECTIONS if self.text(key).strip()]

    def as_markdown(self, not_encrypted: str) -> str:
        """A printable page: every section, with a line to write on where it is still empty."""
        lines = ["# My safety plan", "", f"Printed from Haven on {now()[:10]}. {not_encrypted}", ""]
        for key, heading, prompt in SECTIONS:
            lines += [f"## {heading}", "", f"*{prompt}*", ""]
            written = self.text(key).strip()
            lines += [*(written.split("\n") if written else ["____________________________________________"]), ""]
        lines += ["If you are in danger now, call your local emergency number.", ""]
        return "\n".join(lines)
