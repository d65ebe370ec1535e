"""Who may take a concern's steps: the office holders the directory records at the time."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.base import check_text
from domain.concern_routes import OFFICE_LABELS, OFFICE_ROLES, Route, post_key
from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.values import Actor, Office, OrganisationKind, Personal, Role


class OfficeHolders(Protocol):
    """Who holds each office now, as the directory records it (names as Personal values)."""

    def holder(self, office: Office, organisation: str) -> Personal | None:
        """The person holding an office of an organisation, or None if it is vacant."""


def post_phrase(office: Office, organisation: str) -> str:
    """An office in a sentence: 'the Chief Executive of NVH', 'the Accountable Officer'."""
    if office in (Office.ACCOUNTABLE_OFFICER, Office.INDEPENDENT_CHAIR):
        return f"the {OFFICE_LABELS[office]}"
    return f"the {OFFICE_LABELS[office]} of {organisation}"


def office_holder(holders: OfficeHolders, office: Office, organisation: str, reference: str) -> Personal:
    """The holder of an office the route needs, or a clear error if it is vacant."""
    person = holders.holder(office, organisation)
    if person is None:
        raise RuleViolationError(
            f"the directory records nobody as {post_phrase(office, organisation)}, so {reference} "
            "cannot move on; record the appointment first"
        )
    return person


def require_office(
    actor: Actor, holders: OfficeHolders, office: Office, organisation: str, doing: str, reference: str
) -> Personal:
    """The actor as the holder of an office, or NotAllowedError naming who may act."""
    who = post_phrase(office, organisation)
    if actor.role is not OFFICE_ROLES[office]:
        raise NotAllowedError(
            f"only {who} may {doing} for {reference}; you act as {actor.role.value.replace('_', ' ')}"
        )
    person = office_holder(holders, office, organisation, reference)
    if not actor.person_id or actor.person_id != person.subject_id:
        raise NotAllowedError(
            f"only {who} may {doing} for {reference}; the directory does not record you in that office"
        )
    return person


def check_not_before(occurred_on: date, earliest: date, what: str) -> date:
    """Refuse a step dated before the step it follows."""
    if occurred_on < earliest:
        raise ValidationError(
            f"occurred_on {occurred_on.isoformat()} is before {what} on {earliest.isoformat()}",
            field="occurred_on",
        )
    return occurred_on


def concern_text(value: str, field: str, *, required: bool = True) -> str:
    """Free text for a concern: checked as any text, up to 10,000 characters of valid Unicode."""
    text = check_text(value, field, max_length=10_000, required=required)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"{field} contains characters that are not valid Unicode", field=field) from None
    return text


def choose(value: str, allowed: tuple[str, ...], field: str) -> str:
    """value if it is one of allowed, else a ValidationError listing them."""
    if value not in allowed:
        raise ValidationError(f"{field} must be one of: {', '.join(allowed)}", field=field)
    return value


def people_for(
    holders: OfficeHolders, posts: list[tuple[Office, str]], reference: str, required: int
) -> dict[str, Personal]:
    """Office holders by post key; the first `required` posts must be filled."""
    people = {}
    for index, (office, org) in enumerate(posts):
        person = office_holder(holders, office, org, reference) if index < required else (
            holders.holder(office, org))
        if person is not None:
            people[post_key(office, org)] = person
    return people


def route_for(
    actor: Actor, holders: OfficeHolders, raiser_org: str, raiser_kind: OrganisationKind,
    subject_org: str, subject_kind: OrganisationKind, subject_office: Office | None, stp: str,
    reference: str,
) -> Route:
    """The paper's route for a concern raised by this actor about someone."""
    if actor.role is Role.INDEPENDENT_CHAIR:
        require_office(actor, holders, Office.INDEPENDENT_CHAIR, stp, "raise the Independent "
                       "Chair's concern about an individual", reference)
        if subject_office is Office.ACCOUNTABLE_OFFICER or not subject_kind.is_partner:
            raise RuleViolationError(
                "the Independent Chair raises concerns with the Chair of the individual's "
                "organisation, so the individual must work for a partner organisation"
            )
        return Route.INDEPENDENT_CHAIR
    if subject_office in (Office.CHIEF_EXECUTIVE, Office.ACCOUNTABLE_OFFICER):
        return Route.ABOUT_LEADER
    if not subject_kind.is_partner or not raiser_kind.is_partner:
        raise RuleViolationError(
            "concerns go between the Partnership's organisations; both you and the person "
            "concerned must work for one of them"
        )
    if subject_org == raiser_org:
        raise RuleViolationError(
            f"the person concerned works in your own organisation ({raiser_org}); the escalation "
            "route is for concerns about someone in another organisation, so use "
            f"{raiser_org}'s own processes (a concern about "
            f"{post_phrase(Office.CHIEF_EXECUTIVE, raiser_org)} goes to their Chair)"
        )
    return Route.CROSS_ORGANISATION
