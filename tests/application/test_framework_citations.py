"""Citations are checked against the framework in force, also right after it is amended."""

from __future__ import annotations

from dataclasses import replace

import pytest

from application.framework import default_catalogue
from domain.errors import ValidationError
from domain.values import SYSTEM


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
