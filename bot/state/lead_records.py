"""The lead alerts' records in the bot's own storage, so every instance and backend shares them.

`StorageLeadRecords` implements `bot.domain.leads.LeadRecords` on botbuilder's `Storage`, which
every backend provides (memory, SQLite, Azure Blob): one module, three backends. Three kinds of
item, named by a SHA-256 so no referral or user id appears in a key, a blob name or a log line:
- `lead-decision/<sha>`: how a lead was decided through a card (who, when, what, why);
- `lead-offer/<sha>`: the Accept/Decline pending-change ids on one recipient's card;
- `lead-reader`: the seller last seen reading a referral they are not on the team of.
Each is written whole ("*": last writer wins). A decision is written once in practice: only one
Accept or Decline can be applied (If-Match), and only then is it recorded.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any

from botbuilder.core import Storage

from bot.domain.leads import LeadDecision, LeadOffer, LeadOutcome

logger = logging.getLogger(__name__)
_DECISION = "lead-decision/"
_OFFER = "lead-offer/"
_READER = "lead-reader"


class StorageLeadRecords:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def decision(self, referral_id: str) -> LeadDecision | None:
        item = await self._read(_DECISION + _digest(referral_id))
        try:
            return None if item is None else _decision(referral_id, item)
        except (KeyError, TypeError, ValueError):
            logger.warning("state.lead_decision.unreadable: ignored")
            return None

    async def decide(self, decision: LeadDecision) -> None:
        item = {
            "outcome": decision.outcome.value,
            "decided_at": None if decision.decided_at is None else decision.decided_at.isoformat(),
            "by_name": decision.by_name,
            "by_user_id": decision.by_user_id,
            "reason": decision.reason,
            "substatus": decision.substatus,
        }
        await self._write(_DECISION + _digest(decision.referral_id), item)

    async def offer(self, referral_id: str, user_id: str) -> LeadOffer | None:
        item = await self._read(_OFFER + _digest(referral_id, user_id))
        if item is None:
            return None
        try:
            ids = (str(item["accept_id"]), str(item["decline_id"]), str(item["etag"]))
        except KeyError:
            logger.warning("state.lead_offer.unreadable: ignored")
            return None
        return LeadOffer(referral_id, user_id, *ids)

    async def offer_made(self, offer: LeadOffer) -> None:
        item = {"accept_id": offer.accept_id, "decline_id": offer.decline_id, "etag": offer.etag}
        await self._write(_OFFER + _digest(offer.referral_id, offer.user_id), item)

    async def reader(self) -> tuple[str, str] | None:
        item = await self._read(_READER)
        tenant, user = (item or {}).get("tenant_id"), (item or {}).get("user_id")
        return (tenant, user) if isinstance(tenant, str) and isinstance(user, str) else None

    async def remember_reader(self, tenant_id: str, user_id: str) -> None:
        await self._write(_READER, {"tenant_id": tenant_id, "user_id": user_id})

    async def forget_reader(self) -> None:
        await self._storage.delete([_READER])

    async def _read(self, key: str) -> dict[str, Any] | None:
        item = (await self._storage.read([key])).get(key)
        return item if isinstance(item, dict) else None

    async def _write(self, key: str, item: dict[str, Any]) -> None:
        await self._storage.write({key: {**item, "e_tag": "*"}})


def _digest(*parts: str) -> str:
    joined = "\n".join(parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _decision(referral_id: str, item: dict[str, Any]) -> LeadDecision:
    decided_at = item.get("decided_at")
    reason, substatus = item.get("reason"), item.get("substatus")
    return LeadDecision(
        referral_id=referral_id,
        outcome=LeadOutcome(item["outcome"]),
        decided_at=datetime.fromisoformat(decided_at) if isinstance(decided_at, str) else None,
        by_name=str(item.get("by_name") or ""),
        by_user_id=str(item.get("by_user_id") or ""),
        reason=reason if isinstance(reason, str) else None,
        substatus=substatus if isinstance(substatus, str) else None,
    )
