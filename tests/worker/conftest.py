"""Worker fixtures: the simulated carrier's recording server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN


@pytest.fixture
def recordings() -> Iterator[RecordingServer]:
    """Recordings served over loopback with the account's basic auth."""
    server = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    yield server
    server.stop()
