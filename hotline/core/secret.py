"""The key that signs console cookies: from settings, or created once in the data directory."""

from __future__ import annotations

import os
import secrets

from hotline.core.settings import Settings


def signing_key(settings: Settings) -> str:
    """HOTLINE_SECRET_KEY, or a random key kept in DATA_DIR/secret_key (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
