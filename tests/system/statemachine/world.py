"""One state-machine example's world: the real card actions, client and store over the emulator.

`open_world` builds what `tests/card_actions/conftest.py` builds (a `Harness`), with the pending
store of the chosen backend and a token provider whose tokens can be made to expire per user;
`World` adds the two things the machine needs besides clicks: another writer's PATCH, and reads
of the referral and of the PATCHes the emulator recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.card_actions.verbs import CardActions
from bot.cards.confirm_change import CONFIRM_VERB
from bot.domain.assertion import UserAssertion
from bot.domain.pending import PendingChanges
from bot.state.blob_pending_changes import PREFIX, BlobPendingChanges, sweepable
from bot.state.blob_sweeper import BlobSweeper, SweepLimits
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.sqlite_state import open_sqlite_state
from dialogs.ports import DialogServices
from emulators.azurite import Azurite
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import make_card_invoke
from tests.support.azurite import fresh_blob_storage
from tests.support.card_harness import PORTAL, ActivityAssertions, FakeClock, Harness
from tests.support.emulator_controls import REFERRALS_PATH, recorded_requests
from tests.support.emulators import ADMIN
from tests.support.partner_center import EmulatorControl, FakeTokenProvider, expired_claims
from tests.support.referrals import index_backed
from tests.support.referrals_http import ReferralsHttp
from tests.support.world import NOW, make_client, reset

BACKENDS = ("memory", "sqlite", "blob")
PENDING_TTL = timedelta(minutes=30)
OTHER_WRITER = "other-writer"  # the MS-CorrelationId prefix of the other writer's PATCHes


@dataclass
class ExpiringTokens:
    """Partner Center tokens minted by the emulator's key; users in `expired` get expired ones."""

    fresh: FakeTokenProvider
    stale: FakeTokenProvider
    expired: set[str] = field(default_factory=set)

    async def get_token(self, user: UserAssertion) -> str:
        provider = self.stale if user.user_id in self.expired else self.fresh
        return await provider.get_token(user)


@dataclass
class World:
    harness: Harness
    tokens: ExpiringTokens
    http: ReferralsHttp
    running: RunningEmulators
    sweeper: BlobSweeper | None = None  # blob: expired changes go in the background, not on put

    async def click(self, pending_id: str, user: FixtureUser) -> dict[str, Any]:
        """`Harness.click` minus the card schema check (16 ms a card; tests/card_actions do it)."""
        data = {"pendingId": pending_id}
        activity = make_card_invoke(CONFIRM_VERB, data, user=user)
        turn = TurnContext(TestAdapter(), activity)
        return await self.harness.actions.dispatch(turn, CONFIRM_VERB, data)

    async def read(self, referral_id: str) -> tuple[dict[str, Any], str]:
        """The referral as an admin sees it, and its eTag."""
        answer = await self.http.get(referral_id, user=ADMIN)
        assert answer.status == 200, answer.text
        document: dict[str, Any] = answer.json
        return document, document["eTag"]

    async def other_writer(self, referral_id: str, notes: str, marker: str) -> int:
        """An admin's PATCH of the notes from elsewhere (not the bot), on the current eTag."""
        _, etag = await self.read(referral_id)
        operations = [{"op": "replace", "path": "/details/notes", "value": notes}]
        headers = {
            "If-Match": etag,
            "Prefer": "return=representation",
            "MS-CorrelationId": f"{OTHER_WRITER}-{marker}",
        }
        answer = await self.http.send(
            "PATCH", self.http.url(referral_id), user=ADMIN, body=operations, headers=headers
        )
        return answer.status

    async def patches(self) -> list[dict[str, Any]]:
        """Every PATCH of a referral the emulator recorded, oldest first."""
        return await recorded_requests(
            self.http.session,
            self.running.referrals_base_url,
            method="PATCH",
            path=f"{REFERRALS_PATH}/*",
        )


@asynccontextmanager
async def _pending_store(
    backend: str, db_path: Path, azurite: Azurite | None, clock: FakeClock
) -> AsyncIterator[tuple[PendingChanges, BlobSweeper | None]]:
    """The backend's store, fresh: an in-memory one, a new SQLite file, a new Blob container
    (with the sweeper an instance runs in the background, on the world's clock, no grace)."""
    if backend == "memory":
        yield MemoryPendingChanges(), None
    elif backend == "sqlite":
        async with open_sqlite_state(db_path) as state:
            yield state.pending, None
    else:
        assert azurite is not None, "the blob backend needs Azurite"
        async with fresh_blob_storage(azurite) as storage:
            limits = SweepLimits(grace=timedelta(0))
            sweeper = BlobSweeper(storage, PREFIX, sweepable, limits, clock=clock.now)
            yield BlobPendingChanges(storage), sweeper


@asynccontextmanager
async def open_world(
    running: RunningEmulators, backend: str, db_path: Path, azurite: Azurite | None = None
) -> AsyncIterator[World]:
    """A fresh emulator state and store; the session and the database are closed on exit."""
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())
        await reset(session, running)
        clock, assertions = FakeClock(NOW.astimezone(UTC)), ActivityAssertions()  # as SystemClock
        store, sweeper = await stack.enter_async_context(
            _pending_store(backend, db_path, azurite, clock)
        )
        tokens = ExpiringTokens(
            FakeTokenProvider(running), FakeTokenProvider(running, claims=expired_claims())
        )
        services = DialogServices(
            referrals=index_backed(make_client(session, running, tokens)),
            pending=store,
            clock=clock,
            assertions=assertions,
            portal_url=PORTAL,
            pending_ttl=PENDING_TTL,
        )
        harness = Harness(
            services,
            CardActions(services),
            clock,
            assertions,
            store,  # type: ignore[arg-type]  # any PendingChanges: the harness only reads it
            EmulatorControl(session, running),
            session,
            running.referrals_base_url,
        )
        yield World(harness, tokens, ReferralsHttp(running, session), running, sweeper)
