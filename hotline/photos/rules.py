"""Pure checks on an uploaded photo: size, format, dimensions, how many."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # a phone's full-resolution JPEG is 2-6 MB
MAX_PIXELS = 50_000_000  # refuse decompression bombs long before memory runs out
MAX_PER_KIND = 6
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


class PhotoRejected(ValueError):
    """The upload is not a photo we keep; the message says why, naming the file."""


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed every check."""

    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def check(name: str, data: bytes) -> CheckedPhoto:
    """Accept a JPEG, PNG or WebP image that decodes, within the size limits."""
    if not data:
        raise PhotoRejected(f"{name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise PhotoRejected(f"{name}: {len(data)} bytes, more than {MAX_BYTES // 1048576} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format or "", image.size
                if width * height > MAX_PIXELS:
                    raise PhotoRejected(f"{name}: {width}×{height} pixels is too large")
                image.verify()
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(f"{name}: the image is too large to open") from None
    except UnidentifiedImageError:
        raise PhotoRejected(f"{name}: not a JPEG, PNG or WebP image") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoRejected(f"{name}: the image is damaged ({error})") from None
    if fmt not in FORMATS:
        raise PhotoRejected(
            f"{name}: {fmt or 'this format'} is not accepted; use JPEG, PNG or WebP"
        )
    content_type, extension = FORMATS[fmt]
    return CheckedPhoto(data, content_type, extension, width, height)


def check_count(kind: str, count: int) -> None:
    """At most MAX_PER_KIND photos of each kind at once."""
    if count > MAX_PER_KIND:
        raise PhotoRejected(f"at most {MAX_PER_KIND} {kind} photos at a time ({count} given)")
