"""Cross-domain plumbing: settings, database, clock, Redis, errors."""
