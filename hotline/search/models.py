"""Index tables: segmented text per ticket and per article language, and the added words.

The full-text structures over them are per backend (migration 0013): an FTS5 table kept in step
by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.database import Base


class TicketDocument(Base):
    """What a ticket is found by: its summary, transcript and corrections, segmented."""

    __tablename__ = "ticket_search"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")  # as written, to re-segment
    tokens: Mapped[str] = mapped_column(Text, default="")


class ArticleDocument(Base):
    """One language version of a knowledge-base article: title and keywords, then the answer."""

    __tablename__ = "kb_search"
    __table_args__ = (UniqueConstraint("article_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    head_tokens: Mapped[str] = mapped_column(Text, default="")
    body_tokens: Mapped[str] = mapped_column(Text, default="")


class SearchWord(Base):
    """A word added to the segmenter's dictionary: a place, a landmark or an article keyword."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # registry, kb


class SearchGeneration(Base):
    """Changes whenever words are added, so every process knows to rebuild its segmenter."""

    __tablename__ = "search_generation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(32))
