"""The SQLite backend keeps a proposal across a full restart of the bot app, and applies it once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.cards.confirm_change import CONFIRM_VERB
from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.pending import ClaimOutcome, PendingChange
from bot.settings import Settings, StateBackend, StateSettings
from bot.state.sqlite_state import open_sqlite_state
from emulators.server import RunningEmulators
from tests.support.bot import demo_settings, running_bot
from tests.support.e2e import propose, text_of
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import CONTOSO_DEAL, REFERRAL_ID

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def sqlite_settings(emulators: RunningEmulators, path: Path) -> Settings:
    state = StateSettings(backend=StateBackend.SQLITE, sqlite_path=path)
    return demo_settings(emulators).model_copy(update={"state": state})


async def test_a_proposal_survives_a_restart_and_is_applied_exactly_once(
    fresh: RunningEmulators, partner_center: PartnerCenterView, tmp_path: Path
) -> None:
    settings = sqlite_settings(fresh, tmp_path / "state" / "bot.sqlite3")
    async with running_bot(settings) as first:
        _, pending_id = await propose(first, "mark 123 won")
    assert await partner_center.patches() == []

    async with running_bot(settings) as second:  # a new app, a new process' worth of state
        answer = await second.click(CONFIRM_VERB, {"pendingId": pending_id})
        again = await second.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert answer.status == 200
    result = text_of(answer.card)
    assert CONTOSO_DEAL in result
    assert "Won" in result
    assert "already saved" in text_of(again.card).casefold()
    [patch] = await partner_center.patches()
    assert patch["status"] == 200
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_without_the_sqlite_backend_a_restart_forgets_the_proposal(
    fresh: RunningEmulators, partner_center: PartnerCenterView
) -> None:
    """The control: the same steps on the memory backend cannot confirm after a restart."""
    settings = demo_settings(fresh)
    async with running_bot(settings) as first:
        _, pending_id = await propose(first, "mark 123 won")
    async with running_bot(settings) as second:
        answer = await second.click(CONFIRM_VERB, {"pendingId": pending_id})
    assert CONTOSO_DEAL not in text_of(answer.card)
    assert await partner_center.patches() == []


def pending(change_id: str) -> PendingChange:
    return PendingChange(
        id=change_id,
        proposer_id="aad-alice",
        proposer_name="Alice Seller",
        tenant_id="tenant-1",
        conversation_id="a:conversation",
        referral_id="123",
        etag='"etag-1"',
        intent=ChangeIntent(outcome=Outcome.WON),
        operations=({"op": "replace", "path": "/status", "value": "Closed"},),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=30),
    )


async def test_twenty_concurrent_claims_from_two_connections_have_one_winner(
    tmp_path: Path,
) -> None:
    """Two open databases on one file (as two processes would): the SQL compare-and-set holds."""
    path = tmp_path / "shared.sqlite3"
    async with open_sqlite_state(path) as one, open_sqlite_state(path) as other:
        await one.pending.put(pending("p-1"))
        stores = [one.pending, other.pending] * 10
        results = await asyncio.gather(
            *(store.claim("p-1", user_id="aad-alice", now=NOW) for store in stores)
        )
    outcomes = [outcome for outcome, _ in results]
    assert outcomes.count(ClaimOutcome.CLAIMED) == 1
    assert outcomes.count(ClaimOutcome.IN_PROGRESS) == 19


async def test_a_superseding_put_keeps_the_row_replaceable(tmp_path: Path) -> None:
    async with open_sqlite_state(tmp_path / "s.sqlite3") as durable:
        await durable.pending.put(pending("p-1"))
        await durable.pending.put(replace(pending("p-1"), etag='"etag-2"'))
        stored = await durable.pending.get("p-1")
    assert stored is not None
    assert stored.etag == '"etag-2"'
