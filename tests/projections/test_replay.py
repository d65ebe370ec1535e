from __future__ import annotations

import io
import tempfile
import threading
import zlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from projections import ALL_VIEWS, View
from projections import checkpoints as ck
from projections.feedback import FeedbackView
from projections.private import PrivateDatastore
from projections.replay import Replayer
from projections.replay_build import fingerprint
from projections.replay_diff import diff_replays, primary_key
from projections.store import ViewStore
from projections.timeline import Subject
from tests.application.test_feedback import ICHAIR, INSPECTOR, county
from tests.conftest import ADMIN, LEAD

REPLAYABLE = [cls.name for cls in ALL_VIEWS if cls.tables]


def normal(value: Any) -> Any:
    """One engine's value as the other would give it (views are compared across engines)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def tables_of(view: View) -> dict[str, list]:
    """Every row of every table of a view, order-free."""
    found = {}
    for table in type(view).tables:
        with view.view.transaction(commit=False) as c:
            rows = c.execute(f"SELECT * FROM {table}").fetchall()
        found[table] = sorted((sorted((k, normal(v)) for k, v in r.items()) for r in rows), key=repr)
    return found


def replayed(replay) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Every row of every table of a replay, order-free, through the Replay's own API."""
    return {
        table: sorted((sorted((k, normal(v)) for k, v in r.items()) for r in replay.rows(table, limit=10**9)[0]),
                      key=repr)
        for table in replay.tables()
    }


def tracking_of(services) -> list:  # type: ignore[no-untyped-def]
    with services.projections["directory"].view.transaction(commit=False) as c:
        return sorted(tuple(r.values()) for r in c.execute("SELECT * FROM pvb_tracking").fetchall())


def moment_of(services, position: int) -> datetime:  # type: ignore[no-untyped-def]
    text = services.projections["timeline"].get(position)["recorded_at"]
    return datetime.fromisoformat(text)


@pytest.fixture
def replayer(services):  # type: ignore[no-untyped-def]
    r = Replayer.for_projections(services.projections, checkpoint_every=7)
    yield r
    r.close()


def test_every_view_replayed_now_equals_the_live_view_and_known_at_a_past_moment_equals_the_view_then(demo):
    services = demo
    assert set(REPLAYABLE) >= {"directory", "timeline", "feedback"}
    captured_at = moment_of(services, services.ledger.max_position())
    captured = {name: tables_of(services.projections[name]) for name in REPLAYABLE}
    replayer = Replayer.for_projections(services.projections, checkpoint_every=50)
    try:
        for name in REPLAYABLE:
            assert replayed(replayer.replay(name)) == captured[name], name
        chair = services.ledger.add_person(LEAD, name="Ruth Ellis", organisation="NVH", title="Matron")
        services.ledger.give_feedback(
            INSPECTOR, organisation="NVH", tenor="concerning", summary="Later feedback",
            examples=[{"occurred_on": date.today(), "description": "Ruth spoke up", "person_id": chair}],
        )
        services.ledger.rename_organisation(LEAD, "RFH", name="Rockingham Forest NHS Trust", reason="merger")
        for name in REPLAYABLE:
            assert replayed(replayer.replay(name, known_at=captured_at)) == captured[name], name
            assert replayed(replayer.replay(name)) == tables_of(services.projections[name]), name
    finally:
        replayer.close()


def test_known_at_a_captured_moment_the_feedback_and_directory_are_as_they_were(services, replayer):
    ids = county(services.ledger)
    fid = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="First view")
    position = services.ledger.max_position()
    moment = moment_of(services, position)
    captured = {name: tables_of(services.projections[name]) for name in ("feedback", "directory", "timeline")}
    services.ledger.respond_to_feedback(ICHAIR, fid, action="acknowledged", response="Thank you")
    services.ledger.correct_feedback(INSPECTOR, fid, tenor="positive", reason="too harsh")
    services.ledger.record_leaver(LEAD, ids["nurse"])
    for name, tables in captured.items():
        replay = replayer.replay(name, known_at=moment)
        assert (replay.position, replayed(replay)) == (position, tables), name
    then = replayer.replay("feedback", known_at=moment).view.get_feedback(fid)
    assert (then["tenor"], then["responses"]) == ("mixed", 0)
    assert replayer.replay("feedback", known_at=datetime(2001, 1, 1, tzinfo=UTC)).position == 0


def test_as_of_excludes_what_happened_later_in_the_world_even_if_recorded_earlier(services, replayer):
    county(services.ledger)
    today, last_month = date.today(), date.today() - timedelta(days=30)
    recent = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="positive", summary="Recent")
    older = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="Backdated",
                                          occurred_on=last_month)
    as_of = replayer.replay("feedback", as_of=today - timedelta(days=10)).view
    assert [i["id"] for i in as_of.list_feedback()[0]] == [older]
    assert {i["id"] for i in replayer.replay("feedback", as_of=today).view.list_feedback()[0]} == {older, recent}
    timeline = replayer.replay("timeline", as_of=today - timedelta(days=10)).view
    assert [r["originator_id"] for r in timeline.events(event_type="Feedback.Given")[0]] == [older]


def test_as_of_includes_corrections_made_later_of_facts_that_had_happened(services, replayer):
    county(services.ledger)
    given_on = date.today() - timedelta(days=40)
    fid = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="Backdated",
                                        occurred_on=given_on)
    services.ledger.correct_feedback(INSPECTOR, fid, tenor="concerning", reason="misread our notes")
    services.ledger.respond_to_feedback(ICHAIR, fid, action="acknowledged", response="Thanks")
    as_of = replayer.replay("feedback", as_of=given_on).view.get_feedback(fid)
    assert (as_of["tenor"], as_of["corrections"], as_of["responses"]) == ("concerning", 1, 0)
    before_known = replayer.replay(
        "feedback", known_at=moment_of(services, services.ledger.max_position() - 2), as_of=given_on
    ).view.get_feedback(fid)
    assert before_known["tenor"] == "mixed"


def test_replays_never_change_live_views_or_their_tracking(services, replayer):
    ids = county(services.ledger)
    for n in range(12):
        services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary=f"Item {n}")
    services.ledger.erase_person(ADMIN, ids["nurse"], "request")
    live = {name: tables_of(services.projections[name]) for name in REPLAYABLE}
    tracking = tracking_of(services)
    head = services.ledger.max_position()
    for name in REPLAYABLE:
        replayer.replay(name, position=head // 2)
        replayer.replay(name, as_of=date.today() - timedelta(days=1))
        replayer.replay(name)
    replayer.ensure_checkpoints()
    assert replayer.checkpoints.list()
    assert {name: tables_of(services.projections[name]) for name in REPLAYABLE} == live
    assert tracking_of(services) == tracking


def test_a_replay_from_a_checkpoint_equals_one_from_the_first_event(services, replayer):
    county(services.ledger)
    for n in range(20):
        fid = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary=f"Item {n}")
        if n % 3 == 0:
            services.ledger.respond_to_feedback(ICHAIR, fid, action="acknowledged", response="ok")
    made = replayer.ensure_checkpoints(["feedback", "directory"])
    assert made["feedback"] > 0 and made["directory"] > 0
    target = services.ledger.max_position() - 3
    from_checkpoint = replayer.replay("feedback", position=target)
    assert from_checkpoint.started_from.startswith("the checkpoint at ")
    scratch = Replayer.for_projections(services.projections, checkpoint_every=10**9)
    try:
        scratch.checkpoints.clear()
        from_first = scratch.replay("feedback", position=target)
        assert from_first.started_from == "the first event"
        assert replayed(from_checkpoint) == replayed(from_first)
    finally:
        scratch.close()


def test_an_as_of_replay_starts_only_from_a_checkpoint_with_nothing_later_in_the_world(services, replayer):
    county(services.ledger)
    old = date.today() - timedelta(days=100)
    for n in range(15):
        services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary=f"Item {n}",
                                      occurred_on=old if n < 8 else None)
        if n == 7:
            last_old = services.ledger.max_position()
    replayer.ensure_checkpoints(["feedback"])
    kept = [k.position for k in replayer.checkpoints.list("feedback")]
    usable = [k for k in kept if k <= last_old]
    assert usable and max(kept) > last_old
    replay = replayer.replay("feedback", as_of=old)
    assert replay.started_from == f"the checkpoint at {max(usable)}"
    assert replay.view.list_feedback()[1] == 8


def test_erasing_a_person_deletes_checkpoints_that_may_hold_their_data(services, replayer):
    ids = county(services.ledger)
    for n in range(10):
        services.ledger.give_feedback(
            INSPECTOR, organisation="NVH", tenor="mixed", summary=f"Item {n}",
            examples=[{"occurred_on": date.today(), "description": "Helen led it", "person_id": ids["nurse"]}],
        )
    replayer.ensure_checkpoints(["feedback", "directory"])
    assert replayer.checkpoints.list()
    services.ledger.erase_person(ADMIN, ids["nurse"], "request")
    assert replayer.checkpoints.list() == []
    replay = replayer.replay("feedback", position=services.ledger.max_position() - 1)
    items, _ = replay.view.list_feedback(limit=100)
    assert {e["description"] for i in items for e in i["examples"]} == {"[erased]"}


def test_the_timeline_replays_as_a_cut_of_the_live_timeline(services, replayer):
    ids = county(services.ledger)
    position = services.ledger.max_position() - 2
    replay = replayer.replay("timeline", position=position)
    assert (replay.started_from, replay.path) == ("a cut of the live timeline view", None)
    rows, total = replay.view.events(limit=1000, newest_first=False)
    assert total == position and rows == services.projections["timeline"].events(
        limit=1000, newest_first=False, up_to=position)[0]
    assert replay.view.get(position + 1) is None and replay.view.position_at("9999") == position
    assert replay.rows("tl_events", limit=1000)[1] == position
    later = replayer.replay("timeline")
    added = {d.table: d for d in diff_replays(replay, later, mentions=[ids["nurse"]])}
    assert [r["event_type"] for r in added["tl_events"].added] == ["Person.Joined"]
    assert added["tl_events"].removed == []


def test_a_moment_maps_to_a_position_even_when_the_timeline_lags(database_url):
    from web.wiring import build_services

    services = build_services(database_url, inline=False)
    try:
        services.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
        r = Replayer.for_projections(services.projections)
        assert services.projections["timeline"].position() == 0
        assert r.position_at(datetime.now(UTC)) == services.ledger.max_position() == 1
        assert replayed(r.replay("directory"))["dir_organisations"][0][0] == ("code", "NVH")
        lagging = r.replay("timeline")
        assert lagging.started_from == "the live timeline rows up to 0"
        assert [e["event_type"] for e in lagging.view.events()[0]] == ["Organisation.Registered"]
        r.close()
    finally:
        services.close()


def test_the_difference_of_a_view_between_two_moments(services, replayer):
    ids = county(services.ledger)
    before = replayer.replay("directory", position=services.ledger.max_position())
    services.ledger.move_person(LEAD, ids["nurse"], organisation="STP", title="Director", senior_leader=True)
    services.ledger.register_organisation(LEAD, code="RFH", name="Rockingham", kind="acute_trust")
    after = replayer.replay("directory")
    diffs = {d.table: d for d in diff_replays(before, after)}
    assert [r["code"] for r in diffs["dir_organisations"].added] == ["RFH"]
    changed = diffs["dir_people"].changed
    assert [(c["before"]["organisation"], c["after"]["organisation"]) for c in changed] == [("NVH", "STP")]
    about_rfh = {d.table: d for d in diff_replays(before, after, mentions=["RFH"])}
    assert about_rfh["dir_people"].empty and len(about_rfh["dir_organisations"].added) == 1
    assert primary_key("a TEXT, b TEXT, PRIMARY KEY (a, b)") == ["a", "b"]
    assert primary_key("code TEXT PRIMARY KEY, name TEXT") == ["code"]


def test_an_unknown_view_is_named_with_the_views_there_are(replayer):
    with pytest.raises(KeyError, match="no such view 'nope'; views: directory"):
        replayer.replay("nope")


def test_subjects_of_investigation_know_their_own_aggregate():
    assert Subject("person", "p1").aggregate_id == "p1"


def feedback_checkpoints(services, replayer, items: int = 12):  # type: ignore[no-untyped-def]
    """Some feedback (the county first, once), its checkpoints made; returns the latest checkpoint."""
    if not services.projections["directory"].list_organisations():
        county(services.ledger)
    for n in range(items):
        services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary=f"Item {n}")
    replayer.ensure_checkpoints(["feedback"])
    return replayer.checkpoints.list("feedback")[-1]


def ledger_sql(replayer, sql: str, params=()) -> None:  # type: ignore[no-untyped-def]
    with replayer.checkpoints.store.transaction() as c:
        c.execute(sql, params)


def test_a_checkpoint_deleted_while_it_is_read_is_not_trusted(services, replayer):
    kept = feedback_checkpoints(services, replayer)
    whole = replayed(replayer.replay("feedback", position=services.ledger.max_position() - 1))
    ledger_sql(replayer, f"DELETE FROM {ck.CHUNKS} WHERE view = ? AND position = ?", ("feedback", kept.position))
    again = replayer.replay("feedback", position=services.ledger.max_position() - 2)
    assert again.started_from == "the first event"
    assert len(replayed(again)["fb_feedback"]) == len(whole["fb_feedback"]) - 1


def test_a_checkpoint_is_an_image_of_the_private_file_that_loads_back_as_the_same_view(
    services, replayer, monkeypatch
):
    monkeypatch.setattr(ck, "CHUNK_BYTES", 256)  # many small chunks, read a few at a time
    kept = feedback_checkpoints(services, replayer)
    assert kept.chunks == len(list(replayer.checkpoints.chunks("feedback", kept.position))) > ck.CHUNKS_PER_READ
    assert kept.rows_total > 0 and kept.image_bytes > 0 and len(kept.sha256) == 64
    with tempfile.TemporaryFile() as out:
        assert replayer.checkpoints.load(kept, out)
        assert out.tell() == kept.image_bytes
        out.seek(0)
        assert out.read(16) == b"SQLite format 3\x00"
    from_checkpoint = replayer.replay("feedback", position=kept.position + 1)
    assert from_checkpoint.started_from == f"the checkpoint at {kept.position}"
    scratch = Replayer.for_projections(services.projections, checkpoint_every=10**9)
    try:
        scratch.checkpoints.clear()
        from_first = scratch.replay("feedback", position=kept.position + 1)
        assert from_first.started_from == "the first event"
        assert replayed(from_checkpoint) == replayed(from_first)
    finally:
        scratch.close()


class DeletesAfterFirstWrite(io.BytesIO):
    """Where a checkpoint's image is written: erases every checkpoint once the first chunk is in."""

    def __init__(self, checkpoints: ck.Checkpoints) -> None:
        super().__init__()
        self.checkpoints = checkpoints

    def write(self, data) -> int:  # type: ignore[no-untyped-def]
        if self.tell() == 0:
            self.checkpoints.purge_created_before("9999")
        return super().write(data)


def test_a_checkpoint_deleted_between_its_chunks_or_cut_short_or_changed_is_not_whole(
    services, replayer, monkeypatch
):
    monkeypatch.setattr(ck, "CHUNK_BYTES", 256)
    kept = feedback_checkpoints(services, replayer)
    assert not replayer.checkpoints.load(kept, DeletesAfterFirstWrite(replayer.checkpoints))
    assert replayer.checkpoints.list() == []
    kept = feedback_checkpoints(services, replayer, items=1)
    where = ("feedback", kept.position, kept.chunks - 1)
    ledger_sql(replayer, f"DELETE FROM {ck.CHUNKS} WHERE view = ? AND position = ? AND chunk = ?", where)
    assert not replayer.checkpoints.load(kept, io.BytesIO())
    assert replayer.replay("feedback", position=kept.position).started_from == "the first event"
    replayer.checkpoints.clear()
    kept = feedback_checkpoints(services, replayer, items=1)
    ledger_sql(replayer, f"UPDATE {ck.CHUNKS} SET data = ? WHERE view = ? AND position = ? AND chunk = 1",
               (zlib.compress(b"\x00" * 256), "feedback", kept.position))
    assert not replayer.checkpoints.load(kept, io.BytesIO())
    assert replayer.replay("feedback", position=kept.position).started_from == "the first event"


def test_checkpoints_stored_in_another_form_or_by_other_code_are_not_used(services, replayer):
    kept = feedback_checkpoints(services, replayer)
    ledger_sql(replayer, f"UPDATE {ck.IMAGES} SET fingerprint = ?", ("made-by-other-code",))
    assert replayer.replay("feedback", position=kept.position).started_from == "the first event"
    assert fingerprint([FeedbackView]) != fingerprint([FeedbackView], form="rows")


def test_row_form_checkpoints_of_before_are_dropped_so_none_escapes_an_erasure(database_url):
    from web.wiring import build_services

    services = build_services(database_url, inline=False)
    try:
        store = ViewStore(services.ledger.datastore, "replay_checkpoints", services.ledger.database.schema)
        with store.transaction() as c:
            c.execute("CREATE TABLE pvb_replay_checkpoint_rows (view TEXT, position BIGINT, rows TEXT)")
            c.execute("INSERT INTO pvb_replay_checkpoint_rows VALUES ('feedback', 7, '[\"Helen\"]')")
        ck.Checkpoints(services.ledger.datastore, services.ledger.database.schema)
        with store.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) AS n FROM pvb_replay_images")
            with pytest.raises(Exception, match="pvb_replay_checkpoint_rows"):
                c.execute("SELECT * FROM pvb_replay_checkpoint_rows")
    finally:
        services.close()


def test_two_processes_saving_the_same_checkpoint_at_once_keep_one_whole(services, replayer, tmp_path):
    kept = feedback_checkpoints(services, replayer)
    image = tmp_path / "image.sqlite"
    with image.open("wb") as out:
        assert replayer.checkpoints.load(kept, out)
    replayer.checkpoints.clear()
    others = [ck.Checkpoints(services.ledger.datastore, services.ledger.database.schema) for _ in range(2)]
    start, failed = threading.Barrier(2), []

    def save(checkpoints: ck.Checkpoints, created_at: str) -> None:
        with image.open("rb") as mine:
            start.wait()
            try:
                checkpoints.save("feedback", kept.position, "fp", None, mine, kept.rows_total, created_at)
            except Exception as e:  # noqa: BLE001 - reported below
                failed.append(e)

    threads = [threading.Thread(target=save, args=(c, f"2026-01-0{n + 1}")) for n, c in enumerate(others)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    [saved] = replayer.checkpoints.list("feedback")
    assert (saved.position, saved.image_bytes, saved.sha256) == (kept.position, kept.image_bytes, kept.sha256)
    assert list(replayer.checkpoints.chunks("feedback", kept.position)) == list(range(saved.chunks))
    assert replayer.checkpoints.load(saved, io.BytesIO())


def test_an_image_of_a_private_file_keeps_no_trace_of_rows_changed_or_deleted(tmp_path):
    store = PrivateDatastore(str(tmp_path / "private.sqlite"))
    try:
        with store.transaction(commit=True) as c:
            c.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)")
            c.execute("CREATE INDEX people_name ON people (name)")
            c.executemany("INSERT INTO people (name) VALUES (?)", [(f"Helen Marsh {n}",) for n in range(500)])
        with store.transaction(commit=True) as c:
            c.execute("UPDATE people SET name = '[erased]' WHERE id % 2 = 0")
            c.execute("DELETE FROM people WHERE id % 2 = 1")
        with store.image() as image:
            data = image.read()
        assert data.startswith(b"SQLite format 3") and b"Helen Marsh" not in data
        assert b"[erased]" in data and store.count("people") == 250
    finally:
        store.close()
