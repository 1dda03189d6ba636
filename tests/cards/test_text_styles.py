"""The three renderings of `bot.cards.text` share one memoised core: keep them apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.cards.text import inert, inert_message, plain, shorten

HOSTILE = "see [x](https://evil.example) at www.evil.example or a@b.example"


def test_one_text_in_three_styles_gives_three_renderings() -> None:
    """A cache keyed without the style would hand one place another's escaping."""
    rendered = {inert(HOSTILE, limit=500), plain(HOSTILE, limit=500)}
    rendered.add(inert_message(HOSTILE, limit=500))
    assert len(rendered) == 3
    assert (
        plain(HOSTILE, limit=500)
        == "see [x](https: //evil.example) at www.evil.example or a@b.example"
    )


@pytest.mark.parametrize(
    "render",
    [
        lambda text: shorten(text, limit=300),
        lambda text: (plain(text, limit=300), False),
        lambda text: (inert_message(text, limit=300), False),
        lambda text: shorten(text, limit=300, multiline=True),
    ],
)
def test_text_past_the_memo_size_renders_as_a_memoised_one(
    render: Callable[[str], tuple[str, bool]],
) -> None:
    """Trailing spaces are cleaned away, so both texts must render the same, memoised or not."""
    short = (HOSTILE + " ") * 7  # under 512 characters: memoised
    long = short + " " * 200  # over 512: rendered afresh
    assert len(short) <= 512 < len(long)
    assert render(long) == render(short)
