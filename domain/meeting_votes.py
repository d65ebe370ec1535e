"""The closing vote's small rules: the three verdicts, a tally's counts, a comment as personal data."""

from __future__ import annotations

from domain.base import check_text
from domain.errors import ValidationError
from domain.values import Personal

VERDICTS = ("adhered", "partly_adhered", "not_adhered")


def check_verdict(verdict: str) -> str:
    """The verdict if it is one of the three, else ValidationError."""
    if verdict not in VERDICTS:
        raise ValidationError(f"verdict must be one of: {', '.join(VERDICTS)}", field="verdict")
    return verdict


def vote_comment(person_id: str, comment: str | None) -> Personal | None:
    """A comment on a vote, stored as the voter's personal data (None when blank)."""
    text = check_text(comment or "", "comment", max_length=2000, required=False)
    return Personal(person_id, text) if text else None


def check_tally(organisation: str, counts: tuple[int, int, int], present: int) -> None:
    """Refuse negative or empty counts, or more votes than the organisation had attendees."""
    if any(n < 0 for n in counts) or sum(counts) == 0:
        raise ValidationError("a tally's counts are whole numbers, at least one above zero", field="adhered")
    if sum(counts) > present:
        raise ValidationError(
            f"{sum(counts)} votes tallied for {organisation}, but only {present} of its people attended",
            field="adhered",
        )
