"""The digest card: a section per list, a button per referral that sends "show <id>", caps."""

from __future__ import annotations

from datetime import date

from bot.cards.digest import MAX_LINES, DigestLine, DigestSection, render_digest_card
from tests.cards import samples
from tests.support.cards import actions, assert_inert, assert_valid_card, visible_text

DAY = date(2026, 12, 7)


def _lines(count: int, note: str) -> tuple[DigestLine, ...]:
    return tuple(DigestLine(r, note) for r in samples.seed_referrals()[:count])


def test_each_line_is_a_button_that_shows_the_referral() -> None:
    contoso = samples.seed_referral("123")
    card = render_digest_card(
        [
            DigestSection(
                "Open deals past their close date",
                (DigestLine(contoso, "was to close Mon 30 Nov 2026"),),
            )
        ],
        day=DAY,
    )
    assert_valid_card(card)
    (button,) = actions(card)
    assert button["type"] == "Action.Submit"
    assert button["data"] == {"msteams": {"type": "imBack", "value": "show 123"}}
    assert button["title"] == (
        "Contoso Azure migration — Contoso Ltd · was to close Mon 30 Nov 2026"
    )
    text = visible_text(card)
    assert "Your referral digest for Mon 7 Dec 2026" in text
    assert "Open deals past their close date (1)" in text


def test_sections_keep_their_order_and_empty_ones_are_left_out() -> None:
    card = render_digest_card(
        [
            DigestSection("Leads about to expire", _lines(1, "expires tomorrow")),
            DigestSection("Open deals past their close date", ()),
            DigestSection("Open deals without a value or close date", _lines(2, "no deal value")),
        ],
        day=DAY,
    )
    text = visible_text(card)
    assert "Leads about to expire (1)" in text
    assert "Open deals without a value or close date (2)" in text
    assert "past their close date" not in text
    assert text.index("Leads about") < text.index("without a value")
    assert len(actions(card)) == 3


def test_a_long_section_is_cut_and_says_how_to_see_the_rest() -> None:
    many = _lines(MAX_LINES + 4, "no close date")
    assert len(many) == MAX_LINES + 4
    card = render_digest_card(
        [DigestSection("Open deals past their close date", many, hint="overdue deals")], day=DAY
    )
    assert_valid_card(card)
    assert len(actions(card)) == MAX_LINES
    assert f"{len(many)})" in visible_text(card)
    assert '4 more not shown. Say "overdue deals" to see them all.' in visible_text(card)


def test_names_from_partner_center_stay_inert_in_buttons_and_text() -> None:
    referral = samples.seed_referral("123")
    hostile = type(referral).from_document(
        {**referral.to_document(), "name": "[Refund](https://e.vil) <at>Megan</at> {{DATE(1)}}"}
    )
    card = render_digest_card(
        [DigestSection("Leads about to expire", (DigestLine(hostile, "expires today at 17:00"),))],
        day=DAY,
    )
    assert_valid_card(card)
    assert_inert(card)
    (button,) = actions(card)
    assert "https://" not in button["title"]
    assert "<at>" not in button["title"]
    assert button["data"]["msteams"]["value"] == "show 123"
