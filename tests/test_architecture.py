"""The layering holds: domain imports nothing of ours; application never imports web or projections;
projections never import application or web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"domain", "application", "projections", "web"}
FORBIDDEN = {
    "domain": OURS - {"domain"} | {"flask", "marshmallow", "werkzeug", "psycopg", "sqlite3"},
    "application": {"web", "projections", "flask", "marshmallow"},
    "projections": {"application", "web", "flask", "marshmallow"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_the_arrows_allow(layer):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) & FORBIDDEN[layer])
        for path in (ROOT / layer).rglob("*.py")
        if imports_of(path) & FORBIDDEN[layer]
    }
    assert offenders == {}


def test_the_report_figures_use_the_standard_library_only_and_nothing_outside_their_package():
    """domain/figures is copied into export bundles as it is: only the standard library and relative imports."""
    import sys

    offenders = {}
    for path in (ROOT / "domain" / "figures").glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module.split(".")[0]]
            bad = [n for n in names if n not in sys.stdlib_module_names and n != "__future__"]
            if bad:
                offenders[path.name] = bad
    assert offenders == {}
