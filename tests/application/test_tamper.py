"""Tampering behind the application's back, on each engine and in each way, is detected and named."""

from __future__ import annotations

import base64
import hashlib

import pytest

from domain.merkle import leaf_hash
from domain.seal import encode_leaf
from tests.application.seal_helpers import ADMIN, add_events, open_ledger, raw, stored


@pytest.fixture
def sealed(database_url, tmp_path):  # type: ignore[no-untyped-def]
    ledger = open_ledger(database_url, tmp_path / "key.pem")
    add_events(ledger, people=6)  # 10 events
    ledger.latest_checkpoint()
    yield ledger
    ledger.close()


def verdict(ledger):  # type: ignore[no-untyped-def]
    report = ledger.verify_log()
    assert not report.intact
    return report.problems[0]


def originator(row) -> str:  # type: ignore[no-untyped-def]
    from uuid import UUID

    value = row["originator_id"]
    return str(value if isinstance(value, UUID) else UUID(hex=value))


def test_changing_one_byte_of_a_payload_is_named(sealed):
    row = stored(sealed, 5)
    state = bytes(row["state"])
    doctored = state.replace(b'"title":"Director"', b'"title":"Directos"')
    assert doctored != state and len(doctored) == len(state)
    raw(sealed, "UPDATE EVENTS SET state = ? WHERE POS = ?", (doctored, 5))
    problem = verdict(sealed)
    assert problem.startswith(f"event at position 5 (originator {originator(row)} version 1, ")
    assert problem.endswith("was altered: its stored state bytes differ from those sealed")


def test_deleting_a_row_is_named(sealed):
    row = stored(sealed, 6)
    raw(sealed, "DELETE FROM EVENTS WHERE POS = ?", (6,))
    assert verdict(sealed) == (
        f"event at position 6 (originator {originator(row)} version 1, {row['topic']}) "
        "was sealed but has been deleted"
    )


def test_inserting_a_row_in_the_middle_is_named(sealed):
    forged = stored(sealed, 7)
    raw(sealed, "UPDATE EVENTS SET POS = POS + 1000 WHERE POS > 6")
    raw(sealed, "UPDATE EVENTS SET POS = POS - 999 WHERE POS > 1000")
    new_id = "00000000000000000000000000000abc"
    value = new_id if sealed.database.engine == "sqlite" else f"00000000-0000-0000-0000-{new_id[-12:]}"
    raw(sealed, "INSERT INTO EVENTS (POS, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)", (7, value, 1, forged["topic"], bytes(forged["state"])))
    problem = verdict(sealed)
    assert problem.startswith("event at position 7 now holds originator 00000000-0000-0000-0000-000000000abc")
    assert problem.endswith("; that event was never sealed")


def test_inserting_a_row_where_a_position_is_free_is_named(sealed):
    first = stored(sealed, 1)
    new_id = "00000000000000000000000000000def"
    value = new_id if sealed.database.engine == "sqlite" else f"00000000-0000-0000-0000-{new_id[-12:]}"
    raw(sealed, "INSERT INTO EVENTS (POS, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)", (0, value, 1, first["topic"], bytes(first["state"])))
    assert verdict(sealed) == (
        f"event at position 0 (originator 00000000-0000-0000-0000-000000000def version 1, {first['topic']}) "
        "was inserted: it was never sealed, yet later events were"
    )


def test_swapping_two_rows_is_named(sealed):
    four, five = stored(sealed, 4), stored(sealed, 5)
    raw(sealed, "UPDATE EVENTS SET POS = -1 WHERE POS = 4")
    raw(sealed, "UPDATE EVENTS SET POS = 4 WHERE POS = 5")
    raw(sealed, "UPDATE EVENTS SET POS = 5 WHERE POS = -1")
    assert verdict(sealed) == (
        f"event at position 4 now holds originator {originator(five)} version 1, but originator "
        f"{originator(four)} version 1 was sealed there; that event was sealed at position 5: rows "
        "were swapped or reordered"
    )


def test_truncating_the_tail_is_named(sealed):
    eight = stored(sealed, 8)
    raw(sealed, "DELETE FROM EVENTS WHERE POS >= 8")
    report = sealed.verify_log()
    assert not report.intact
    assert report.problems[0] == (
        f"event at position 8 (originator {originator(eight)} version 1, {eight['topic']}) "
        "was sealed but has been deleted"
    )
    assert len([p for p in report.problems if "has been deleted" in p]) == 3


def test_a_postgres_sequence_gap_filled_behind_the_ledgers_back_is_named(postgres_url, tmp_path):
    # Only PostgreSQL leaves gaps in the notification ids (each rolled-back insert makes one).
    ledger = open_ledger(postgres_url, tmp_path / "key.pem")
    add_events(ledger, people=1)
    raw(ledger, "SELECT nextval(pg_get_serial_sequence(?, 'notification_id'))",
        (f'"{ledger.database.schema}".{ledger.recorder.events_table_name}',))  # as a rollback does
    gap = ledger.max_position() + 1
    add_events(ledger, people=2)
    ledger.seal_pending()
    first = stored(ledger, 1)
    raw(ledger, "INSERT INTO EVENTS (POS, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)", (gap, "00000000-0000-0000-0000-000000000123", 1,
                                           first["topic"], bytes(first["state"])))
    problem = verdict(ledger)
    assert problem.startswith(f"event at position {gap} (originator 00000000-0000-0000-0000-000000000123")
    assert problem.endswith("was inserted: it was never sealed, yet later events were")
    ledger.close()


def test_altering_a_seal_row_alone_is_detected_and_the_events_cleared(sealed):
    raw(sealed, "UPDATE pvb_seal_leaves SET leaf_hash = ? WHERE leaf_index = 3", ("ab" * 32,))
    assert verdict(sealed) == (
        "the seal's leaf 3 was altered; the stored event still matches signed checkpoint 10"
    )


def test_changing_an_event_and_its_seal_row_together_fails_the_signed_checkpoint(sealed):
    row = stored(sealed, 5)
    doctored = bytes(row["state"]).replace(b"Director", b"Directos")
    raw(sealed, "UPDATE EVENTS SET state = ? WHERE POS = ?", (doctored, 5))
    new_hash = leaf_hash(encode_leaf(5, row["originator_id"], 1, row["topic"], doctored)).hex()
    raw(sealed, "UPDATE pvb_seal_leaves SET leaf_hash = ?, state_sha256 = ? WHERE position = 5",
        (new_hash, hashlib.sha256(doctored).hexdigest()))
    problems = sealed.verify_log().problems
    assert "the events in sealed positions 1 to 10 do not match signed checkpoint 10: events and " \
           "seal tables were both changed" in problems


def test_rewriting_a_checkpoint_breaks_its_signature(sealed):
    sealed.get_checkpoint(4)
    raw(sealed, "UPDATE pvb_seal_checkpoints SET root = ? WHERE size = 4", ("00" * 32,))
    problems = sealed.verify_log().problems
    assert f"checkpoint 4 does not carry a valid signature by key {sealed.public_keys()[0].key_id}: " \
           "it was altered" in problems


def test_removing_sealed_leaves_is_caught_by_the_signed_head(sealed):
    raw(sealed, "DELETE FROM pvb_seal_leaves WHERE leaf_index >= 8")
    problems = sealed.verify_log().problems
    assert "signed checkpoint 10 covers 10 events but only 8 are sealed: sealed events were " \
           "removed" in problems


def test_a_forged_key_endorsement_is_detected(sealed):
    sealed.rotate_signing_key(ADMIN)
    raw(sealed, "UPDATE pvb_seal_keys SET endorsement = ? WHERE seq = 1",
        (base64.b64encode(bytes(64)).decode(),))
    problems = sealed.verify_log().problems
    assert any(p.startswith("the key table was altered") for p in problems)


def test_verify_reads_in_batches_and_still_names_problems_across_batch_boundaries(sealed):
    seen: list[int] = []
    report = sealed.verify_log(progress=seen.append, batch=3)
    assert report.intact and seen == [3, 6, 9, 10]
    raw(sealed, "DELETE FROM EVENTS WHERE POS IN (3, 4)")
    raw(sealed, "UPDATE EVENTS SET topic = 'x' WHERE POS = 7")
    problems = sealed.verify_log(batch=3).problems
    assert len(problems) == 3
    assert problems[0].startswith("event at position 3 (") and problems[0].endswith("has been deleted")
    assert problems[1].startswith("event at position 4 (") and problems[1].endswith("has been deleted")
    assert problems[2].startswith("event at position 7 (") and "changed its topic from " in problems[2]


def test_altering_the_heads_right_edge_is_detected(sealed):
    raw(sealed, "UPDATE pvb_seal_head SET edge = ? WHERE id = 1", (",".join(["cd" * 32] * 2),))
    assert sealed.verify_log().problems == ("the seal head's stored right edge was altered",)
