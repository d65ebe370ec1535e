"""JSON and form shapes for the Board's reports and the "what is due" calendar."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.schemas.governance_fields import PERIOD_HALF, day, occurred_on, text


class DraftSixMonthlyReportRequestSchema(Schema):
    """Draft the six-monthly report for a half-year (e.g. 2026-27-H1) from the ledger."""

    period = fields.String(required=True, validate=validate.Regexp(PERIOD_HALF))
    occurred_on = occurred_on()


class EditSixMonthlyNarrativeRequestSchema(Schema):
    """The Independent Chair's narrative: assessment, actions taken and proposed."""

    narrative = text(20_000)
    occurred_on = occurred_on()


class RedraftSixMonthlyReportRequestSchema(Schema):
    """Draw the figures of the latest edition again from the ledger as it now stands."""

    occurred_on = occurred_on()


class PublishSixMonthlyReportRequestSchema(Schema):
    """Publish the latest edition, freezing its content, with the summary for the public site."""

    public_summary = text(2_000)
    drawn_at = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0), metadata={
        "description": "the log position of the figures you checked; publishing is refused if they were redrawn since"})
    occurred_on = occurred_on()


class DraftCorrectedEditionRequestSchema(Schema):
    """Draft an edition to supersede the published one, saying why the correction is needed."""

    reason = text(2_000)
    occurred_on = occurred_on()


class CorrectedEditionSchema(Schema):
    """The corrected edition drafted."""

    id = fields.String(required=True)
    position = fields.Integer(required=True)
    edition = fields.Integer(required=True)


class SixMonthlyReportSummarySchema(Schema):
    """A report in the list."""

    kind = fields.String(required=True)
    period = fields.String(required=True)
    period_start = fields.String(required=True)
    period_end = fields.String(required=True)
    status = fields.String(required=True)
    drafted_on = fields.String(required=True)
    redrafts = fields.Integer(required=True)
    narrative_edits = fields.Integer(required=True)
    published_on = fields.String(allow_none=True)
    published_by = fields.String(allow_none=True)
    content_hash = fields.String(allow_none=True)
    edition = fields.Integer(required=True)
    drawn_at = fields.Integer(required=True, metadata={"description": "the log position the figures were drawn at"})
    supersedes = fields.Integer(allow_none=True, metadata={"description": "the edition this one corrects"})
    reason = fields.String(required=True, metadata={"description": "why this edition corrects the one it supersedes"})
    superseded_by = fields.Integer(allow_none=True)
    superseded_on = fields.String(allow_none=True)


class ReportCheckpointSchema(Schema):
    """The signed checkpoint of the sealed log a report was drawn from (check it with /ledger/public-key)."""

    origin = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "how many events of the log it covers"})
    root_hash = fields.String(required=True, metadata={"description": "RFC 9162 Merkle root, hex"})
    time = fields.String(required=True)
    key_id = fields.String(required=True)
    signature = fields.String(required=True, metadata={"description": "Ed25519 over body, base64"})
    body = fields.String(required=True, metadata={"description": "the exact signed text"})


class SixMonthlyReportSchema(Schema):
    """A report: as drafted, or as published (frozen content and its SHA-256)."""

    kind = fields.String(required=True)
    period = fields.String(required=True)
    edition = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "draft, published or superseded"})
    figures = fields.Dict(keys=fields.String(), required=True)
    narrative = fields.String(required=True)
    supersedes = fields.Integer(allow_none=True)
    reason = fields.String(required=True)
    superseded_by = fields.Integer(allow_none=True)
    published_on = fields.Date(allow_none=True)
    content = fields.Dict(keys=fields.String(), allow_none=True)
    content_hash = fields.String(allow_none=True)
    checkpoint = fields.Nested(ReportCheckpointSchema, allow_none=True, metadata={
        "description": "the checkpoint current when the figures were drawn; frozen in the content once published"})


class ReportPublishedSchema(Schema):
    """The hash of what was published."""

    id = fields.String(required=True)
    position = fields.Integer(required=True)
    content_hash = fields.String(required=True)


class QuarterlyReportSchema(Schema):
    """The quarterly progress report's figures for a quarter, drawn from the log now."""

    quarter = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "the drawn report: period, as_of, position, bank_holidays, escalation_target_days, sections"})
    checkpoint = fields.Nested(ReportCheckpointSchema, allow_none=True, metadata={
        "description": "the checkpoint current as the figures were drawn (null if the log cannot be sealed here)"})


class DueQueryArgsSchema(Schema):
    """The day to judge what is due and overdue (defaults to today)."""

    today = day()
    status = fields.String(validate=validate.OneOf(["overdue", "due", "done"]))


class DueItemSchema(Schema):
    """A duty of the paper's calendar."""

    kind = fields.String(required=True)
    title = fields.String(required=True)
    period = fields.String(required=True)
    period_label = fields.String(required=True)
    due_on = fields.String(required=True)
    status = fields.String(required=True)
    responsible = fields.String(required=True)
    done_on = fields.String(allow_none=True)
    detail = fields.String(required=True)
    subject = fields.String(allow_none=True, metadata={
        "description": "what the duty is about: a quarter or half-year key, a survey code or an organisation code"})
    href = fields.String(required=True, metadata={"description": "the page where the duty is done"})


class DueSchema(Schema):
    """What is due, done and overdue, as of a day."""

    today = day(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    items = fields.List(fields.Nested(DueItemSchema), required=True)
