"""Hostile images made by hand, cheaply: a huge single-colour PNG is written row by row through
zlib, so a 13,000 × 13,000 picture costs a few seconds of compression and no pixel buffer."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png_bytes(width: int = 13_000, height: int = 13_000, *, rgb: bool = True, level: int = 9) -> bytes:
    """A single-colour PNG of width × height (RGB: ~0.5 MB at 13,000², grey: a third)."""
    channels = 3 if rgb else 1
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if rgb else 0, 0, 0, 0)
    row = b"\x00" + bytes([200, 60, 60] if rgb else [128]) * width
    compressor = zlib.compressobj(level)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    assert len(row) == 1 + width * channels
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")]
    )


def upload_of(data: bytes, name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def animated(format_: str, frames: int = 3, size=(64, 48)) -> bytes:
    """An animated PNG (APNG) or WebP of `frames` frames."""
    images = [Image.new("RGB", size, (40 * i, 80, 120)) for i in range(frames)]
    buffer = BytesIO()
    images[0].save(buffer, format_, save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()
