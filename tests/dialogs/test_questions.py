"""Issue 16 §1: a question about one referral gets one sentence and the referral card, and
never a confirm card or a pending change (today is Wed 2026-11-25, 10:00 UTC)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.grammar.commands import AskAboutReferral
from tests.dialogs.grammar.support import parse
from tests.dialogs.grammar.test_parse_questions import PHRASINGS, WITH_IT
from tests.dialogs.harness import DialogHarness, Replies, card_text
from tests.dialogs.seed import referral_document, seed_documents
from tests.support.fakes import FakeReferralsService


def _documents() -> list[dict[str, Any]]:
    lead = referral_document(
        "778",
        "Wong & Partners intranet",
        "Wong & Partners",
        "New/Received",
        direction="Incoming",
        stage=None,
        value=None,
        closing=None,
        team=(),
    )
    lead["expirationDateTime"] = "2026-11-28T09:00:00Z"
    gone = referral_document(
        "779", "Ember Cobalt Ltd portal", "Ember Cobalt Ltd", "Closed/Expired", stage=None
    )
    gone["expirationDateTime"] = "2026-11-20T09:00:00Z"
    late = referral_document(
        "780", "Lots Road Auctions catalogue", "Lots Road Auctions", closing="2026-11-20T00:00:00Z"
    )
    return [*seed_documents(), lead, gone, late]


def _bot() -> DialogHarness:
    return DialogHarness(referrals=FakeReferralsService(_documents()))


def _no_change_offered(bot: DialogHarness, replies: Replies) -> None:
    assert not bot.pending._changes  # nothing stored for a Confirm
    for card in replies.cards:
        assert not any("pendingId" in (a.get("data") or {}) for a in card.get("actions", []))


@pytest.mark.parametrize(
    ("text", "answer", "deal"),
    [
        (
            "is 4711 still open?",
            "Yes — 4711 (Contoso Pharma data platform) is still open: Active (Accepted), in "
            "Propose.",
            "Contoso Pharma data platform",
        ),
        ("did we win 900?", "Yes — 900 (Adatum ERP upgrade) is closed: Won.", "Adatum ERP upgrade"),
        ("has 901 been won?", "No — 901 (Litware CRM) is closed: Lost.", "Litware CRM"),
        (
            "what's the status of 123?",
            "123 (Contoso Azure migration) is open: Active (Accepted), in Develop.",
            "Contoso Azure migration",
        ),
        (
            "what's Contoso Pharma worth?",
            "Contoso Pharma data platform is worth CHF 480,000.",
            "Contoso Pharma data platform",
        ),
        (
            "what's 777 worth?",
            "No deal value is set on 777 (Northwind analytics).",
            "Northwind analytics",
        ),
        (
            "when is the Fabrikam deal expected to close?",
            "Fabrikam security review is expected to close on Sat 28 Nov 2026 (in 3 days).",
            "Fabrikam security review",
        ),
        (
            "when does 780 close?",
            "780 (Lots Road Auctions catalogue) was expected to close on Fri 20 Nov 2026 "
            "(5 days ago): that date has passed.",
            "Lots Road Auctions catalogue",
        ),
        ("when does 777 close?", "No close date is set on 777 (Northwind analytics).", None),
        (
            "who's working on 4711?",
            "Megan Bowen and Alex Wilber are on 4711 (Contoso Pharma data platform).",
            None,
        ),
        ("who's on 555?", "Alex Wilber is on 555 (Fabrikam security review).", None),
        ("who is on 777", "Nobody is on the team of 777 (Northwind analytics) yet.", None),
        (
            "what stage is 4711 in?",
            "4711 (Contoso Pharma data platform) is in Propose (60%).",
            None,
        ),
        ("what stage is 777 in", "No sales stage is set on 777 (Northwind analytics).", None),
        (
            "any notes on 123?",
            "The notes on 123 (Contoso Azure migration) say: “Landing zone workshop done.”",
            "Landing zone workshop done.",
        ),
        ("notes on 555?", "No notes on 555 (Fabrikam security review).", None),
        (
            "when does the Wong & Partners lead expire?",
            "Wong & Partners intranet expires in 3 days (Sat 28 Nov 2026).",
            "Wong & Partners intranet",
        ),
        (
            "when does 779 expire?",
            "779 (Ember Cobalt Ltd portal) expired on Fri 20 Nov 2026.",
            None,
        ),
        (
            "when does the Northwind lead expire?",
            "No expiry date is set on Northwind analytics.",
            None,
        ),
        (
            "when does 123 expire?",
            "123 (Contoso Azure migration) is open: Active (Accepted), in Develop, so it no "
            "longer expires.",
            None,
        ),
        (
            "what's the crm id of 123?",
            "The CRM id of 123 (Contoso Azure migration) is CRM-0001.",
            None,
        ),
        ("what's the crm id of 555?", "No CRM id is set on 555 (Fabrikam security review).", None),
        (
            "tell me about 123",
            "123 (Contoso Azure migration) is open: Active (Accepted), in Develop; worth USD "
            "150,000; close date Tue 15 Dec 2026 (in 20 days).",
            None,
        ),
    ],
)
async def test_a_question_is_answered_then_the_card_follows(
    text: str, answer: str, deal: str | None
) -> None:
    bot = _bot()

    replies = await bot.say(text)

    assert replies.shown == [answer]
    assert deal is None or deal in card_text(replies.card)
    _no_change_offered(bot, replies)


async def test_the_answer_counts_days_in_the_sellers_time_zone() -> None:
    """12:00 UTC on 25 Nov is already 26 Nov in Auckland: the close date is 2 days away there."""
    bot = _bot()
    bot.clock.advance(timedelta(hours=2))

    auckland = await bot.say("when does 555 close?", timezone="Pacific/Auckland")
    berlin = await bot.say("when does 555 close?", timezone="Europe/Berlin")

    said = "555 (Fabrikam security review) is expected to close on Sat 28 Nov 2026"
    assert auckland.shown == [f"{said} (in 2 days)."]
    assert berlin.shown == [f"{said} (in 3 days)."]


async def test_it_after_show_is_the_referral_shown() -> None:
    bot = _bot()
    await bot.say("show 4711")

    replies = await bot.say("what's it worth?")

    assert replies.shown == ["Contoso Pharma data platform is worth CHF 480,000."]


async def test_a_question_makes_the_referral_it_for_a_change() -> None:
    bot = _bot()
    await bot.say("when does 555 close?")

    card = (await bot.say("mark it won")).card

    assert (await bot.stored(card)).referral_id == "555"


async def test_a_name_with_several_matches_is_picked_first_then_answered() -> None:
    bot = _bot()

    picking = await bot.say("what's Contoso worth?")
    answered = await bot.say("4711")

    assert not picking.texts  # the pick list card asks
    assert answered.shown == ["Contoso Pharma data platform is worth CHF 480,000."]


async def test_an_unknown_id_is_said_and_nothing_else() -> None:
    bot = _bot()

    replies = await bot.say("is 999999 still open?")

    assert "can't find referral 999999" in replies.shown[0]
    assert not replies.cards


async def test_a_notes_answer_keeps_the_notes_inert() -> None:
    documents = _documents()
    documents[0]["details"]["notes"] = "[Refund](https://evil.example) <at>Megan</at>"
    bot = DialogHarness(referrals=FakeReferralsService(documents))

    replies = await bot.say("any notes on 123?")

    assert "](" not in replies.texts[0].replace("\\]", "").replace("\\(", "")
    assert "<at>" not in replies.texts[0]
    assert "https://" not in replies.texts[0]


_QUESTIONS = [phrasing.format(r=ref) for phrasing, _, _ in PHRASINGS for ref in ("123", "it")]
_QUESTIONS += [phrasing for phrasing, _, _ in WITH_IT]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_QUESTIONS),
    st.sampled_from(["", "please ", "hey, ", "so "]),
    st.sampled_from(["", "?", "? thanks", "!"]),
)
async def test_a_question_never_offers_a_change(question: str, before: str, after: str) -> None:
    text = f"{before}{question}{after}"
    bot = _bot()
    await bot.say("show 4711")  # "it" is known

    replies = await bot.say(text)

    assert isinstance(parse(question), AskAboutReferral)
    _no_change_offered(bot, replies)
    assert replies.cards  # the answer always shows the referral
