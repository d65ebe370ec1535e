"""docs/security.md carries the permission matrix as it stands; every view declares who may replay it."""

from __future__ import annotations

from pathlib import Path

from domain.permissions import PERMISSIONS, VIEW_PERMISSIONS
from projections import ALL_VIEWS
from web.security_docs import END, START, render_matrix

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
REGENERATE = (
    "docs/security.md's permission matrix is stale: regenerate it with web.security_docs.update_security_doc "
    "(the command is in the doc, above the matrix)"
)


def bare_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    from web import create_app

    return create_app({"TESTING": True, "PVB_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}",
                       "PVB_SECRET_KEY": "test-key", "PVB_LOG_FORMAT": "text"})


def test_the_security_doc_holds_the_current_permission_matrix_and_routes(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    generated = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert generated == render_matrix(bare_app(tmp_path)).strip(), REGENERATE
    for name in PERMISSIONS:
        assert f"| `{name}` |" in generated


def test_every_view_declares_the_permission_needed_to_replay_it():
    names = {view.name for view in ALL_VIEWS} - {"replay_checkpoints"}
    assert names - set(VIEW_PERMISSIONS) == set(), "add the view to VIEW_PERMISSIONS in domain/permissions.py"
    assert set(VIEW_PERMISSIONS.values()) <= set(PERMISSIONS)
