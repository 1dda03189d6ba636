"""`inert_message`: others' words in a markdown message show literally and are never live."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cards.text import ELLIPSIS, inert_message, json_size
from tests.support.hostile_text import HOSTILE_PIECES, hostile_text
from tests.support.teams_markdown import live_markup, shown_text

# Printable text of one line (control and bidi characters are removed, tested with the cards).
_VISIBLE = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028"),
    max_size=80,
)


@pytest.mark.slow  # Hypothesis, 300 examples (about 0.6 s)
@settings(max_examples=300, deadline=None)
@given(hostile_text())
def test_hostile_text_renders_no_link_image_or_html(text: str) -> None:
    assert live_markup(inert_message(text, limit=2_000)) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), _VISIBLE), max_size=6).map(" ".join))
def test_the_reader_sees_exactly_what_was_written(text: str) -> None:
    """Escaping loses nothing: the rendering shows the text, angle brackets as ‹ › and `{{` as
    `{ {` (shared with the cards, where `{{` starts a template function)."""
    text = text.replace("\n", " ")
    expected = " ".join(text.split()).replace("<", "‹").replace(">", "›")
    expected = re.sub(r"([{}])(?=[{}])", r"\1 ", expected)
    expected = "".join(char for char in expected if unicodedata.category(char) != "Cf")

    assert shown_text(inert_message(text, limit=100_000)) == expected


def test_examples_from_the_issue_stay_literal() -> None:
    for text in (
        "[Reset your Partner Center password](https://evil.example/reset)",
        "&#91;Open&#93;&#40;https&#58;//evil.example&#41;",
        "［Approve］（ｈｔｔｐｓ：／／evil.example）",
        "see evil.com, //evil.com/x or phish@evil.com",
    ):
        escaped = inert_message(text, limit=2_000)
        assert live_markup(text) or text.startswith(("&", "［"))  # the raw text is live (or not)
        assert live_markup(escaped) == []
        assert shown_text(escaped) == text
        assert "\u2060" in escaped  # the joiners that stop auto-links after rendering


def test_long_text_is_cut_to_the_limit_with_an_ellipsis() -> None:
    escaped = inert_message("[x](https://evil.com) " * 500, limit=300)

    assert json_size(escaped) - 2 <= 300
    assert escaped.endswith(ELLIPSIS)
    assert live_markup(escaped) == []
