"""A profile photo's dimensions are checked before decoding: a 20 KB PNG of
12000 x 12000 pixels (a decompression bomb) is refused with a clear message."""

import io
import struct
import zlib

from people.models import Profile


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bomb(side: int = 12000) -> io.BytesIO:
    """A valid 1-bit greyscale PNG of ``side`` x ``side`` black pixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    pixels = zlib.compress(row * side, 9)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )
    upload = io.BytesIO(data)
    upload.name = "bomb.png"
    return upload


def test_a_decompression_bomb_photo_is_refused(client, user):
    bomb = png_bomb()
    assert len(bomb.getvalue()) < 100_000
    client.force_login(user)
    response = client.post("/people/me/edit/", {"display_name": "Alice", "photo": bomb})
    assert response.status_code == 422
    assert "too large" in " ".join(response.context["form"].errors["photo"])
    assert not Profile.objects.filter(user=user).exclude(photo="").exists()
