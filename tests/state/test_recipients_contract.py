"""The Recipients and ChannelSubscriptions contract, in every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.domain.proactive import DigestSchedule, Recipient
from tests.state.proactive_stores import NOW, Twin, recipient, subscription


async def listed(twin: Twin) -> list[Recipient]:
    return sorted([found async for found in twin.b.recipients.all()], key=lambda r: r.user_id)


async def test_a_recipient_reads_back_unchanged(twin: Twin) -> None:
    megan = recipient(
        greeted=True,
        alerts_on=False,
        digest=DigestSchedule(frozenset({0, 1, 2, 3, 4}), 9, 30, last_sent_on=date(2025, 3, 13)),
    )
    await twin.a.recipients.put(megan)
    assert await twin.b.recipients.get("u-1") == megan
    assert await twin.b.recipients.get("u-2") is None


async def test_by_email_ignores_case(twin: Twin) -> None:
    await twin.a.recipients.put(recipient(email="megan.bowen@contoso.example"))
    for asked in ("megan.bowen@contoso.example", "Megan.Bowen@CONTOSO.example"):
        found = await twin.b.recipients.by_email(asked)
        assert found is not None
        assert found.user_id == "u-1"
    assert await twin.b.recipients.by_email("alex@contoso.example") is None


async def test_a_new_email_replaces_the_old_one_in_the_index(twin: Twin) -> None:
    await twin.a.recipients.put(recipient(email="megan@old.example"))
    await twin.a.recipients.put(recipient(email="megan@new.example", name="Megan B."))
    assert await twin.b.recipients.by_email("megan@old.example") is None
    found = await twin.b.recipients.by_email("MEGAN@new.example")
    assert found is not None
    assert found.name == "Megan B."
    assert [r.email for r in await listed(twin)] == ["megan@new.example"]


async def test_forget_deletes_the_recipient_and_its_email(twin: Twin) -> None:
    await twin.a.recipients.put(recipient())
    await twin.a.recipients.put(recipient("u-2", "alex@contoso.example"))
    await twin.a.recipients.forget("u-1")
    assert await twin.b.recipients.get("u-1") is None
    assert await twin.b.recipients.by_email("megan@contoso.example") is None
    assert [r.user_id for r in await listed(twin)] == ["u-2"]
    await twin.a.recipients.forget("u-1")  # again: harmless
    await twin.a.recipients.forget("never-seen")


async def test_all_lists_every_recipient(twin: Twin) -> None:
    people = [
        recipient(f"u-{n:03}", f"seller{n}@contoso.example", installed_at=NOW + timedelta(n))
        for n in range(25)
    ]
    for person in people:
        await twin.a.recipients.put(person)
    assert await listed(twin) == people


async def test_an_email_moved_to_someone_else_finds_them(twin: Twin) -> None:
    """A mailbox handed to a new colleague: the newest put of that e-mail wins."""
    await twin.a.recipients.put(recipient("u-1", "sales@contoso.example"))
    await twin.a.recipients.put(recipient("u-2", "sales@contoso.example"))
    found = await twin.b.recipients.by_email("sales@contoso.example")
    assert found is not None
    assert found.user_id == "u-2"
    await twin.a.recipients.put(replace(recipient("u-1", "megan@contoso.example")))
    found = await twin.b.recipients.by_email("sales@contoso.example")
    assert found is not None
    assert found.user_id == "u-2"


async def test_channel_subscriptions_put_list_and_remove(twin: Twin) -> None:
    first, second = subscription("19:a@thread.tacv2"), subscription("19:b@thread.tacv2")
    await twin.a.channels.put(first)
    await twin.a.channels.put(second)
    await twin.a.channels.put(replace(first, subscribed_by="Alex Wilber"))
    found = sorted([s async for s in twin.b.channels.all()], key=lambda s: s.conversation_id)
    assert found == [replace(first, subscribed_by="Alex Wilber"), second]
    assert await twin.b.channels.remove("19:a@thread.tacv2")
    assert not await twin.b.channels.remove("19:a@thread.tacv2")
    assert [s.conversation_id async for s in twin.a.channels.all()] == ["19:b@thread.tacv2"]
