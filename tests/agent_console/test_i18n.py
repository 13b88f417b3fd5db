"""Both UI languages say everything, and every key a template uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from agent_console.i18n import LANGUAGES, catalog

TEMPLATES = Path(__file__).resolve().parents[2] / "agent_console" / "templates"


def test_catalogs_have_the_same_keys() -> None:
    assert set(catalog("zh-CN")) == set(catalog("en"))


def test_every_literal_key_in_the_templates_is_translated() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"t\('([a-z_0-9.]+)'\)", template.read_text()))
    for language in LANGUAGES:
        assert used - set(catalog(language)) == set(), language
