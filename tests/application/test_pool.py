"""Pooled PostgreSQL connections are checked before use unless one answered moments ago."""

from __future__ import annotations

import time

from application import Database
from application.pool import ALIVE_WINDOW, check_unless_recently_alive


def test_a_connection_checked_moments_ago_is_not_checked_again_but_an_idle_one_is(postgres_url):
    import psycopg
    from psycopg_pool import ConnectionPool

    db = Database.parse(postgres_url)
    checks: list[float] = []

    def check(conn) -> None:  # type: ignore[no-untyped-def]
        checks.append(time.monotonic())
        ConnectionPool.check_connection(conn)

    conninfo = psycopg.conninfo.make_conninfo(host=db.host, port=db.port, user=db.user, dbname=db.name)
    with ConnectionPool(conninfo, min_size=1, max_size=1, check=check, open=True) as pool:
        check_unless_recently_alive(pool)
        for _ in range(5):
            with pool.connection() as conn:
                assert conn.execute("SELECT 1").fetchone() == (1,)
        assert len(checks) == 1
        time.sleep(ALIVE_WINDOW + 0.1)
        with pool.connection() as conn:
            conn.execute("SELECT 1")
        assert len(checks) == 2
