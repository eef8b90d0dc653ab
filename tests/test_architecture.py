"""Dependencies point one way (architecture.md): the import-linter contracts of pyproject.toml
hold, and they do fail on a wrong-way import or a cycle — run on a copy of the code with one
bad import added, in a fresh interpreter so the copy is what gets analysed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(source: Path, cwd: Path) -> subprocess.CompletedProcess:
    """`lint-imports` (as `make lint` runs it) on the package under `source`."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
            "--no-cache",
            "--no-logo",
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_dependency_contracts_hold():
    result = lint_imports(ROOT / "src", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The Python files of src/ex1000 and pyproject.toml, in a scratch directory."""
    shutil.copytree(
        ROOT / "src" / "ex1000",
        tmp_path / "src" / "ex1000",
        ignore=lambda folder, names: [
            n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(project: Path, module: str, statement: str) -> None:
    path = project / "src" / Path(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "statement", "contract"),
    [
        # The catalogue reaching up for landed prices.
        ("ex1000.catalog.selectors", "from ex1000.quotes import estimator", "Apps depend one way"),
        # Core reaching up for the token model.
        ("ex1000.core.api", "import ex1000.accounts.services", "Apps depend one way"),
        # Privacy importing one of its callers.
        ("ex1000.privacy.services", "import ex1000.accounts.models", "import none of their"),
        # An app importing the demo seeding.
        ("ex1000.orders.services", "import ex1000.demo.apps", "Nothing imports the demo"),
        # Django in the pure pricing engine.
        ("ex1000.pricing.engine", "import django.conf", "pure Python"),
    ],
)
def test_a_wrong_way_import_breaks_a_contract(project_copy, module, statement, contract):
    assert lint_imports(project_copy / "src", project_copy).returncode == 0

    add_import(project_copy, module, statement)
    result = lint_imports(project_copy / "src", project_copy)

    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken), result.stdout


def test_a_cycle_between_two_apps_breaks_a_contract(project_copy):
    # Both directions inside one layer (core and web may import each other): the layers
    # contract allows it, the acyclic contract does not.
    add_import(project_copy, "ex1000.core.money", "import ex1000.web")
    result = lint_imports(project_copy / "src", project_copy)

    assert result.returncode != 0, result.stdout
    assert "No import cycles between apps BROKEN" in result.stdout
