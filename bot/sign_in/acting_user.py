"""Who is acting in a turn, from the activity's authenticated fields, never from its text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity


@dataclass(frozen=True)
class ActingUser:
    tenant_id: str
    user_id: str  # the AAD object id (`from.aadObjectId`)
    name: str


def _channel_data_tenant(channel_data: Any) -> str | None:
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    tenant_id = tenant.get("id") if isinstance(tenant, dict) else None
    return tenant_id if isinstance(tenant_id, str) and tenant_id else None


def tenant_of(activity: Activity) -> str | None:
    """Teams writes `conversation.tenantId`, which the SDK model (`tenantID`) does not map."""
    conversation = activity.conversation
    extra = getattr(conversation, "additional_properties", None) or {}
    tenant_id = getattr(conversation, "tenant_id", None) or extra.get("tenantId")
    if isinstance(tenant_id, str) and tenant_id:
        return tenant_id
    return _channel_data_tenant(activity.channel_data)


def acting_user(activity: Activity) -> ActingUser | None:
    """The seller behind the activity, or None when Teams did not say (then: no assertion)."""
    sender = activity.from_property
    user_id = getattr(sender, "aad_object_id", None)
    tenant_id = tenant_of(activity)
    if not user_id or not tenant_id:
        return None
    return ActingUser(tenant_id=tenant_id, user_id=user_id, name=getattr(sender, "name", "") or "")
