"""The verb registry: malformed clicks get a 400 body (never an exception), one log line each."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
from bot.domain.intent import ChangeIntent, Outcome
from tests.support.activities import make_card_invoke
from tests.support.answers import ERROR, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import SELLER
from tests.support.world import AZURE


async def dispatch(harness: Harness, verb: str, data: Any) -> dict[str, Any]:
    activity = make_card_invoke(verb, data if isinstance(data, dict) else {})
    return await harness.actions.dispatch(TurnContext(TestAdapter(), activity), verb, data)


def test_the_registry_knows_confirm_cancel_and_the_group_cards_refresh(harness: Harness) -> None:
    assert harness.actions.verbs == {CONFIRM_VERB, CANCEL_VERB, REFRESH_VERB}


@pytest.mark.parametrize("verb", ["referral.delete", "", "REFERRAL.CONFIRM", "x" * 500])
async def test_an_unknown_verb_is_a_bad_request(harness: Harness, verb: str) -> None:
    body = await dispatch(harness, verb, {"pendingId": "abc"})
    assert body["statusCode"] == 400
    assert body["type"] == ERROR
    assert "button" in text_of(body)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pendingId": ""},
        {"pendingId": 42},
        {"pendingId": None},
        {"pendingId": "a" * 129},
        {"pendingId": "../../etc"},
        {"pendingId": "abc\ndef"},
        {"pending_id": "abc"},
    ],
)
async def test_a_missing_or_malformed_pending_id_is_a_bad_request(
    harness: Harness, data: dict[str, Any]
) -> None:
    for verb in (CONFIRM_VERB, CANCEL_VERB):
        body = await dispatch(harness, verb, data)
        assert body["statusCode"] == 400
        assert body["type"] == ERROR
    assert await harness.patches() == []


async def test_data_that_is_not_an_object_is_a_bad_request(harness: Harness) -> None:
    body = await dispatch(harness, CONFIRM_VERB, ["pendingId"])
    assert body["statusCode"] == 400


async def test_each_action_logs_one_line_without_personal_data_or_tokens(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    pending = await harness.propose(AZURE, ChangeIntent(outcome=Outcome.WON))
    with caplog.at_level(logging.INFO, logger="bot.card_actions.verbs"):
        await harness.click(pending.id)
    [line] = [
        record.getMessage() for record in caplog.records if record.name == "bot.card_actions.verbs"
    ]
    assert f"verb={CONFIRM_VERB}" in line
    assert f"referral={AZURE}" in line
    assert "outcome=applied" in line
    assert "latency_ms=" in line
    assert pending.id not in line
    for private in (SELLER.name, SELLER.upn, SELLER.oid, "sso-"):
        assert private not in caplog.text
