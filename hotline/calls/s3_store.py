"""Recordings in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, OSS, COS, OBS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hotline.calls.store import StoreError, parse_bucket
from hotline.core.settings import ConfigurationError, Settings

MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """One bucket and key prefix; addresses are `s3://bucket/key`."""

    shared = True

    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client

    @classmethod
    def connect(cls, bucket: str, prefix: str, settings: Settings) -> S3Store:
        """A client from the HOTLINE_S3_* settings (unset keys: boto3's usual credential chain)."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ConfigurationError(
                "HOTLINE_RECORDING_STORE=s3://… needs boto3: pip install 'hotline[s3]'"
            ) from None
        config = Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": settings.s3_addressing_style},
        )
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=settings.s3_secret_access_key,
            config=config,
        )
        return cls(bucket, prefix, client)

    def put(self, key: str, path: Path, *, content_type: str, sha256: str) -> str | None:
        """Upload the file; the object carries the audio's sha256 as metadata."""
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        name = f"{self.prefix}{key}"
        extra = {"ContentType": content_type, "Metadata": {"sha256": sha256}}
        try:
            self.client.upload_file(str(path), self.bucket, name, ExtraArgs=extra)
        except (Boto3Error, BotoCoreError, ClientError) as error:
            raise StoreError(f"could not store s3://{self.bucket}/{name}: {error}") from None
        return f"s3://{self.bucket}/{name}"

    def get(self, address: str, destination: Path) -> bool:
        """Download the object; False when the bucket has no such key."""
        from botocore.exceptions import BotoCoreError, ClientError

        bucket, key = _split(address)
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".part")
        try:
            self.client.download_file(bucket, key, str(partial))
        except ClientError as error:
            partial.unlink(missing_ok=True)
            if str(error.response.get("Error", {}).get("Code")) in MISSING:
                return False
            raise StoreError(f"could not read {address}: {error}") from None
        except BotoCoreError as error:
            partial.unlink(missing_ok=True)
            raise StoreError(f"could not read {address}: {error}") from None
        partial.replace(destination)
        return True

    def delete(self, address: str) -> None:
        """Delete the object (S3 answers success for a key that is already gone)."""
        from botocore.exceptions import BotoCoreError, ClientError

        bucket, key = _split(address)
        try:
            self.client.delete_object(Bucket=bucket, Key=key)
        except (BotoCoreError, ClientError) as error:
            raise StoreError(f"could not delete {address}: {error}") from None


def _split(address: str) -> tuple[str, str]:
    bucket, key = parse_bucket(address)
    if not key:
        raise StoreError(f"{address!r} names no object")
    return bucket, key.rstrip("/")
