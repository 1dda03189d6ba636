"""Two bot instances behind one load balancer share Azurite: propose on A, confirm on B."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.state.blob_pending_changes import BlobPendingChanges
from bot.state.blob_storage import AzureBlobStorage
from emulators.azurite import Azurite
from emulators.server import RunningEmulators
from tests.support.azurite import fresh_blob_storage
from tests.support.bot import ADAPTIVE_CARD, BotUnderTest, demo_settings, running_bot
from tests.support.e2e import propose, text_of
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test


@pytest.fixture
async def shared(azurite: Azurite) -> AsyncIterator[tuple[AzureBlobStorage, AzureBlobStorage]]:
    """Two clients (one per instance) on the same container."""
    async with fresh_blob_storage(azurite) as first:
        second = AzureBlobStorage.from_connection_string(
            azurite.connection_string, first.container_name
        )
        try:
            yield first, second
        finally:
            await second.close()


def _instance(
    fresh: RunningEmulators, storage: AzureBlobStorage
) -> AbstractAsyncContextManager[BotUnderTest]:
    return running_bot(demo_settings(fresh), storage=storage, pending=BlobPendingChanges(storage))


async def test_propose_on_a_and_confirm_on_b_patches_exactly_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    shared: tuple[AzureBlobStorage, AzureBlobStorage],
) -> None:
    async with _instance(fresh, shared[0]) as bot_a, _instance(fresh, shared[1]) as bot_b:
        _, pending_id = await propose(bot_a, "mark 123 won")
        answer = await bot_b.click(CONFIRM_VERB, {"pendingId": pending_id})
        again = await bot_a.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert "Won" in text_of(answer.card)
    assert "already saved" in text_of(again.card).casefold()
    assert len(await partner_center.patches()) == 1
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_concurrent_confirms_on_both_instances_patch_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    shared: tuple[AzureBlobStorage, AzureBlobStorage],
) -> None:
    async with _instance(fresh, shared[0]) as bot_a, _instance(fresh, shared[1]) as bot_b:
        _, pending_id = await propose(bot_a, "mark 123 won")
        clicks = await asyncio.gather(
            *(bot.click(CONFIRM_VERB, {"pendingId": pending_id}) for bot in [bot_a, bot_b] * 3)
        )

    assert all(click.status == 200 for click in clicks)
    cards = [click for click in clicks if click.body.get("type") == ADAPTIVE_CARD]
    assert sum("Won" in text_of(click.card) for click in cards) >= 1
    assert len(await partner_center.patches()) == 1
