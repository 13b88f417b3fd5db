"""Search structures the models do not describe: PostgreSQL trigram indexes, full-text tables."""

from __future__ import annotations

from hotline.search.fulltext import NOT_IN_MODELS

# index name → table and GIN operator class column (part of a caller's number)
TRIGRAM_INDEXES = {
    "ix_tickets_caller_trgm": ("tickets", "caller"),
}
# Replaced by the segmented full-text index (migration 0013).
RETIRED_TRIGRAM_INDEXES = (
    "ix_transcripts_text_trgm",
    "ix_transcripts_corrected_trgm",
    "ix_tickets_summary_trgm",
)


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """For autogenerate comparisons: leave out what the migrations add beside the models."""
    if type_ == "index" and name in TRIGRAM_INDEXES:
        return False
    if type_ in ("table", "index") and name in NOT_IN_MODELS:
        return False
    return not (type_ == "column" and name == "tsv")
