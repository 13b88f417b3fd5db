"""Per-language prompt catalogs loaded from YAML next to this file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PROMPTS_DIR = Path(__file__).parent / "prompts"
LANGUAGE_DIGITS = {"1": "zh-CN", "2": "en", "3": "ko"}
DEFAULT_LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class Catalog:
    """Prompts and the TTS voice for one language."""

    language: str
    voice: str
    say_language: str
    prompts: dict[str, str]

    def text(self, key: str, **values: str) -> str:
        """A prompt with its placeholders filled."""
        return self.prompts[key].format(**values)


@cache
def catalog(language: str) -> Catalog:
    """The catalog for a language, or the default language's when unknown."""
    path = PROMPTS_DIR / f"{language}.yaml"
    if not path.exists():
        path = PROMPTS_DIR / f"{DEFAULT_LANGUAGE}.yaml"
        language = DEFAULT_LANGUAGE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    voice = data.pop("voice")
    say_language = data.pop("say_language")
    return Catalog(language, voice, say_language, {k: str(v) for k, v in data.items()})


def languages() -> list[str]:
    """Languages offered in the language menu, in digit order."""
    return [LANGUAGE_DIGITS[digit] for digit in sorted(LANGUAGE_DIGITS)]
