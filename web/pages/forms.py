"""Helpers for HTML forms: load them through marshmallow and show errors beside fields."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from domain.errors import DomainError


def load_form(schema: Schema) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Validate the posted form; return (data, {}) or (None, errors by field)."""
    raw = {key: value for key, value in request.form.items() if key != "csrf_token"}
    raw = {key: value for key, value in raw.items() if value != ""}
    for key in request.form:
        values = request.form.getlist(key)
        if len(values) > 1:
            raw[key] = values
    try:
        return schema.load(raw, unknown="exclude"), {}
    except SchemaError as e:
        return None, {k: v if isinstance(v, list) else [str(v)] for k, v in e.messages_dict.items()}


def domain_errors(error: DomainError) -> dict[str, list[str]]:
    """A business failure as form errors, under its field or the form as a whole."""
    return {getattr(error, "field", None) or "_form": [str(error)]}
