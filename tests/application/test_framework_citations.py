"""Citations are checked against the framework in force, also right after it is amended, and each
record keeps the version that was in force when it was made."""

from __future__ import annotations

from dataclasses import replace

import pytest

from application import Database, Ledger
from application.framework import default_catalogue
from domain.errors import ValidationError
from domain.values import SYSTEM
from tests.application.test_concerns import EXAMPLE, seed


def test_citations_follow_each_amendment_of_the_framework(ledger):
    ledger.init_framework(SYSTEM)
    assert ledger.check_citations(["B-1"]) == (1, ["B-1"])
    with pytest.raises(ValidationError):
        ledger.check_citations(["B-99"])
    _, items = default_catalogue()
    b1 = next(item for item in items if item.id == "B-1")
    ledger.amend_framework(SYSTEM, added=[replace(b1, id="B-99")], changed=[], withdrawn=["B-1"],
                           reason="Agreed at the Programme Board")
    assert ledger.check_citations(["B-99"]) == (2, ["B-99"])
    with pytest.raises(ValidationError):
        ledger.check_citations(["B-1"])


def test_records_keep_pointing_at_the_framework_version_in_force_when_they_were_made(ledger, database_url):
    cast = seed(ledger)
    staff, subject = cast.actors["staff.nvh"], cast.people["staff.rfh"]
    before = ledger.raise_concern(staff, subject_id=subject, **{**EXAMPLE, "catalogue_items": ["B-1"]})
    _, items = default_catalogue()
    b1 = next(item for item in items if item.id == "B-1")
    assert ledger.amend_framework(SYSTEM, added=[replace(b1, id="B-9", text="We talk before we write")],
                                  changed=[], withdrawn=["B-1"], reason="Agreed at the Programme Board") == 2
    after = ledger.raise_concern(staff, subject_id=subject, **{**EXAMPLE, "catalogue_items": ["B-9"]})
    fresh = Ledger(Database.parse(database_url))
    try:
        reader = cast.actors["ceo.nvh"]
        old, new = fresh.get_concern(reader, before), fresh.get_concern(reader, after)
        assert (old.framework_version, old.catalogue_items) == (1, ("B-1",))
        assert (new.framework_version, new.catalogue_items) == (2, ("B-9",))
        first, current = fresh.get_framework(1), fresh.get_framework()
    finally:
        fresh.close()
    assert (first.version, first.current_version, current.version) == (1, 2, 2)
    assert "B-1" in [i.id for i in first.items] and "B-9" not in [i.id for i in first.items]
    assert "B-9" in [i.id for i in current.items] and "B-1" not in [i.id for i in current.items]
