"""Alembic migrations for the hotline schema."""
