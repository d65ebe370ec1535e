"""A user keeps acting in their role after a snapshot (taken every 50 of their events)."""

from __future__ import annotations

from domain.values import SYSTEM, Role


def test_a_user_signs_in_after_a_snapshot_with_their_role_intact(ledger):
    ledger.add_user(SYSTEM, username="often", password="pvb-bench-2026", role="regulator",
                    organisation=None, person_id=None)
    for _ in range(55):  # past the 50th event: the user is loaded from a snapshot from then on
        actor = ledger.authenticate("often", "pvb-bench-2026")
    assert ledger.snapshots is not None and list(ledger.snapshots.get(ledger._user("often").id))
    actor = ledger.authenticate("often", "pvb-bench-2026")
    assert actor.role is Role.REGULATOR
    assert ledger.get_user("often").role == "regulator"
