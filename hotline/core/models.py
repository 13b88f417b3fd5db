"""Import every domain's models so the metadata is complete."""

from __future__ import annotations


def import_all_models() -> None:
    """Register all tables on Base.metadata."""
    import hotline.assists.models
    import hotline.audit.models
    import hotline.calls.models
    import hotline.extensions.models
    import hotline.grids.models
    import hotline.hotspots.models
    import hotline.kb.models
    import hotline.notifications.models
    import hotline.open311.models
    import hotline.outbox.models
    import hotline.photos.models
    import hotline.queue.models
    import hotline.search.models
    import hotline.seats.models
    import hotline.surveys.models
    import hotline.tickets.models
    import hotline.transcripts.models
    import hotline.users.models
    import hotline.webhooks.models  # noqa: F401
