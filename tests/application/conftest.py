"""Fixtures shared by the application tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def clean_python(tmp_path_factory) -> list[str]:  # type: ignore[no-untyped-def]
    """A fresh virtualenv holding only cryptography (pip's configured index), or else this
    interpreter run with -S and a path holding nothing but cryptography and its C backend."""
    venv = tmp_path_factory.mktemp("clean") / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, timeout=300)
    python = venv / "bin" / "python"
    if made.returncode == 0:
        pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "cryptography"],
                             capture_output=True, timeout=600)
        if pip.returncode == 0:
            return [str(python), "-I"]
    import _cffi_backend
    import cryptography

    only = tmp_path_factory.mktemp("only-cryptography")
    (only / "cryptography").symlink_to(Path(cryptography.__file__).parent)
    backend = Path(_cffi_backend.__file__)
    (only / backend.name).symlink_to(backend)
    return [sys.executable, "-S", "-c",
            f"import sys, runpy; sys.path[1:1] = [{str(only)!r}]; sys.argv = sys.argv[1:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__')"]
