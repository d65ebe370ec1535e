"""What the public site shows, as plain data: its pages and its /public/api answers are drawn from here.

Nothing here is personal data: no one's name or username, no narrative, no example, nothing quoted
from a person. The only free text is the framework's own text (and its amendments' reasons) and the
public summaries the Independent Chair wrote when publishing (publishing refuses one that names
anyone in the directory). Concern statistics with fewer than five concerns are suppressed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, url_for

from application.signing import SigningKeyError
from domain.errors import DomainError
from domain.periods import HALF, parse_period

SUPPRESS_BELOW = 5
KIND_LABELS = {
    "acute_trust": "Acute trust", "community_mental_health_trust": "Community and mental health trust",
    "ccg": "Clinical commissioning group", "council": "Council", "stp": "Sustainability and Transformation Partnership",
    "regulator": "Regulator", "hwb": "Health and Wellbeing Board",
}
ADOPTION_STEPS = {
    "paper_not_taken": "Paper still to go to its Board", "awaiting_decision": "Awaiting the Board's decision",
    "deferred": "Deferred", "declined": "Declined", "supported": "Supported",
    "supported_with_amendments": "Supported with amendments",
}


def _services() -> Any:
    return current_app.extensions["pvb"]


def framework() -> dict[str, Any]:
    """The framework at its current version, and every version's adoption or amendment."""
    ledger = _services().ledger
    details = ledger.get_framework()
    return {"version": details.current_version, "source": details.source,
            "items": [{"id": i.id, "kind": i.kind, "group": i.group, "text": i.text, "unhelpful": i.unhelpful}
                      for i in details.items],
            "history": ledger.get_framework_history()}


def adoption() -> dict[str, Any]:
    """Each organisation's decision and date, and each committee's terms of reference (no names of people)."""
    view = _services().projections["adoption"]
    organisations = [{
        "code": b["code"], "name": b["name"], "kind": KIND_LABELS.get(b["kind"], b["kind"]), "external": b["external"],
        "step": b["step"], "step_label": ADOPTION_STEPS.get(b["step"], b["step"]), "body": b["body"],
        "paper_taken_on": b["paper_taken_on"], "decision": b["decision"], "decided_on": b["decided_on"],
        "roles_accepted": b["roles_accepted"],
    } for b in view.list_bodies()]
    committees = [{"code": c["code"], "name": c["name"], "kind": c["kind"], "reports_to": c["reports_to"],
                   "sent_the_paper_on": c["notified_on"], "terms_updated_on": c["terms_updated_on"]}
                  for c in view.list_committees()]
    return {"organisations": organisations, "committees": committees}


def report_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A published edition in the public list."""
    content = row["content"] or {}
    return {"period": row["period"], "edition": row["edition"], "status": row["status"],
            "published_on": row["published_on"], "superseded_by": row["superseded_by"],
            "superseded_on": row["superseded_on"], "supersedes": row["supersedes"],
            "content_hash": row["content_hash"], "public_summary": content.get("public_summary", ""),
            "href": url_for("public.report", period=row["period"], edition=row["edition"])}


def reports() -> list[dict[str, Any]]:
    """Every published edition of the six-monthly reports, newest first, superseded ones marked."""
    return [report_summary(r) for r in _services().projections["reports"].published()]


def public_report(period: str, edition: int | None = None) -> dict[str, Any]:
    """The public edition of a published report: figures, charts, headings and the public summary only."""
    try:
        half = parse_period(period, HALF)
    except DomainError as e:
        abort(404, description=str(e))
    rows = [r for r in _services().projections["reports"].published() if r["period"] == half.key]
    if edition is not None:
        rows = [r for r in rows if r["edition"] == edition]
    current = [r for r in rows if r["status"] == "published"]
    row = (current or rows or [None])[0]
    if row is None:
        abort(404, description=f"no six-monthly report is published for {half.label}")
    content = row["content"]
    supersedes = content.get("supersedes")
    figures = dict(content["figures"])
    figures["sections"] = [{k: v for k, v in s.items() if k != "quotes"} for s in figures.get("sections", [])]
    return {
        "kind": "six_monthly", "period": half, "period_key": half.key, "edition": row["edition"],
        "status": row["status"], "title": f"Six-monthly report: {half.label}",
        "caption": f"The Independent Chair's report to the STP Programme Board · edition {row['edition']} · "
                   f"figures as of {figures.get('as_of', '')}",
        "published_on": content["published_on"], "hash": row["content_hash"], "hash_ok": True,
        "public_summary": content.get("public_summary", ""), "narrative": None, "figures": figures,
        "checkpoint": content.get("checkpoint"), "drawn_at": content.get("drawn_from_position"),
        "supersedes": {"edition": supersedes["edition"], "content_hash": supersedes["content_hash"]} if supersedes else None,
        "superseded_by": row["superseded_by"], "superseded_on": row["superseded_on"],
        "urls": {"page": url_for("public.report", period=half.key, edition=row["edition"]),
                 "pdf": url_for("public.report_pdf", period=half.key, edition=row["edition"])},
        "filename": f"pvb-six-monthly-{half.key}-edition-{row['edition']}",
    }


def concern_statistics(today: date) -> dict[str, Any]:
    """Concerns resolved by level and quarter, with median working days; fewer than five suppressed."""
    stats = _services().projections["escalation"].statistics(today)
    rows = []
    for r in stats["resolved_by_quarter"]:
        shown = r["resolved"] >= SUPPRESS_BELOW
        rows.append({"quarter": r["quarter"], "level": r["level"], "level_label": r["label"],
                     "resolved": r["resolved"] if shown else None,
                     "median_working_days": r["median_days"] if shown else None, "suppressed": not shown})
    return {"suppressed_below": SUPPRESS_BELOW, "resolved_by_quarter_and_level": rows}


def checkpoint() -> dict[str, Any]:
    """The latest signed checkpoint of the log and the ledger's public keys."""
    ledger = _services().ledger
    try:
        cp = ledger.latest_checkpoint("public")
        latest = {"origin": cp.origin, "size": cp.size, "root_hash": cp.root_hash, "time": cp.time,
                  "key_id": cp.key_id, "signature": cp.signature, "body": cp.body, "witnesses": len(cp.witnesses)}
    except (DomainError, SigningKeyError):  # no key here to seal with: the keys still show
        latest = None
    keys = [{"key_id": k.key_id, "algorithm": k.algorithm, "public_key": k.public_key, "public_key_pem": k.public_key_pem,
             "created_at": k.created_at, "retired_at": k.retired_at, "endorsement": k.endorsement, "current": k.current}
            for k in ledger.public_keys()]
    return {"checkpoint": latest, "public_keys": keys}
