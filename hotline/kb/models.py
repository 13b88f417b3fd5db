"""Knowledge-base tables: articles, their language versions, revisions and lookups."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base


class ArticleStatus(StrEnum):
    """Only published articles reach agents and the API."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Article(Base):
    """One answer the hotline gives, in one or more languages."""

    __tablename__ = "kb_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    intake_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(100))  # unit responsible for the content
    status: Mapped[str] = mapped_column(String(16), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()
    updated_by: Mapped[str] = mapped_column(String(64))

    texts: Mapped[list[ArticleText]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleText.language"
    )

    def text_in(self, language: str) -> ArticleText | None:
        """The version in this language, else Chinese, else any."""
        by_language = {t.language: t for t in self.texts}
        return (
            by_language.get(language)
            or by_language.get("zh-CN")
            or next(iter(by_language.values()), None)
        )


class ArticleText(Base):
    """The article in one language: title, the answer as the agent says it, keywords."""

    __tablename__ = "kb_article_texts"
    __table_args__ = (UniqueConstraint("article_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship(back_populates="texts")


class ArticleRevision(Base):
    """The article as it stood after one edit: who, when, what changed, the whole content."""

    __tablename__ = "kb_revisions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[list[str]] = mapped_column(JSON, default=list)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = timestamp()


class LookupKind(StrEnum):
    """A search typed or suggested, or an article opened."""

    SEARCH = "search"
    OPEN = "open"


class Lookup(Base):
    """One use of the knowledge base, for its figures (what helped, what was missing)."""

    __tablename__ = "kb_lookups"
    __table_args__ = (Index("ix_kb_lookups_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(8))  # console, seat, api
    query: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    hits: Mapped[int | None] = mapped_column(Integer)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="SET NULL")
    )
    username: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = timestamp()
