"""The recording store: the local default and an S3-compatible bucket on a real server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hotline.calls.s3_store import S3Store
from hotline.calls.store import LocalStore, StoreError, make_store, object_key, parse_bucket
from hotline.core.settings import Settings
from tests.conftest import FIXTURES, free_port
from tests.object_store import KEY_ID, SECRET, Bucket

AUDIO = FIXTURES / "ko_water.wav"
DIGEST = hashlib.sha256(AUDIO.read_bytes()).hexdigest()


def store_for(bucket: Bucket, tmp_path: Path, prefix: str = "hotline") -> S3Store:
    store = make_store(Settings(data_dir=tmp_path, **bucket.settings(prefix)))
    assert isinstance(store, S3Store)
    return store


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("s3://calls", ("calls", "")),
        ("s3://calls/", ("calls", "")),
        ("s3://calls/beijing/12345/", ("calls", "beijing/12345/")),
    ],
)
def test_bucket_addresses(value: str, parsed: tuple[str, str]) -> None:
    assert parse_bucket(value) == parsed


@pytest.mark.parametrize("value", ["s3:/calls", "https://calls/x", "s3://", "/srv/recordings"])
def test_a_store_setting_that_is_not_local_or_s3_is_refused(value: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="HOTLINE_RECORDING_STORE"):
        Settings(data_dir=tmp_path, recording_store=value)


def test_the_default_store_is_this_hosts_folder(tmp_path: Path) -> None:
    store = make_store(Settings(data_dir=tmp_path))
    assert isinstance(store, LocalStore) and not store.shared
    assert store.put("CA1/RE1.wav", AUDIO, content_type="audio/wav", sha256=DIGEST) is None


def test_put_get_and_delete_round_trip_with_the_digest_on_the_object(
    bucket: Bucket, tmp_path: Path
) -> None:
    store = store_for(bucket, tmp_path)
    address = store.put(
        object_key("CA1", Path("/x/RE1.wav")), AUDIO, content_type="audio/wav", sha256=DIGEST
    )
    assert address == f"s3://{bucket.name}/hotline/CA1/RE1.wav"
    assert bucket.keys() == ["hotline/CA1/RE1.wav"]
    head = bucket.client.head_object(Bucket=bucket.name, Key="hotline/CA1/RE1.wav")
    assert head["Metadata"] == {"sha256": DIGEST} and head["ContentType"] == "audio/wav"

    copy = tmp_path / "elsewhere" / "RE1.wav"
    assert store.get(address, copy) is True
    assert copy.read_bytes() == AUDIO.read_bytes()
    assert [p.name for p in copy.parent.iterdir()] == ["RE1.wav"]  # no partial left behind

    store.delete(address)
    store.delete(address)  # already gone: still fine
    assert bucket.keys() == []
    assert store.get(address, tmp_path / "again.wav") is False
    assert not (tmp_path / "again.wav").exists()


def test_an_address_keeps_working_after_the_prefix_setting_changes(
    bucket: Bucket, tmp_path: Path
) -> None:
    address = store_for(bucket, tmp_path, "old").put(
        "CA1/RE1.wav", AUDIO, content_type="audio/wav", sha256=DIGEST
    )
    assert address is not None
    assert store_for(bucket, tmp_path, "new").get(address, tmp_path / "RE1.wav") is True


def test_an_unreachable_store_raises_store_error(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        recording_store="s3://calls/hotline",
        s3_endpoint_url=f"http://127.0.0.1:{free_port()}",
        s3_access_key_id=KEY_ID,
        s3_secret_access_key=SECRET,
        s3_addressing_style="path",
    )
    store = make_store(settings)
    with pytest.raises(StoreError, match="could not store"):
        store.put("CA1/RE1.wav", AUDIO, content_type="audio/wav", sha256=DIGEST)
    with pytest.raises(StoreError, match="could not read"):
        store.get("s3://calls/hotline/CA1/RE1.wav", tmp_path / "RE1.wav")
    assert not any(tmp_path.glob("RE1.wav*"))


def test_a_missing_bucket_is_refused_clearly(bucket: Bucket, tmp_path: Path) -> None:
    fields = bucket.settings() | {"recording_store": "s3://no-such-bucket/x"}
    store = make_store(Settings(data_dir=tmp_path, **fields))
    with pytest.raises(StoreError, match="no-such-bucket"):
        store.put("CA1/RE1.wav", AUDIO, content_type="audio/wav", sha256=DIGEST)
