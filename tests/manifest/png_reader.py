"""A small PNG decoder for the icon tests: checks CRCs, undoes all five row filters."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (8-bit, no palette)


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    color_type: int
    bit_depth: int
    pixels: list[tuple[int, ...]]  # row-major, one tuple of samples per pixel


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(SIGNATURE), "not a PNG"
    found, at = [], len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        found.append((kind, body))
        at += 12 + length
    return found


def _paeth(left: int, up: int, corner: int) -> int:
    guess = left + up - corner
    distances = (abs(guess - left), abs(guess - up), abs(guess - corner))
    return (left, up, corner)[distances.index(min(distances))]


def _unfilter(kind: int, line: bytearray, previous: bytes, step: int) -> bytearray:
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        up = previous[i]
        corner = previous[i - step] if i >= step else 0
        add = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
        line[i] = (line[i] + add) & 0xFF
    return line


def read_png(data: bytes) -> Image:
    chunks = _chunks(data)
    assert chunks[0][0] == b"IHDR", "IHDR must come first"
    assert chunks[-1][0] == b"IEND", "IEND must come last"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8, "only 8-bit samples"
    assert color in CHANNELS, "no palette images"
    assert interlace == 0, "no interlacing"
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    step = CHANNELS[color]
    stride = width * step
    assert len(raw) == height * (stride + 1)
    pixels: list[tuple[int, ...]] = []
    previous = bytes(stride)
    for row in range(height):
        start = row * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, step)
        pixels += [tuple(line[i : i + step]) for i in range(0, stride, step)]
        previous = bytes(line)
    return Image(width, height, color, depth, pixels)
