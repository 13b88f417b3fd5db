"""Named points where a rehearsal or a test makes this process die or stall, once."""

from __future__ import annotations

import os
import signal
import time

ENV = "HOTLINE_FAILURE_POINT"  # "<point>=kill|stall[:<marker file>]"; unset in production


def reach(point: str) -> None:
    """Die (SIGKILL) or stall here if HOTLINE_FAILURE_POINT names this point.

    With a marker file the failure happens once: the first process to reach the point
    creates the file, later ones carry on.
    """
    spec = os.environ.get(ENV, "")
    name, _, rest = spec.partition("=")
    if not spec or name != point:
        return
    action, _, marker = rest.partition(":")
    if marker:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    if action == "stall":
        while True:
            time.sleep(3600)
    os.kill(os.getpid(), signal.SIGKILL)
