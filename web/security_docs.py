"""Render the permission matrix and the route table into docs/security.md."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from domain.permissions import PERMISSIONS
from domain.values import Role
from web.security import route_permission

START, END = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"
ROLE_LABELS = {
    Role.GOVERNANCE_LEAD: "GL", Role.INDEPENDENT_CHAIR: "IC", Role.ACCOUNTABLE_OFFICER: "AO",
    Role.CHAIR: "Ch", Role.CHIEF_EXECUTIVE: "CE", Role.BOARD_MEMBER: "BM", Role.STAFF: "St",
    Role.REGULATOR: "Rg", Role.HWB: "HWB", Role.INVESTIGATOR: "Inv", Role.ADMIN: "Adm",
}


def render_matrix(app: Flask) -> str:
    """The matrix of roles by permission, and every route with the permission it declares."""
    roles = list(Role)
    lines = [
        "Roles: " + ", ".join(f"{ROLE_LABELS[r]} = {r.value}" for r in roles) + ".",
        "",
        "| permission | allows | " + " | ".join(ROLE_LABELS[r] for r in roles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for name, (what, granted) in PERMISSIONS.items():
        if name == "public":
            marks = ["all" for _ in roles]
        else:
            marks = ["yes" if r in granted else "" for r in roles]
        lines.append(f"| `{name}` | {what} | " + " | ".join(marks) + " |")
    lines += ["", "| route | methods | permission |", "| --- | --- | --- |"]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        methods = ", ".join(sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS")))
        lines.append(f"| `{rule.rule}` | {methods} | `{route_permission(app, rule.endpoint)}` |")
    return "\n".join(lines)


def update_security_doc(app: Flask, path: Path) -> bool:
    """Rewrite the generated part of docs/security.md; True if it changed."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{render_matrix(app)}\n{END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
