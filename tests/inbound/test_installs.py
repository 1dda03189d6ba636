"""Sellers captured when they install the bot in personal scope (bot.inbound.installs), over the
real app and a fake connector: one hello per install, uninstall forgets, and later messages keep
the stored reference and time zone current with no storage call while nothing changed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.domain.proactive import Recipient
from bot.inbound.installs import Installs
from bot.inbound.replies import ALERTS_ON, HELLO_EXAMPLES
from bot.outbound.proactive import reference_of
from tests.support.activities import (
    TeamsUser,
    bot_added_payload,
    channel_thread,
    installation_update_payload,
    make_message,
    message_payload,
    personal_chat,
)
from tests.support.bot import BotUnderTest, running_bot
from tests.support.fakes import FakeClock
from tests.support.proactive import (
    MEGAN,
    MEGAN_EMAIL,
    CountingRecipients,
    install,
    post,
    settings,
)


@pytest.fixture
def recipients() -> CountingRecipients:
    return CountingRecipients()


@pytest.fixture
async def bot(recipients: CountingRecipients) -> AsyncIterator[BotUnderTest]:
    async with running_bot(settings(), recipients=recipients) as running:
        running.connector.add_member(MEGAN, email="Megan.Bowen@Contoso.com")
        yield running


async def stored(recipients: CountingRecipients, user: TeamsUser = MEGAN) -> Recipient:
    found = await recipients.get(user.aad_object_id)
    assert found is not None
    return found


async def test_an_install_stores_the_seller_and_says_hello_once(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    [hello] = await install(bot, MEGAN)

    assert hello.conversation_id == personal_chat(MEGAN).id
    assert all(f"`{example}`" in hello.text for example in HELLO_EXAMPLES)
    assert ALERTS_ON in hello.text
    seller = await stored(recipients)
    assert (seller.name, seller.email, seller.tenant_id) == (
        "Megan Bowen",
        MEGAN_EMAIL,
        MEGAN.tenant_id,
    )
    assert seller.time_zone == "UTC"  # Teams sent none with the install
    assert seller.greeted
    assert seller.alerts_on
    assert seller.reference["conversation"]["id"] == personal_chat(MEGAN).id
    assert seller.reference["serviceUrl"] == bot._connector_url
    assert seller.reference["user"]["aadObjectId"] == MEGAN.aad_object_id
    assert "activityId" not in seller.reference  # a card is a new message, never a reply
    assert bot.connector.member_lookups == [MEGAN.id]  # one lookup per install


@pytest.mark.parametrize(
    "second", [bot_added_payload(user=MEGAN), installation_update_payload("add", user=MEGAN)]
)
async def test_a_second_install_event_says_nothing_more(
    bot: BotUnderTest, recipients: CountingRecipients, second: dict[str, Any]
) -> None:
    await install(bot, MEGAN)

    assert await post(bot, second) == []

    assert (await stored(recipients)).greeted
    assert len(bot.connector.member_lookups) == 1


async def test_the_bot_joining_the_personal_chat_is_an_install_too(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    [hello] = await post(bot, bot_added_payload(user=MEGAN))
    again = await install(bot, MEGAN)

    assert ALERTS_ON in hello.text
    assert again == []
    assert (await stored(recipients)).email == MEGAN_EMAIL


async def test_an_uninstall_forgets_the_seller(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)

    said = await post(bot, installation_update_payload("remove", user=MEGAN))

    assert said == []
    assert await recipients.get(MEGAN.aad_object_id) is None
    assert await recipients.by_email(MEGAN_EMAIL) is None


async def test_a_reinstall_after_an_uninstall_says_hello_again(bot: BotUnderTest) -> None:
    await install(bot, MEGAN)
    await post(bot, installation_update_payload("remove", user=MEGAN))

    assert len(await install(bot, MEGAN)) == 1


async def test_an_upgrade_is_not_an_uninstall(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)

    await post(bot, installation_update_payload("remove-upgrade", user=MEGAN))
    said = await post(bot, installation_update_payload("add-upgrade", user=MEGAN))

    assert said == []
    assert (await stored(recipients)).greeted


async def test_an_install_in_a_team_stores_no_seller(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    said = await install(bot, MEGAN, conversation=channel_thread())

    assert said == []
    assert await recipients.get(MEGAN.aad_object_id) is None


async def test_an_install_without_the_senders_name_takes_it_from_the_member_lookup(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    payload = installation_update_payload("add", user=MEGAN)
    del payload["from"]["name"]

    await post(bot, payload)

    assert (await stored(recipients)).name == "Megan Bowen"


async def test_without_the_member_lookup_the_email_comes_from_the_sender(
    bot: BotUnderTest, recipients: CountingRecipients, caplog: pytest.LogCaptureFixture
) -> None:
    bot.connector.members.clear()  # Teams answers 404 for the lookup
    payload = installation_update_payload("add", user=MEGAN)
    payload["from"]["userPrincipalName"] = "Megan.Bowen@contoso.com"

    with caplog.at_level(logging.INFO):
        [hello] = await post(bot, payload)

    assert ALERTS_ON in hello.text
    assert (await stored(recipients)).email == MEGAN_EMAIL
    assert "installs.member_lookup_failed" in caplog.text
    assert MEGAN_EMAIL not in caplog.text.casefold()


async def test_with_no_email_anywhere_the_seller_is_stored_and_it_is_logged(
    bot: BotUnderTest, recipients: CountingRecipients, caplog: pytest.LogCaptureFixture
) -> None:
    bot.connector.members.clear()

    with caplog.at_level(logging.INFO):
        await install(bot, MEGAN)

    assert (await stored(recipients)).email == ""
    assert "installs.email_unknown" in caplog.text


async def test_a_tenant_the_policy_refuses_is_not_stored_or_greeted() -> None:
    recipients = CountingRecipients()
    async with running_bot(
        settings(allowed_tenants=["another-tenant"]), recipients=recipients
    ) as bot:
        said = await install(bot, MEGAN)

    assert said == []
    assert recipients.total() == 0


async def test_a_message_keeps_the_time_zone_current(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)

    await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))
    assert (await stored(recipients)).time_zone == "Europe/Berlin"
    await post(bot, message_payload("help", user=MEGAN, timezone="Asia/Tokyo"))
    assert (await stored(recipients)).time_zone == "Asia/Tokyo"


async def test_an_unchanged_message_makes_no_storage_call(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)
    await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))  # a change
    recipients.calls.clear()

    for _ in range(5):
        await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))

    assert recipients.total() == 0


async def test_a_change_is_written_once_over_a_fresh_read(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)
    recipients.calls.clear()

    await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))

    assert recipients.calls == {"get": 1, "put": 1}


async def test_a_change_keeps_what_another_instance_stored_since(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)
    await recipients.put(replace(await stored(recipients), alerts_on=False))  # elsewhere

    await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))

    seller = await stored(recipients)
    assert (seller.time_zone, seller.alerts_on) == ("Europe/Berlin", False)


async def test_a_seller_the_bot_never_stored_costs_one_read_then_nothing(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    for _ in range(4):
        await post(bot, message_payload("help", user=MEGAN))

    assert recipients.calls == {"get": 1}  # installed before issue 17: nothing is created
    assert await recipients.get(MEGAN.aad_object_id) is None


async def test_a_message_without_a_time_zone_keeps_the_stored_one(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)
    await post(bot, message_payload("help", user=MEGAN, timezone="Europe/Berlin"))
    recipients.calls.clear()
    payload = message_payload("help", user=MEGAN, timezone="")
    del payload["localTimezone"]

    await post(bot, payload)

    assert recipients.total() == 0
    assert (await stored(recipients)).time_zone == "Europe/Berlin"


async def test_channel_messages_are_not_personal_references(
    bot: BotUnderTest, recipients: CountingRecipients
) -> None:
    await install(bot, MEGAN)
    recipients.calls.clear()

    await post(
        bot, message_payload("help", user=MEGAN, conversation=channel_thread(), mention=True)
    )

    assert recipients.total() == 0
    assert (await stored(recipients)).reference["conversation"]["id"] == personal_chat(MEGAN).id


def turn(activity: Activity) -> TurnContext:
    return TurnContext(TestAdapter(), activity)


def seller(user: TeamsUser) -> Recipient:
    """As an install stored them, with the time zone of `make_message`'s activities."""
    return Recipient(
        user_id=user.aad_object_id,
        tenant_id=user.tenant_id,
        name=user.name,
        email=f"{user.aad_object_id}@contoso.com",
        time_zone="Europe/Berlin",
        reference=reference_of(make_message("hi", user=user)),
        installed_at=datetime(2026, 11, 25, tzinfo=UTC),
        greeted=True,
    )


async def test_a_new_service_url_is_stored_as_the_new_reference() -> None:
    recipients = CountingRecipients()
    await recipients.put(seller(MEGAN))
    installs = Installs(recipients, FakeClock())
    moved = make_message("hi", user=MEGAN)
    moved.service_url = "https://smba.trafficmanager.net/amer/"

    recipients.calls.clear()

    await installs.seen_message(turn(make_message("hi", user=MEGAN)))
    await installs.seen_message(turn(moved))
    await installs.seen_message(turn(moved))

    assert recipients.calls == {"get": 2, "put": 1}  # a read on the first turn; the change
    assert (await stored(recipients)).reference["serviceUrl"] == moved.service_url


async def test_what_was_stored_is_remembered_for_a_bounded_number_of_sellers() -> None:
    recipients = CountingRecipients()
    users = [TeamsUser(f"5e1f0000-0000-4000-8000-0000000d{n:04d}", f"S{n}") for n in range(5)]
    for user in users:
        await recipients.put(seller(user))
    installs = Installs(recipients, FakeClock(), max_known=3)

    for user in users:
        await installs.seen_message(turn(make_message("hi", user=user)))
    recipients.calls.clear()
    for user in users[-3:]:
        await installs.seen_message(turn(make_message("hi", user=user)))

    assert len(installs) == 3
    assert recipients.total() == 0  # the three most recent are known
    await installs.seen_message(turn(make_message("hi", user=users[0])))
    assert recipients.calls == {"get": 1}  # the oldest was let go: one read again


async def test_a_store_that_fails_never_fails_the_sellers_turn(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(CountingRecipients):
        async def get(self, user_id: str) -> Recipient | None:
            raise ConnectionError("storage down")

    installs = Installs(Broken(), FakeClock())

    with caplog.at_level(logging.WARNING):
        await installs.seen_message(turn(make_message("hi", user=MEGAN)))

    assert "installs.refresh_failed error=ConnectionError" in caplog.text
    assert len(installs) == 0  # tried again on the next turn
