"""What counts as a photo we keep: real images within the limits, nothing else."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from hotline.photos.rules import MAX_BYTES, MAX_PER_KIND, PhotoRejected, check, check_count


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")],
)
def test_jpeg_png_and_webp_are_kept_with_their_size(
    fmt: str, content_type: str, extension: str
) -> None:
    photo = check("p", image_bytes(fmt))
    assert (photo.content_type, photo.extension, photo.width, photo.height) == (
        content_type,
        extension,
        64,
        48,
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00 not an image at all", "not a JPEG, PNG or WebP"),
        (image_bytes("GIF"), "GIF is not accepted"),
        (image_bytes("PNG")[:60], "damaged"),
        (b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES), "more than 10 MB"),
    ],
)
def test_anything_else_is_refused_with_the_files_name(data: bytes, problem: str) -> None:
    with pytest.raises(PhotoRejected, match=f"^site.jpg: .*{problem}"):
        check("site.jpg", data)


def test_a_small_file_that_would_decode_to_a_huge_image_is_refused() -> None:
    for side in (7_500, 10_000):  # 56 and 100 megapixels, a few hundred KB as PNG
        bomb = image_bytes("PNG", size=(side, side))
        assert len(bomb) < MAX_BYTES
        with pytest.raises(PhotoRejected, match="too large"):
            check("bomb.png", bomb)


def test_at_most_six_of_each_kind() -> None:
    check_count("before", MAX_PER_KIND)
    with pytest.raises(PhotoRejected, match="at most 6 before photos"):
        check_count("before", MAX_PER_KIND + 1)
