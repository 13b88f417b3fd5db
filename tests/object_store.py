"""A real S3-compatible server for the tests: moto's, on loopback (no MinIO on the registries)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.conftest import free_port

KEY_ID = "hotline-test-key"
SECRET = "hotline-test-secret"


@dataclass(frozen=True)
class Bucket:
    """A fresh bucket on the server and the settings that point the hotline at it."""

    name: str
    endpoint: str
    client: Any

    def settings(self, prefix: str = "hotline") -> dict[str, Any]:
        """Settings fields for HOTLINE_RECORDING_STORE=s3://<bucket>/<prefix>."""
        return {
            "recording_store": f"s3://{self.name}/{prefix}",
            "s3_endpoint_url": self.endpoint,
            "s3_access_key_id": KEY_ID,
            "s3_secret_access_key": SECRET,
            "s3_addressing_style": "path",
        }

    def keys(self) -> list[str]:
        """Every object key in the bucket."""
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a loopback port for the whole run."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> Bucket:
    """An empty bucket of its own for one test."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    name = f"recordings-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=name)
    return Bucket(name, s3_endpoint, client)
