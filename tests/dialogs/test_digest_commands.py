"""Issue 17 §4: a seller turns their digest on, changes it and stops it, in their time zone."""

from __future__ import annotations

from datetime import date

from bot.alerts.digest_settings import RecipientDigests
from bot.domain.proactive import DigestSchedule
from dialogs import replies
from emulators.fixtures import DEFAULT_TENANT_ID
from tests.dialogs.harness import ALEX_USER, MEGAN_USER, DialogHarness
from tests.support.alerts import FakeRecipients, recipient

MEGAN = MEGAN_USER.aad_object_id
WEEKDAYS = frozenset(range(5))


async def _harness(zone: str = "UTC") -> tuple[DialogHarness, FakeRecipients]:
    recipients = FakeRecipients()
    await recipients.put(recipient(MEGAN, tenant_id=DEFAULT_TENANT_ID, time_zone=zone))
    return DialogHarness(digests=RecipientDigests(recipients)), recipients


async def _digest(recipients: FakeRecipients) -> DigestSchedule | None:
    stored = await recipients.get(MEGAN)
    assert stored is not None
    return stored.digest


async def test_a_digest_is_set_in_the_sellers_zone_and_starts_at_its_next_moment() -> None:
    bot, recipients = await _harness()  # the clock: Wednesday 25 Nov 2026, 11:00 in Berlin

    said = (await bot.say("send me a digest every weekday at 9")).shown

    assert len(said) == 1
    assert said[0].startswith(
        "Done: I'll send you a digest every weekday at 09:00 (Europe/Berlin time). The first "
        "one comes on Thu 26 Nov 2026. It lists leads about to expire"
    )
    assert said[0].endswith("Say **stop the digest** to turn it off.")
    assert await _digest(recipients) == DigestSchedule(WEEKDAYS, 9, 0, date(2026, 11, 25))
    stored = await recipients.get(MEGAN)
    assert stored is not None
    assert stored.time_zone == "Europe/Berlin"  # the turn's zone, where Teams sent one


async def test_a_digest_set_before_its_time_comes_the_same_day() -> None:
    bot, recipients = await _harness()

    said = (await bot.say("daily digest at 14:30", timezone="Europe/Berlin")).shown

    assert "every day at 14:30" in said[0]
    assert "The first one comes on Wed 25 Nov 2026." in said[0]
    expected = DigestSchedule(frozenset(range(7)), 14, 30, date(2026, 11, 24))
    assert await _digest(recipients) == expected


async def test_a_second_digest_command_changes_it() -> None:
    bot, recipients = await _harness()
    await bot.say("send me a digest every weekday at 9")

    said = (await bot.say("digest on Mondays and Thursdays at 7:45am")).shown

    assert said[0].startswith(
        "Changed: I'll send you a digest on Mondays and Thursdays at 07:45 (Europe/Berlin time)."
    )
    schedule = await _digest(recipients)
    assert schedule is not None
    assert (schedule.weekdays, schedule.hour, schedule.minute) == (frozenset({0, 3}), 7, 45)


async def test_stop_the_digest_turns_it_off_and_says_so_when_there_is_none() -> None:
    bot, recipients = await _harness()
    await bot.say("send me a digest every weekday at 9")

    assert (await bot.say("stop the digest")).texts == [replies.DIGEST_STOPPED]
    assert await _digest(recipients) is None
    assert (await bot.say("no more digests please")).texts == [replies.DIGEST_NONE_TO_STOP]


async def test_the_seller_zone_comes_from_the_message_when_teams_sends_one() -> None:
    bot, recipients = await _harness(zone="UTC")

    said = (await bot.say("digest every day at 9", timezone="Pacific/Auckland")).shown

    assert "(Pacific/Auckland time)" in said[0]
    stored = await recipients.get(MEGAN)
    assert stored is not None
    assert stored.time_zone == "Pacific/Auckland"


async def test_a_seller_without_a_personal_chat_is_told_and_nothing_is_stored() -> None:
    bot, recipients = await _harness()

    said = (await bot.say("send me a digest every weekday at 9", user=ALEX_USER)).texts

    assert said == [replies.DIGEST_NEEDS_CHAT]
    assert await recipients.get(ALEX_USER.aad_object_id) is None


async def test_a_bot_without_digests_says_so() -> None:
    bot = DialogHarness()

    said = (await bot.say("send me a digest every weekday at 9")).texts

    assert said == [replies.DIGEST_UNAVAILABLE]


async def test_send_me_a_digest_alone_asks_when() -> None:
    bot, recipients = await _harness()

    reply = await bot.say("send me a digest")

    assert "When should I send your digest?" in reply.shown[0]
    assert await _digest(recipients) is None


async def test_a_digest_command_ends_a_question_the_bot_was_waiting_on() -> None:
    bot, recipients = await _harness()
    asked = await bot.say("mark Contoso won")  # several Contoso referrals: "which one?"
    assert asked.cards

    said = (await bot.say("send me a digest every weekday at 9")).shown

    assert said[0].startswith("Done: I'll send you a digest every weekday at 09:00")
    assert await _digest(recipients) is not None
