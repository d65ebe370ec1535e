"""Business failures, each with a message a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the Partnership's governance."""


class NotAllowedError(DomainError):
    """The actor's role may not take this action."""


class NotFoundError(DomainError):
    """The thing asked for does not exist."""


class RuleViolationError(DomainError):
    """The command conflicts with the current state."""


class ValidationError(DomainError):
    """The command's input is not acceptable."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
