"""The password rule, after the NCSC's guidance: long enough, and not easy to guess.

NCSC, "Password administration for system owners" (2018): no composition rules, a minimum
length, and a deny list of the passwords people use most. ``zxcvbn`` estimates how many guesses
a password would take, with its own lists of common passwords, names and words; a password it
scores below 3 ("safely unguessable: moderate protection from offline slow-hash scenario"), or
that is one of its common passwords, is refused with its reason in words.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from domain.errors import ValidationError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
MIN_SCORE = 3
_SCORED_LENGTH = 100  # zxcvbn's time grows quickly with length; a longer password only gets stronger


def check_password(password: str, username: str, *other_words: str) -> None:
    """Raise ValidationError saying, in words, why the password is refused; return if it is good."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters: a few unrelated words "
            f"make a long password that is easy to remember",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password")
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise ValidationError("password must not contain control characters", field="password")
    words = [w for w in (username, *other_words) if w]
    result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=words)
    common = any(
        m.get("dictionary_name") == "passwords" and len(m.get("token", "")) == len(password)
        for m in result["sequence"]
    )
    if common or result["score"] < MIN_SCORE:
        raise ValidationError(_reason(result, common), field="password")


def _reason(result: dict, common: bool) -> str:
    feedback = result.get("feedback") or {}
    warning = (feedback.get("warning") or "").rstrip(".")
    if common:
        why = "it is one of the passwords people use most, so it is among the first an attacker tries"
    elif warning:
        why = warning[0].lower() + warning[1:]
    else:
        why = "it would be guessed too quickly"
    advice = " ".join(feedback.get("suggestions") or []) or "Add another word or two: uncommon words are better."
    return f"password is too easy to guess: {why}. {advice}"
