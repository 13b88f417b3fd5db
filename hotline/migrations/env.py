"""Alembic environment: runs against the URL given by hotline.core.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from hotline.core.database import Base
from hotline.core.models import import_all_models
from hotline.core.search_indexes import include_object

import_all_models()
config = context.config
url = config.get_main_option("sqlalchemy.url") or ""
assert url, "hotline.core.migrate sets sqlalchemy.url"


def run() -> None:
    """Run migrations online (offline SQL generation is also supported)."""
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
