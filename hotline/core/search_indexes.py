"""PostgreSQL trigram indexes for the console's search, which the models do not describe."""

from __future__ import annotations

# index name → table and GIN operator class column
TRIGRAM_INDEXES = {
    "ix_transcripts_text_trgm": ("transcripts", "text"),
    "ix_transcripts_corrected_trgm": ("transcripts", "corrected_text"),
    "ix_tickets_summary_trgm": ("tickets", "summary"),
    "ix_tickets_caller_trgm": ("tickets", "caller"),
}


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """For autogenerate comparisons: leave out the PostgreSQL-only trigram indexes."""
    return not (type_ == "index" and name in TRIGRAM_INDEXES)
