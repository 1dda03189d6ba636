"""The Partner Center adapter as the app builds it (client -> per-seller index -> service), for
tests that drive `PartnerCenterReferrals` without the whole bot."""

from __future__ import annotations

from bot.auth.sealed_store import MemoryByteStore
from bot.background import BackgroundTasks
from bot.partner_center.client import ReferralsClient
from bot.referrals.index_sync import ReferralIndexes
from bot.referrals.service import PartnerCenterReferrals
from bot.settings import IndexSettings


def index_backed(
    client: ReferralsClient, settings: IndexSettings | None = None
) -> PartnerCenterReferrals:
    """Indexes in memory; `settings` default to the production ones (refresh after 60 s)."""
    indexes = ReferralIndexes(client, MemoryByteStore(), BackgroundTasks(), settings)
    return PartnerCenterReferrals(indexes)
