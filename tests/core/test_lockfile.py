"""requirements.lock is the install: it must cover pyproject.toml and be what is installed.

A dependency added to pyproject.toml without `make lock` would install on a developer's
machine (pip picks it up from the editable project) yet be missing from a fresh clone's
`make install`, which takes only the lock: these tests make that drift fail loudly.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def parse_lock(text: str) -> dict[str, tuple[Version, int]]:
    """Locked packages: canonical name → (pinned version, number of hashes)."""
    pins: dict[str, tuple[Version, int]] = {}
    name = None
    for line in text.splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (Version(match[2]), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
        elif not line.startswith(" "):
            name = None
    return pins


def project_requirements(pyproject: str) -> list[Requirement]:
    """The runtime dependencies and the `test` extra, as `make install` installs them."""
    project = tomllib.loads(pyproject)["project"]
    names = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(name) for name in names]


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(
        requirement.marker.evaluate({**default_environment(), "extra": extra})
        for extra in extras | {""}
    )


def lock_problems(requirements: list[Requirement], pins: dict[str, tuple[Version, int]]):
    """What is wrong with the lock for these requirements, following installed metadata.

    Each requirement must be pinned with hashes to a version it accepts; then so must each
    dependency of the installed distribution (with the extras asked for), down to the leaves.
    """
    problems = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(requirement, frozenset[str]()) for requirement in requirements]
    while todo:
        requirement, parent_extras = todo.pop()
        name = canonicalize_name(requirement.name)
        if not _applies(requirement, set(parent_extras)):
            continue
        if name not in pins:
            problems.append(f"{requirement} is not in requirements.lock (run `make lock`)")
            continue
        version, hashes = pins[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{name}=={version} in the lock does not satisfy {requirement}")
        if hashes == 0:
            problems.append(f"{name} is pinned without a hash")
        extras = frozenset(canonicalize_name(extra) for extra in requirement.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{name} is locked but not installed (run `make install`)")
            continue
        todo.extend((Requirement(dependency), extras) for dependency in requires)
    return problems


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes():
    requirements = project_requirements((ROOT / "pyproject.toml").read_text())
    pins = parse_lock((ROOT / "requirements.lock").read_text())

    assert lock_problems(requirements, pins) == []
    assert all(hashes > 0 for _, hashes in pins.values())


def test_a_dependency_added_without_relocking_is_caught():
    pyproject = (ROOT / "pyproject.toml").read_text()
    pyproject = pyproject.replace('"segno>=1.6",', '"segno>=1.6", "leftpad-unlocked>=1",', 1)
    pins = parse_lock((ROOT / "requirements.lock").read_text())

    problems = lock_problems(project_requirements(pyproject), pins)

    assert problems == ["leftpad-unlocked>=1 is not in requirements.lock (run `make lock`)"]


def test_a_pin_outside_pyproject_range_is_caught():
    pins = parse_lock((ROOT / "requirements.lock").read_text())
    pins["django"] = (Version("5.1.9"), pins["django"][1])

    problems = lock_problems([Requirement("Django>=5.2,<5.3")], pins)

    assert problems == ["django==5.1.9 in the lock does not satisfy Django<5.3,>=5.2"]


def test_the_running_environment_has_exactly_the_locked_versions():
    pins = parse_lock((ROOT / "requirements.lock").read_text())
    installed = {
        canonicalize_name(dist.metadata["Name"]): Version(dist.version)
        for dist in importlib.metadata.distributions()
    }

    wrong = {
        name: (str(version), str(installed.get(name)))
        for name, (version, _) in pins.items()
        if installed.get(name) != version
    }
    assert wrong == {}, "locked vs installed; run `make install`"


def test_a_changed_lock_reinstalls_from_it_with_hashes(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()

    def dry_run(*args: str) -> str:
        return subprocess.run(
            ["make", "-n", f"VENV={venv}", *args, "install"],
            cwd=ROOT,
            env={**os.environ, "MAKEFLAGS": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert "pip install" not in dry_run()
    commands = dry_run("-W", "requirements.lock")
    assert "pip install --quiet --require-hashes -r requirements.lock" in commands
    assert "pip install --quiet --no-deps -e ." in commands
