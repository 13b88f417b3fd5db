"""What the database benchmarks share: a scratch database on a server, and percentiles."""

from __future__ import annotations

import statistics

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def scratch_url(server: str, name: str) -> str:
    """The scratch database `name` on the given server, created empty."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop(server: str, name: str) -> None:
    """Remove the scratch database."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def p50_p95(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of the timings."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
