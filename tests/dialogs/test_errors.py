"""Refused changes and failing services: a friendly sentence, no pending change, no stack trace."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from botbuilder.schema import Activity, ChannelAccount

from bot.domain.errors import (
    AccessDeniedError,
    InvalidChangeError,
    NotSignedInError,
    ServiceError,
    ServiceUnavailableError,
    SignInRequiredError,
    TooManyRequestsError,
)
from dialogs import replies
from dialogs.turn_facts import require_user
from tests.dialogs.harness import ALEX_USER, MEGAN_USER, DialogHarness, card_text
from tests.support.teams_markdown import shown_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("mark 900 won", "already", id="already-won"),
        pytest.param("mark 901 won", "", id="closed-is-final"),
        pytest.param("note on 900: one more thing", "", id="closed-is-final-for-notes"),
        pytest.param("decline 123", "", id="decline-an-active-deal"),
        pytest.param("accept 123", "", id="accept-an-accepted-deal"),
        pytest.param("set the deal value of Contoso Azure to 150k", "", id="same-value"),
    ],
)
async def test_a_refused_change_is_explained_and_nothing_is_stored(
    text: str, expected: str
) -> None:
    bot = DialogHarness()

    answer = await bot.say(text)

    assert answer.cards == []
    assert len(answer.texts) == 1
    assert answer.text.endswith("Nothing was changed.")
    assert expected in answer.text
    assert len(bot.pending) == 0


SERVICE_ERRORS = [
    pytest.param(AccessDeniedError(), "Referral Admin", id="forbidden"),
    pytest.param(TooManyRequestsError(retry_after=30), "in about 30 seconds", id="throttled"),
    pytest.param(TooManyRequestsError(), "in a minute", id="throttled-no-retry-after"),
    pytest.param(ServiceUnavailableError(), "try again", id="unavailable"),
    pytest.param(SignInRequiredError(), "sign in", id="sign-in-needed"),
]
# (the method that fails, a message that calls it)
CALLS = [
    pytest.param("get", "mark 123 won", id="get"),
    pytest.param("find", "mark Contoso won", id="find"),
    pytest.param("list", "my open referrals", id="list"),
    pytest.param("list", "add Jane Doe to 123", id="list-for-colleagues"),
    pytest.param("get", "show 123", id="get-for-show"),
]


@pytest.mark.parametrize(("error", "said"), SERVICE_ERRORS)
@pytest.mark.parametrize(("method", "text"), CALLS)
async def test_a_service_error_gets_a_friendly_sentence_and_nothing_is_stored(
    error: ServiceError, said: str, method: str, text: str
) -> None:
    bot = DialogHarness()
    bot.referrals.fail(method, error)

    answer = await bot.say(text)

    assert answer.cards == []
    assert len(answer.texts) == 1
    assert said.casefold() in answer.text.casefold()
    assert "Error" not in answer.text
    assert "Traceback" not in answer.text
    assert len(bot.pending) == 0


async def test_a_service_error_mid_dialog_clears_the_dialog() -> None:
    bot = DialogHarness()
    await bot.say("mark Contoso won")
    bot.referrals.fail("get", ServiceUnavailableError())

    failed = await bot.say("1")
    bot.referrals.recover()
    after = await bot.say("show 123")

    assert failed.shown == [ServiceUnavailableError.default_message]
    assert "Contoso Azure migration" in card_text(after.card)


async def test_a_seller_who_is_not_signed_in_is_asked_to_sign_in_and_nothing_is_called() -> None:
    bot = DialogHarness()
    bot.assertions.signed_out.add(MEGAN_USER.aad_object_id)

    answer = await bot.say("mark 123 won")

    assert answer.shown == [replies.SIGN_IN]
    assert bot.referrals.calls == []
    assert len(bot.pending) == 0


async def test_sign_in_is_asked_per_seller() -> None:
    bot = DialogHarness()
    bot.assertions.signed_out.add(MEGAN_USER.aad_object_id)

    answer = await bot.say("mark 123 won", user=ALEX_USER)

    assert len(answer.cards) == 1


async def test_help_and_unknown_words_need_no_sign_in() -> None:
    bot = DialogHarness()
    bot.assertions.everyone_signed_out = True

    assert len((await bot.say("help")).cards) == 1
    assert (await bot.say("cancel")).texts == [replies.NOTHING_TO_CANCEL]


async def test_service_calls_act_as_the_seller_who_wrote() -> None:
    bot = DialogHarness()

    await bot.say("mark 123 won", user=ALEX_USER)

    assert {call.user_id for call in bot.referrals.calls} == {ALEX_USER.aad_object_id}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AccessDeniedError("You can't change referral 123."), "Referral Admin"),
        (AccessDeniedError(), "Referral User"),
        (TooManyRequestsError(retry_after=150), "in about 2 minutes"),
        (TooManyRequestsError(retry_after=0.2), "in about 1 second."),
        (ServiceUnavailableError("Partner Center is down."), "Partner Center is down."),
    ],
)
def test_error_sentences_explain_roles_and_when_to_retry(
    error: ServiceError, expected: str
) -> None:
    assert expected in shown_text(replies.service_error(error))


async def test_a_domain_error_from_a_service_is_explained_too() -> None:
    bot = DialogHarness()
    bot.referrals.fail("find", InvalidChangeError("That search isn't possible."))

    answer = await bot.say("show Contoso")

    assert answer.shown == ["That search isn't possible."]


@pytest.mark.parametrize(
    "error",
    [
        AccessDeniedError(),  # the default sentence lists the roles: said once, not twice
        AccessDeniedError("Your Partner Center account is disabled."),
        # a custom sentence is explained whatever words it holds: the decision is the error's
        # field (names_roles), never a search of its text
        AccessDeniedError("Ask your Referral Admin why you can't change 123."),
    ],
)
def test_the_roles_are_listed_exactly_once(error: AccessDeniedError) -> None:
    shown = shown_text(replies.service_error(error))

    assert shown.count("Global Admin") == 1, shown


async def test_a_seller_not_yet_signed_in_is_told_so_by_type_not_by_sentence() -> None:
    bot = DialogHarness()
    bot.assertions.everyone_signed_out = True  # no token for this seller yet
    activity = Activity(from_property=ChannelAccount(id="29:1", aad_object_id="oid-1"))

    with pytest.raises(NotSignedInError) as raised:
        await require_user(SimpleNamespace(activity=activity), bot.services)

    assert isinstance(raised.value, SignInRequiredError)  # handled as any sign-in failure
