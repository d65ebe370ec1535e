"""JSON and form shapes for organisations and people."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.values import Office, OrganisationKind
from web.schemas.governance_fields import occurred_on


class RegisterOrganisationRequestSchema(Schema):
    """Register an organisation."""

    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$"))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in OrganisationKind]))
    occurred_on = fields.Date(load_default=None)


class OfficeHolderSchema(Schema):
    """An office and who holds it."""

    office = fields.String(required=True)
    person_id = fields.String(required=True)
    since = fields.String(required=True)
    name = fields.String(allow_none=True)
    title = fields.String(allow_none=True)


class OrganisationSchema(Schema):
    """An organisation in the directory."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    registered_on = fields.String(required=True)
    people = fields.Integer()
    offices = fields.List(fields.Nested(OfficeHolderSchema))


class AddPersonRequestSchema(Schema):
    """Record a person joining an organisation."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    organisation = fields.String(required=True, validate=validate.Length(2, 16))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    senior_leader = fields.Boolean(load_default=False)
    clinical = fields.Boolean(load_default=False)
    occurred_on = fields.Date(load_default=None)


# Offices an organisation appoints to; Programme Board members are appointed on the Board itself.
APPOINTED_OFFICES = [o.value for o in Office if o is not Office.PROGRAMME_BOARD_MEMBER]


class AppointRequestSchema(Schema):
    """Record a person taking up an office."""

    office = fields.String(required=True, validate=validate.OneOf(APPOINTED_OFFICES))
    person_id = fields.UUID(required=True)
    occurred_on = fields.Date(load_default=None)


class PersonSchema(Schema):
    """A person in the directory."""

    id = fields.String(required=True)
    organisation = fields.String(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    senior_leader = fields.Boolean(required=True)
    clinical = fields.Boolean(required=True)
    joined_on = fields.String(required=True)
    left_on = fields.String(allow_none=True)


class PeopleQueryArgsSchema(Schema):
    """Filters and paging for the people list."""

    organisation = fields.String(validate=validate.Length(2, 16))
    senior_only = fields.Boolean(load_default=False)
    include_left = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class PeoplePageSchema(Schema):
    """A page of people."""

    items = fields.List(fields.Nested(PersonSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class CreatedSchema(Schema):
    """The id of something just recorded, and the log position of the write."""

    id = fields.String(required=True)
    position = fields.Integer(required=True)


class CorrectPersonRequestSchema(Schema):
    """Put right a person's wrongly recorded details (all four are given: the record as it should be)."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    senior_leader = fields.Boolean(load_default=False)
    clinical = fields.Boolean(load_default=False)
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = occurred_on()


class CorrectLeavingRequestSchema(Schema):
    """Put right a leaving recorded by mistake."""

    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = occurred_on()


class CorrectOrganisationRequestSchema(Schema):
    """Put right an organisation's wrongly recorded name or kind (a real change of name is a renaming)."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in OrganisationKind]))
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = occurred_on()


class CorrectAppointmentRequestSchema(Schema):
    """Put right an appointment recorded by mistake: the office is as it was before."""

    office = fields.String(required=True, validate=validate.OneOf([o.value for o in Office]))
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = occurred_on()


class CorrectionSchema(Schema):
    """A correction of the directory's records: what was corrected, and why."""

    what = fields.String(required=True, metadata={"description": "details, leaving, registration, appointment or vacancy"})
    person_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": "the person's name now, if a person"})
    corrects = fields.Integer(required=True, metadata={"description": "version of the event corrected"})
    corrected = fields.String(required=True, metadata={"description": "the fields or office corrected"})
    reason = fields.String(required=True)
    occurred_on = fields.String(required=True)
    corrects_occurred_on = fields.String(required=True)
    actor_id = fields.String(required=True)


class CorrectPersonFormSchema(CorrectPersonRequestSchema):
    """The organisation page's form to correct one of its people's details."""

    person_id = fields.UUID(required=True)


class CorrectLeavingFormSchema(CorrectLeavingRequestSchema):
    """The organisation page's form to correct a leaving recorded by mistake."""

    person_id = fields.UUID(required=True)
