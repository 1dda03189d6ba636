"""A Partner Center webhook event, as the bot's event endpoint hands it on once verified.

Partner Center's delivery carries only a pointer (`EventName`, `ResourceUri`, `ResourceName`,
`AuditUri`, `ResourceChangeUtcDate`): what changed is read with a seller's own access, never
trusted from the event. Shared by the inbound endpoint (which parses and verifies) and the
alerts (which act), so it lives below both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit


class EventName(StrEnum):
    REFERRAL_CREATED = "referral-created"
    REFERRAL_UPDATED = "referral-updated"
    RELATED_REFERRAL_CREATED = "related-referral-created"
    RELATED_REFERRAL_UPDATED = "related-referral-updated"
    TEST_CREATED = "test-created"


REFERRAL_EVENTS = frozenset(
    {
        EventName.REFERRAL_CREATED,
        EventName.REFERRAL_UPDATED,
        EventName.RELATED_REFERRAL_CREATED,
        EventName.RELATED_REFERRAL_UPDATED,
    }
)


@dataclass(frozen=True)
class PartnerCenterEvent:
    name: str  # an EventName value, or a name Partner Center added later (kept, ignored)
    resource_uri: str
    resource_name: str
    audit_uri: str | None
    changed_at: datetime  # ResourceChangeUtcDate, timezone-aware

    @property
    def resource_id(self) -> str:
        """The last path segment of `ResourceUri`: the referral id for referral events."""
        path = urlsplit(self.resource_uri).path.rstrip("/")
        return path.rsplit("/", 1)[-1]

    @property
    def dedupe_key(self) -> str:
        """The same change delivered again (a retry, a replay) has the same key."""
        text = f"{self.name}\n{self.resource_uri}\n{self.changed_at.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()


class EventSink(Protocol):
    """What the event endpoint hands a verified, first-seen event to (in the background)."""

    async def handle(self, event: PartnerCenterEvent) -> None: ...
