"""Icons: the exact sizes Teams wants, an outline that is only white on transparent."""

from __future__ import annotations

import struct
import zlib

import pytest

from manifest.icons import ACCENT_COLOR, color_icon, outline_icon
from manifest.package import HERE
from manifest.png import encode_rgba
from tests.manifest.png_reader import read_png


def test_the_committed_icons_are_the_generated_ones() -> None:
    assert (HERE / "color.png").read_bytes() == color_icon()
    assert (HERE / "outline.png").read_bytes() == outline_icon()


def test_the_colour_icon_is_192_square_and_opaque() -> None:
    image = read_png((HERE / "color.png").read_bytes())
    assert (image.width, image.height) == (192, 192)
    assert all(pixel[3] == 255 for pixel in image.pixels)
    accent = tuple(int(ACCENT_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    colours = {pixel[:3] for pixel in image.pixels}
    assert colours == {accent, (255, 255, 255)}


def test_the_outline_icon_is_32_square_white_on_transparent() -> None:
    image = read_png((HERE / "outline.png").read_bytes())
    assert (image.width, image.height) == (32, 32)
    assert image.color_type == 6  # RGBA: the transparency is real, not a colour key
    assert set(image.pixels) == {(255, 255, 255, 255), (0, 0, 0, 0)}
    edge = image.pixels[:32] + image.pixels[-32:]
    assert set(edge) == {(0, 0, 0, 0)}  # a transparent margin around the glyph


def test_the_reader_undoes_filters_and_checks_crcs() -> None:
    """The checks above must be able to fail: a corrupt file is refused."""
    good = encode_rgba([[(1, 2, 3, 4), (5, 6, 7, 8)]])
    assert read_png(good).pixels == [(1, 2, 3, 4), (5, 6, 7, 8)]
    corrupt = bytearray(good)
    corrupt[20] ^= 0xFF  # inside IHDR
    with pytest.raises(AssertionError, match="CRC"):
        read_png(bytes(corrupt))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    idat = zlib.compress(raw)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_the_reader_undoes_every_row_filter() -> None:
    """Other encoders (an edited icon) filter rows; the pixel checks must still see pixels."""
    rows = [
        bytes([1, 1, 2, 3, 4, 5, 5, 5, 5]),  # Sub: left + delta
        bytes([2, 1, 1, 1, 1, 0, 0, 0, 0]),  # Up
        bytes([3, 0, 0, 0, 0, 0, 0, 0, 0]),  # Average of left and up
        bytes([4, 0, 0, 0, 0, 1, 1, 1, 1]),  # Paeth
    ]
    image = read_png(_png(2, 4, b"".join(rows)))
    assert image.pixels == [
        (1, 2, 3, 4), (6, 7, 8, 9),
        (2, 3, 4, 5), (6, 7, 8, 9),
        (1, 1, 2, 2), (3, 4, 5, 5),
        (1, 1, 2, 2), (4, 5, 6, 6),
    ]  # fmt: skip


def test_the_writer_refuses_ragged_rows() -> None:
    with pytest.raises(ValueError, match="rectangle"):
        encode_rgba([[(0, 0, 0, 0)], []])
