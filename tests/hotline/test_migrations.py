"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text

from hotline.core.database import Base
from hotline.core.migrate import upgrade
from hotline.core.models import import_all_models
from hotline.core.search_indexes import include_object


def test_models_and_migrations_agree(db_engine: Engine) -> None:
    import_all_models()
    with db_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_0002_moves_keyed_communities_into_the_hierarchy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO communities (code, name_zh, name_en, name_ko, town_zh, town_en) "
                "VALUES ('1101', '东湖社区', 'Donghu', NULL, '城关街道', 'Chengguan'),"
                "       ('1201', '柳树村', 'Liushu', '버드나무', '青山镇', 'Qingshan')"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT u.code, u.level, p.name_zh FROM org_units u "
                "LEFT JOIN org_units p ON p.id = u.parent_id ORDER BY u.level, u.code"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("1101", "community", "城关街道"),
        ("1201", "community", "青山镇"),
        ("D00", "district", None),
        ("T01", "town", "本区"),
        ("T02", "town", "本区"),
    ]
