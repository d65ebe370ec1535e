"""The permission matrix: which roles may take which action or see which view.

This is the one place access is decided; web routes, API operations and application
commands all name a permission from here, and docs/security.md is rendered from it.
"""

from __future__ import annotations

from domain.errors import NotAllowedError
from domain.values import Actor, Role

R = Role
EVERYONE = frozenset(Role)
GOVERNANCE = frozenset({R.GOVERNANCE_LEAD, R.ADMIN})

PERMISSIONS: dict[str, tuple[str, frozenset[Role]]] = {
    # name: (what it allows, roles)
    "public": ("pages anyone may see, signed in or not", frozenset()),
    "signed_in": ("pages every signed-in user may see", EVERYONE),
    "framework.read": ("read the framework catalogue and its versions", EVERYONE),
    "framework.amend": ("record an amendment agreed by the Programme Board", GOVERNANCE),
    "directory.read": ("read organisations and people by role", EVERYONE),
    "directory.manage": (
        "register organisations, record joiners, leavers and appointments",
        GOVERNANCE,
    ),
    "people.erase": (
        "erase a person's personal data by destroying their key",
        frozenset({R.ADMIN}),
    ),
    "users.manage": ("add users, change their roles, disable them", frozenset({R.ADMIN})),
    "tokens.own": ("create and revoke one's own API tokens", EVERYONE),
    "projections.read": ("see projection positions and lag", GOVERNANCE | {R.INVESTIGATOR}),
    "projections.manage": ("rebuild projections", frozenset({R.ADMIN})),
}


def roles_for(permission: str) -> frozenset[Role]:
    """The roles granted a permission; KeyError names an undeclared one."""
    try:
        return PERMISSIONS[permission][1]
    except KeyError:
        raise KeyError(f"permission {permission!r} is not declared in the matrix") from None


def is_allowed(role: Role, permission: str) -> bool:
    """True if the role holds the permission ('public' is open to all)."""
    return permission == "public" or role in roles_for(permission)


def authorise(actor: Actor, permission: str) -> None:
    """Raise NotAllowedError unless the actor's role holds the permission."""
    if not is_allowed(actor.role, permission):
        what = PERMISSIONS[permission][0]
        raise NotAllowedError(f"a user acting as {actor.role.value} may not {what}")
