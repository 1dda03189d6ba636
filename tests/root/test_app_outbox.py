"""The app has one outbox: lead alerts, group confirm cards and scheduled work read and claim in
the same store (a copy written to one and looked for in another would never be updated)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestServer

from bot.alerts.confirm_cards import bucket_of, posted_group
from bot.app import CONFIRM_CARDS, LEAD_ALERTS, SCHEDULER, STATE_PARTS, create_app
from bot.domain.events import EventName, PartnerCenterEvent
from bot.domain.proactive import Notification
from bot.settings import Settings
from bot.state.outbox import MemoryNotifications
from tests.root.test_settings import AZURE_BOT, IDENTITY, environ
from tests.support.alert_fakes import FakeSender
from tests.support.alerts import FakeNotifications

REFERENCE = {"conversation": {"id": "19:channel@thread.tacv2"}, "serviceUrl": "https://x"}


class ReadGroups(FakeNotifications):
    """The memory outbox, remembering which groups were read."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []

    async def copies(self, group: str) -> list[Notification]:
        self.read.append(group)
        return await super().copies(group)


async def test_alerts_confirm_cards_and_scheduled_work_share_the_apps_outbox() -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_STATE__BACKEND="memory")
    outbox = ReadGroups()
    app = create_app(Settings(port=0), notifications=outbox, proactive_sender=FakeSender())
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        backend = app[STATE_PARTS].notifications
        assert isinstance(backend, MemoryNotifications)
        now = datetime.now(UTC)

        updated = PartnerCenterEvent(
            EventName.REFERRAL_UPDATED, "https://pc.example/referrals/4711", "", None, now
        )
        await app[LEAD_ALERTS].handle(updated)
        await app[CONFIRM_CARDS].posted("p-1", now, REFERENCE, "activity-1")
        assert await app[SCHEDULER].tick()

        assert "lead:4711" in outbox.read  # the update looked for the lead's copies here
        assert any(group.startswith("confirm:") for group in outbox.read)  # the expiry job
        assert "confirm:p-1" in outbox.entries
        assert await backend.copies(posted_group(bucket_of(now))) == []
    finally:
        await server.close()
