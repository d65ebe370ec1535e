"""The adoption view: organisations and bodies by step of adoption, and what is outstanding."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.adoption import SUPPORTED, Adoption
from domain.meeting_body import MeetingBody
from projections.base import View, handles
from projections.store import SqlCursor
from projections.tracked import ORGANISATION_COLUMNS, TracksOrganisations

# Steps in the order an organisation passes through them.
STEPS = ("paper_not_taken", "awaiting_decision", "deferred", "declined", *SUPPORTED)


def _outstanding(row: dict[str, Any]) -> str | None:
    """What remains for this organisation or body, in words (None when adopted)."""
    who = "approval and the role it accepts" if row["external"] else "its Board's support"
    step = row["step"]
    if step == "paper_not_taken":
        return f"take the paper to {row['code']} and seek {who}"
    if step == "awaiting_decision":
        return f"record the decision of {row['body']} (paper taken {row['paper_taken_on']})"
    if step == "deferred":
        return f"{row['body']} deferred on {row['decided_on']}: take the paper back for a decision"
    if step == "declined":
        return f"{row['body']} declined on {row['decided_on']}: the Programme Board to follow up"
    return None


class AdoptionView(TracksOrganisations, View):
    """Each organisation's Board decision, each committee's terms of reference."""

    name = "adoption"
    organisations_table = "adopt_organisations"
    tables: ClassVar[dict[str, str]] = {
        "adopt_organisations": ORGANISATION_COLUMNS,
        "adopt_decisions": "code TEXT PRIMARY KEY, adoption_id TEXT NOT NULL UNIQUE, "
        "external INTEGER NOT NULL, body TEXT NOT NULL, paper_taken_on TEXT NOT NULL, "
        "decision TEXT, decided_on TEXT, amendments TEXT, roles_accepted TEXT NOT NULL, "
        "corrections INTEGER NOT NULL",
        # Committees and sub-committees are meeting bodies (domain/meeting_body.py).
        "adopt_committees": "code TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
        "kind TEXT NOT NULL, reports_to TEXT, notified_on TEXT, terms_updated_on TEXT, terms_reference TEXT, "
        "terms_framework_version INTEGER, terms_updates INTEGER NOT NULL",
    }

    @handles(Adoption.PaperTaken)
    def _paper_taken(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO adopt_decisions (code, adoption_id, external, body, paper_taken_on, "
            "roles_accepted, corrections) VALUES (?, ?, ?, ?, ?, '', 0) ON CONFLICT (code) DO NOTHING",
            (e.organisation, str(e.originator_id), int(e.external), e.body, e.occurred_on.isoformat()),
        )

    @handles(Adoption.DecisionRecorded)
    def _decided(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adopt_decisions SET decision = ?, decided_on = ?, amendments = ?, "
            "roles_accepted = ? WHERE adoption_id = ?",
            (e.decision, e.occurred_on.isoformat(), e.amendments, ",".join(e.roles_accepted),
             str(e.originator_id)),
        )

    @handles(Adoption.DecisionCorrected)
    def _corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adopt_decisions SET decision = ?, amendments = ?, roles_accepted = ?, "
            "corrections = corrections + 1 WHERE adoption_id = ?",
            (e.decision, e.amendments, ",".join(e.roles_accepted), str(e.originator_id)),
        )

    @handles(MeetingBody.Established)
    def _body(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO adopt_committees (code, id, name, kind, reports_to, terms_updates) VALUES (?, ?, ?, ?, ?, 0) "
            "ON CONFLICT (code) DO NOTHING",
            (e.code, str(e.originator_id), e.name, e.kind, e.reports_to),
        )

    @handles(MeetingBody.Notified)
    def _notified(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adopt_committees SET notified_on = ? WHERE id = ?", (e.occurred_on.isoformat(), str(e.originator_id))
        )

    @handles(MeetingBody.TermsOfReferenceUpdated)
    def _terms_updated(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adopt_committees SET terms_updated_on = ?, terms_reference = ?, terms_framework_version = ?, "
            "terms_updates = terms_updates + 1 WHERE id = ?",
            (e.occurred_on.isoformat(), e.reference, e.framework_version, str(e.originator_id)),
        )

    # Queries
    def list_bodies(self) -> list[dict[str, Any]]:
        """Every organisation but the STP itself, with its step and what is outstanding."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT o.code, o.name, o.kind, o.partner, d.body, d.paper_taken_on, d.decision, "
                "d.decided_on, d.amendments, d.roles_accepted, d.corrections "
                "FROM adopt_organisations o LEFT JOIN adopt_decisions d ON d.code = o.code "
                "WHERE o.kind <> 'stp' ORDER BY o.partner DESC, o.name"
            ).fetchall()
        for row in rows:
            row["external"] = not row.pop("partner")
            row["roles_accepted"] = [r for r in (row["roles_accepted"] or "").split(",") if r]
            row["corrections"] = int(row["corrections"] or 0)
            if row["paper_taken_on"] is None:
                row["step"] = "paper_not_taken"
            else:
                row["step"] = row["decision"] or "awaiting_decision"
            row["outstanding"] = _outstanding(row)
        return rows

    def list_committees(self) -> list[dict[str, Any]]:
        """The committees and sub-committees (meeting bodies below the Programme Board): sent the paper, terms updated."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT code, id, name, kind, reports_to, notified_on, terms_updated_on, terms_reference, "
                "terms_framework_version, terms_updates FROM adopt_committees WHERE kind <> 'programme_board' "
                "ORDER BY name"
            ).fetchall()
        for row in rows:
            row["terms_updates"] = int(row["terms_updates"])
            if row["terms_updated_on"]:
                row["outstanding"] = None
            elif row["notified_on"]:
                row["outstanding"] = f"update its terms of reference (sent the paper {row['notified_on']})"
            else:
                row["outstanding"] = "send it the paper and ask it to update its terms of reference"
        return rows

    def summary(self) -> dict[str, Any]:
        """Counts by step for organisations and bodies, and for committees."""
        bodies = self.list_bodies()
        committees = self.list_committees()
        by_step = {step: 0 for step in STEPS}
        for row in bodies:
            by_step[row["step"]] += 1
        return {
            "by_step": by_step,
            "organisations": len(bodies),
            "adopted": sum(by_step[s] for s in SUPPORTED),
            "committees": len(committees),
            "committees_notified": sum(1 for r in committees if r["notified_on"]),
            "committees_updated": sum(1 for r in committees if r["terms_updated_on"]),
        }
