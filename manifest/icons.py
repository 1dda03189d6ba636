"""The app icons, drawn from one glyph: `python -m manifest.icons` rewrites the committed PNGs.

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on transparent.
The glyph (a ring with an arrow pointing up and out: "pass it on") is sampled at pixel
centres with hard edges, so the outline has only fully white or fully transparent pixels.
"""

from __future__ import annotations

import math
from pathlib import Path

from manifest.png import RGBA, encode_rgba

HERE = Path(__file__).resolve().parent
ACCENT_COLOR = "#0F6CBD"
COLOR_SIZE = 192
OUTLINE_SIZE = 32
WHITE: RGBA = (255, 255, 255, 255)
TRANSPARENT: RGBA = (0, 0, 0, 0)
_Point = tuple[float, float]
# Arrow strokes in unit coordinates (0..1, y down): a shaft and the two sides of its head.
_STROKES: tuple[tuple[_Point, _Point], ...] = (
    ((0.34, 0.66), (0.64, 0.36)),
    ((0.64, 0.36), (0.42, 0.36)),
    ((0.64, 0.36), (0.64, 0.58)),
)
_STROKE_HALF_WIDTH = 0.055
_RING_INNER, _RING_OUTER = 0.37, 0.47


def _segment_distance(point: _Point, start: _Point, end: _Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    along = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + along * dx), py - (ay + along * dy))


def glyph_covers(x: float, y: float) -> bool:
    """Is the unit-square point (x, y) part of the white glyph?"""
    if _RING_INNER <= math.hypot(x - 0.5, y - 0.5) <= _RING_OUTER:
        return True
    return any(_segment_distance((x, y), a, b) <= _STROKE_HALF_WIDTH for a, b in _STROKES)


def _hex_rgba(color: str) -> RGBA:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), 255)


def _render(size: int, background: RGBA) -> bytes:
    rows = [
        [
            WHITE if glyph_covers((column + 0.5) / size, (row + 0.5) / size) else background
            for column in range(size)
        ]
        for row in range(size)
    ]
    return encode_rgba(rows)


def color_icon() -> bytes:
    """192×192, opaque accent-colour background, white glyph."""
    return _render(COLOR_SIZE, _hex_rgba(ACCENT_COLOR))


def outline_icon() -> bytes:
    """32×32, transparent background, white glyph."""
    return _render(OUTLINE_SIZE, TRANSPARENT)


def write_icons(folder: Path = HERE) -> None:
    (folder / "color.png").write_bytes(color_icon())
    (folder / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    write_icons()
