"""The full-text structures over the index tables, per backend, which the models do not describe.

Documents are segmented in Python (hotline/search/segment.py) and stored as space-separated
tokens, so neither database has to understand Chinese: SQLite's FTS5 `unicode61` tokenizer and
PostgreSQL's `simple` configuration only split on the spaces and lowercase.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FullText:
    """One index table and its token columns (in weight order: the first counts most)."""

    table: str
    key: str
    columns: tuple[str, ...]

    @property
    def fts(self) -> str:
        """The SQLite FTS5 table."""
        return f"{self.table}_fts"

    def sqlite_ddl(self) -> list[str]:
        """An external-content FTS5 table that triggers keep in step with the index table."""
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        insert = f"INSERT INTO {self.fts}(rowid, {cols}) VALUES (new.{self.key}, {new});"
        delete = (
            f"INSERT INTO {self.fts}({self.fts}, rowid, {cols}) "
            f"VALUES ('delete', old.{self.key}, {old});"
        )
        return [
            f"CREATE VIRTUAL TABLE {self.fts} USING fts5({cols}, content='{self.table}', "
            f"content_rowid='{self.key}')",
            f"CREATE TRIGGER {self.table}_ai AFTER INSERT ON {self.table} BEGIN {insert} END",
            f"CREATE TRIGGER {self.table}_ad AFTER DELETE ON {self.table} BEGIN {delete} END",
            f"CREATE TRIGGER {self.table}_au AFTER UPDATE ON {self.table} "
            f"BEGIN {delete} {insert} END",
            f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')",
        ]

    def sqlite_drop(self) -> list[str]:
        """Undo sqlite_ddl."""
        triggers = [f"DROP TRIGGER IF EXISTS {self.table}_{s}" for s in ("ai", "ad", "au")]
        return [*triggers, f"DROP TABLE IF EXISTS {self.fts}"]

    def postgres_ddl(self) -> list[str]:
        """A generated, weighted tsvector column (A, B, ...) and its GIN index."""
        parts = " || ".join(
            f"setweight(to_tsvector('simple', {c}), '{'ABCD'[i]}')"
            for i, c in enumerate(self.columns)
        )
        return [
            f"ALTER TABLE {self.table} ADD COLUMN tsv tsvector "
            f"GENERATED ALWAYS AS ({parts}) STORED",
            f"CREATE INDEX ix_{self.table}_tsv ON {self.table} USING gin (tsv)",
        ]

    def postgres_drop(self) -> list[str]:
        """Undo postgres_ddl."""
        return [
            f"DROP INDEX IF EXISTS ix_{self.table}_tsv",
            f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS tsv",
        ]


TICKETS = FullText("ticket_search", "ticket_id", ("tokens",))
ARTICLES = FullText("kb_search", "id", ("head_tokens", "body_tokens"))
INDEXES = (TICKETS, ARTICLES)
FTS5_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")
NOT_IN_MODELS = frozenset(
    {i.fts + shadow for i in INDEXES for shadow in FTS5_SHADOWS}
    | {f"ix_{i.table}_tsv" for i in INDEXES}
)
