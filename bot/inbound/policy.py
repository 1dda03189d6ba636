"""Who may use the bot at all: tenants allowed, and guests/anonymous users kept out.

Checked by `ReferralBot` before any dialog or card action runs, so a refused activity makes
zero Partner Center calls. Decisions (docs/configuration.md, "Tenants and guests"):
- Tenant = `channelData.tenant.id` (Teams' tenant of the conversation), else
  `conversation.tenantId`. Allowed = `allowed_tenants` plus the bot's own `app_tenant_id`.
  Nothing configured: production refuses every tenant (and warns at startup); demo allows any.
- A user without `from.aadObjectId` (anonymous meeting participant) is always refused: the bot
  acts on behalf of an Entra user and has none. A user Teams marks `userRole` `guest` or
  `anonymous` is refused unless `allow_guests`: guests may neither read nor write referrals.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bot.inbound.replies import GUEST_REFUSAL, TENANT_REFUSAL
from bot.settings import Mode, Settings

logger = logging.getLogger(__name__)

GUEST_ROLES = frozenset({"guest", "anonymous"})


def _tenant_id(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    return getattr(activity.conversation, "tenant_id", None) or None


def _user_role(sender: Any) -> str:
    role = getattr(sender, "role", None) or ""
    extra = getattr(sender, "additional_properties", None) or {}
    return str(extra.get("userRole") or role).casefold()


@dataclass(frozen=True)
class TenantPolicy:
    allowed_tenants: frozenset[str]
    allow_any_tenant: bool = False
    allow_guests: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> TenantPolicy:
        bot = settings.bot
        allowed = frozenset(t for t in [*bot.allowed_tenants, bot.app_tenant_id] if t)
        any_tenant = not allowed and settings.mode is Mode.DEMO
        if not allowed and not any_tenant:
            logger.warning(
                "policy.no_tenants: every tenant is refused; set "
                "REFERRAL_BOT_BOT__ALLOWED_TENANTS or MicrosoftAppTenantId"
            )
        return cls(allowed, any_tenant, bot.allow_guests)

    def refusal(self, activity: Activity) -> str | None:
        """The polite text to answer instead of running the turn, or None when it may run."""
        tenant = _tenant_id(activity)
        if not self.allow_any_tenant and tenant not in self.allowed_tenants:
            logger.info("policy.refused reason=tenant")
            return TENANT_REFUSAL
        sender = activity.from_property
        if not getattr(sender, "aad_object_id", None):
            logger.info("policy.refused reason=anonymous")
            return GUEST_REFUSAL
        if not self.allow_guests and _user_role(sender) in GUEST_ROLES:
            logger.info("policy.refused reason=guest")
            return GUEST_REFUSAL
        return None
