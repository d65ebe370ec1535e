"""A view whose tables change with a release is emptied and rebuilt; the others are left alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.values import SYSTEM
from projections import ALL_VIEWS
from projections.directory import DirectoryView
from tests.conftest import LEAD
from web.wiring import build_services

START = date.today() - timedelta(days=30)


def _ledger_with_directory(url: str) -> dict[str, int]:
    """Two organisations in a new ledger; every view's position when it is closed."""
    services = build_services(url, inline=True)
    try:
        services.ledger.init_framework(SYSTEM)
        for code, kind in (("NVH", "acute_trust"), ("SCC", "council")):
            services.ledger.register_organisation(LEAD, code=code, name=f"{code} name", kind=kind, occurred_on=START)
        services.projections.catch_up()
        return {name: view.position() for name, view in services.projections.views.items()}
    finally:
        services.close()


def _codes(services) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(o["code"] for o in services.projections["directory"].list_organisations())


def test_every_view_has_tables_of_its_own():
    """Renewing a view drops its tables: no two views may share one."""
    owners: dict[str, str] = {}
    for cls in ALL_VIEWS:
        for table in cls.tables:
            assert table not in owners, f"{table} belongs to {owners[table]} and {cls.name}"
            owners[table] = cls.name


def test_an_unchanged_view_is_kept_as_it_is(database_url):
    before = _ledger_with_directory(database_url)
    services = build_services(database_url, inline=False)
    try:
        assert {name: view.position() for name, view in services.projections.views.items()} == before
        assert _codes(services) == ["NVH", "SCC"]
    finally:
        services.close()


def test_a_view_of_a_new_revision_is_emptied_and_rebuilt_from_the_first_event(database_url, monkeypatch, caplog):
    before = _ledger_with_directory(database_url)
    assert before["directory"] > 0
    monkeypatch.setattr(DirectoryView, "revision", DirectoryView.revision + 1)  # the next release
    services = build_services(database_url, inline=False)
    try:
        views = services.projections.views
        assert views["directory"].position() == 0
        assert _codes(services) == []
        assert {n: v.position() for n, v in views.items() if n != "directory"} == {
            n: p for n, p in before.items() if n != "directory"}
        assert "view directory: its tables changed" in caplog.text
        services.projections.catch_up()
        assert views["directory"].position() == before["directory"]
        assert _codes(services) == ["NVH", "SCC"]
    finally:
        services.close()


def test_tables_made_before_shapes_were_recorded_are_made_again(database_url):
    """A ledger from before this release has rows but no shape: its tables may lack columns."""
    _ledger_with_directory(database_url)
    services = build_services(database_url, inline=False)
    try:
        directory = services.projections["directory"]
        with directory.view.transaction() as c:
            c.execute("DELETE FROM pvb_view_shapes WHERE view = ?", (directory.view.view_name,))
            c.execute("DROP TABLE dir_bodies")
            c.execute("CREATE TABLE dir_bodies (code TEXT PRIMARY KEY)")  # an older shape
    finally:
        services.close()
    services = build_services(database_url, inline=True)
    try:
        directory = services.projections["directory"]
        services.projections.catch_up()
        with directory.view.transaction(commit=False) as c:
            c.execute("SELECT name, kind FROM dir_bodies")  # the columns are there again
        assert _codes(services) == ["NVH", "SCC"]
    finally:
        services.close()


@pytest.mark.parametrize("changed", ["revision", "tables"])
def test_the_shape_follows_the_tables_and_the_revision(monkeypatch, changed):
    shape = DirectoryView.shape()
    if changed == "revision":
        monkeypatch.setattr(DirectoryView, "revision", DirectoryView.revision + 1)
    else:
        monkeypatch.setattr(DirectoryView, "tables", {**DirectoryView.tables, "dir_extra": "x TEXT"})
    assert DirectoryView.shape() != shape


def test_opening_views_beside_a_writer_takes_no_lock_on_their_tables(postgres_url):
    """A gunicorn worker starting while another applies events must not wait on it (or deadlock).

    CREATE INDEX IF NOT EXISTS takes a share lock on its table even when the index exists, so a
    process that asked for every index at start waited on any transaction writing to a view.
    """
    import threading

    import psycopg

    from application import Database

    _ledger_with_directory(postgres_url)
    db = Database.parse(postgres_url)
    writer = psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.name)
    opened: list[object] = []
    try:
        writer.execute(f'SET search_path TO "{db.schema}"')
        for table in [t for cls in ALL_VIEWS for t in cls.tables]:
            writer.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE")  # as a catch-up in progress holds them

        def start() -> None:
            services = build_services(postgres_url, inline=False)
            opened.append(services.projections["directory"].position())
            services.close()

        starting = threading.Thread(target=start, daemon=True)
        starting.start()
        starting.join(60)
        assert opened, "opening the views waited on the writer's locks"
    finally:
        writer.rollback()
        writer.close()
