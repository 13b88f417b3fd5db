"""An article as services, files and forms exchange it, independent of the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ArticleTextData:
    """One language version."""

    title: str
    answer: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleData:
    """Everything an edit sets; `texts` maps a language to its version."""

    code: str
    category: str
    status: str = "published"
    intake_types: tuple[str, ...] = ("consultation",)
    owner: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    review_on: date | None = None
    texts: dict[str, ArticleTextData] = field(default_factory=dict)

    def content(self) -> dict[str, Any]:
        """A JSON-safe whole, as revisions keep it."""
        return {
            "code": self.code,
            "category": self.category,
            "status": self.status,
            "intake_types": list(self.intake_types),
            "owner": self.owner,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "review_on": self.review_on.isoformat() if self.review_on else None,
            "texts": {
                language: {"title": t.title, "answer": t.answer, "keywords": list(t.keywords)}
                for language, t in sorted(self.texts.items())
            },
        }

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> ArticleData:
        """The inverse of content()."""

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            code=content["code"],
            category=content["category"],
            status=content["status"],
            intake_types=tuple(content.get("intake_types") or ()),
            owner=content.get("owner"),
            valid_from=day(content.get("valid_from")),
            valid_until=day(content.get("valid_until")),
            review_on=day(content.get("review_on")),
            texts={
                language: ArticleTextData(t["title"], t["answer"], tuple(t.get("keywords") or ()))
                for language, t in content.get("texts", {}).items()
            },
        )
