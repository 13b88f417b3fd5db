"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from hotline.core.database import Base
from hotline.core.models import import_all_models


def test_models_and_migrations_agree(db_engine: Engine) -> None:
    import_all_models()
    with db_engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
