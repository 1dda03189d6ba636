"""What a turn's activity says about the seller: who, which tenant, which time zone, where.

Teams puts some of it in places the SDK model does not map (`tenantId` on the conversation,
`clientInfo` entities), so the lookups are tolerant and never raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.domain.assertion import UserAssertion
from bot.domain.errors import NotSignedInError
from bot.domain.time_zones import known_zone, zone_or_utc
from dialogs import replies
from dialogs.ports import Clock, DialogServices

_GROUP_CONVERSATIONS = frozenset({"channel", "groupchat"})


@dataclass(frozen=True)
class Seller:
    user_id: str  # the AAD object id when Teams sends one
    name: str
    tenant_id: str
    conversation_id: str
    in_group: bool  # a channel or group chat: others see the cards too
    teams_id: str = ""  # Teams' id of the user ("29:…", the MRI): a card refresh's `userIds`


def seller_of(activity: Activity) -> Seller:
    sender = activity.from_property
    conversation = activity.conversation
    conversation_type = str(getattr(conversation, "conversation_type", None) or "")
    return Seller(
        user_id=str(getattr(sender, "aad_object_id", None) or getattr(sender, "id", "") or ""),
        name=str(getattr(sender, "name", None) or ""),
        tenant_id=tenant_of(activity),
        conversation_id=str(getattr(conversation, "id", "") or ""),
        in_group=conversation_type.casefold() in _GROUP_CONVERSATIONS,
        teams_id=str(getattr(sender, "id", "") or ""),
    )


def tenant_of(activity: Activity) -> str:
    conversation = activity.conversation
    tenant = getattr(conversation, "tenant_id", None)
    if not tenant:
        extra = getattr(conversation, "additional_properties", None) or {}
        tenant = extra.get("tenantId")
    if not tenant:
        tenant = _channel_data_tenant(activity.channel_data)
    return str(tenant or "")


def _channel_data_tenant(channel_data: Any) -> str | None:
    if isinstance(channel_data, dict):
        tenant = channel_data.get("tenant")
        if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
            return str(tenant["id"])
    return None


def seller_time_zone(activity: Activity) -> tzinfo:
    """The seller's time zone as this turn says it (`time_zone_name`); UTC when it says none."""
    return zone_or_utc(time_zone_name(activity))


def time_zone_name(activity: Activity) -> str | None:
    """The seller's IANA time zone, also stored for later (issue 17: a lead's countdown, a
    digest's hour): `localTimezone`, else clientInfo's; None when neither names a known zone."""
    for name in (getattr(activity, "local_timezone", None), _client_info_time_zone(activity)):
        if isinstance(name, str) and known_zone(name) is not None:
            return name
    return None


def _client_info_time_zone(activity: Activity) -> str | None:
    for entity in activity.entities or ():
        if getattr(entity, "type", None) != "clientInfo":
            continue
        extra = getattr(entity, "additional_properties", None) or {}
        name = extra.get("timezone")
        return name if isinstance(name, str) and name else None
    return None


def seller_now(activity: Activity, clock: Clock) -> datetime:
    """'Now' as the seller sees it: relative dates ("tomorrow") mean their calendar day."""
    return clock.now().astimezone(seller_time_zone(activity))


async def require_user(context: TurnContext, services: DialogServices) -> UserAssertion:
    """The seller's assertion for this turn; never stored in state, asked for every turn."""
    user = await services.assertions.assertion(context)
    if user is None:
        raise NotSignedInError(replies.SIGN_IN)
    return user
