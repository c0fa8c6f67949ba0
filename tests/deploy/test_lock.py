"""The lock files: every dependency in pyproject.toml is pinned, with hashes, at a version it
allows; the runtime lock is the dev lock's runtime part (the same versions)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)(?: ; ([^\\]+?))?\s*\\?$", re.MULTILINE)


def pins(lock: str) -> dict[str, list[str]]:
    """Package name -> the versions pinned for it (several when markers split Pythons)."""
    found: dict[str, list[str]] = {}
    for name, version, _marker in _PIN.findall((ROOT / lock).read_text("utf-8")):
        found.setdefault(canonicalize_name(name), []).append(version)
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in listed]


def test_every_runtime_dependency_is_pinned_at_an_allowed_version() -> None:
    """A dependency added to pyproject.toml without `make lock` fails here, not in production."""
    runtime = pins("requirements.lock")
    for requirement in declared():
        versions = runtime.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements.lock: run `make lock`"
        assert all(requirement.specifier.contains(v) for v in versions), (requirement, versions)


def test_every_dev_dependency_is_pinned_in_the_dev_lock() -> None:
    dev = pins("requirements-dev.lock")
    for requirement in [*declared(), *declared("dev")]:
        versions = dev.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements-dev.lock: run `make lock`"
        assert all(requirement.specifier.contains(v) for v in versions), (requirement, versions)


def test_runtime_and_dev_locks_agree_on_shared_versions() -> None:
    """`make test` after `make run` (or the reverse) never changes a runtime package."""
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_no_dev_tool_is_in_the_runtime_lock() -> None:
    """The image and `make run` install no test or lint tools."""
    runtime = pins("requirements.lock")
    assert not {canonicalize_name(r.name) for r in declared("dev")} & set(runtime)


def test_every_pin_carries_hashes() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text("utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])
        assert all("--hash=sha256:" in block for block in blocks if "==" in block), lock
