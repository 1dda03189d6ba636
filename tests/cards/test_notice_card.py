from __future__ import annotations

import pytest

from bot.cards.notice import NoticeStyle, render_notice_card
from tests.support.cards import assert_inert, assert_valid_card


@pytest.mark.parametrize("style", ["default", "good", "warning", "attention"])
def test_notice_has_title_text_and_style(style: NoticeStyle) -> None:
    card = render_notice_card("Cancelled", "Nothing was changed.", style=style)
    assert_valid_card(card)
    box = card["body"][0]
    assert [item["text"] for item in box["items"]] == ["Cancelled", "Nothing was changed."]
    assert box.get("style", "default") == style
    assert "actions" not in card


def test_notice_quoting_a_hostile_name_stays_inert() -> None:
    card = render_notice_card(
        "Only [Bob](https://evil.example) <at>Bob</at> can confirm this",
        "Ask \u202eBob\u202c to confirm, or make your own change.",
        style="warning",
    )
    assert_valid_card(card)
    assert_inert(card)
