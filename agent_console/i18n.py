"""Console UI text in zh-CN and en, from YAML catalogs."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hotline.reasons.render import catalog as reason_catalog

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("zh-CN", "en")


@cache
def catalog(language: str) -> dict[str, str]:
    """Every UI string of one language, flattened to dotted keys."""
    raw: dict[str, Any] = yaml.safe_load((LOCALES / f"{language}.yaml").read_text("utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(name + ".", value)
            else:
                flat[name] = str(value)

    walk("", raw)
    # Team roles are named once, in the domain's catalog that the timeline's reasons also use.
    for code, names in reason_catalog().names["role"].items():
        flat[f"member_role.{code}"] = names.get(language) or names["en"]
    return flat


def translator(language: str) -> Any:
    """A `t(key, **values)` function for templates; unknown keys show themselves."""
    texts = catalog(language if language in LANGUAGES else LANGUAGES[0])

    def t(key: str, **values: object) -> str:
        text = texts.get(key, key)
        return text.format(**values) if values else text

    return t
