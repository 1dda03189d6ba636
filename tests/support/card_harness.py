"""Card actions over the real Referrals emulator: real adapter, real store, fake clock/sign-in.

`Harness.propose` stores a pending change the way the dialogs do (GET, plan, put), and
`Harness.click` sends a Teams-shaped `adaptiveCard/action` invoke through `CardActions.dispatch`.
tests/card_actions builds one per test; tests/system/statemachine builds its worlds from it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.card_actions.verbs import CardActions
from bot.cards.confirm_change import CONFIRM_VERB, Proposer, render_confirm_card
from bot.domain.assertion import UserAssertion
from bot.domain.change import plan_change
from bot.domain.intent import ChangeIntent
from bot.domain.pending import PendingChange, PendingState
from bot.state.pending_changes import MemoryPendingChanges
from dialogs.ports import DialogServices
from dialogs.turn_facts import tenant_of
from emulators.fixtures import FixtureUser
from tests.support.activities import TeamsConversation, TeamsUser, make_card_invoke
from tests.support.cards import assert_valid_card
from tests.support.emulator_controls import clear_faults
from tests.support.emulators import SELLER
from tests.support.partner_center import EmulatorControl, assertion_for
from tests.support.world import NOW

PORTAL = "https://partner.example/referrals"


@dataclass
class FakeClock:
    current: datetime = NOW

    def now(self) -> datetime:
        return self.current


@dataclass
class ActivityAssertions:
    """The clicker's assertion from the activity; ids in `signed_out` have none."""

    signed_out: set[str] = field(default_factory=set)

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        user_id = turn_context.activity.from_property.aad_object_id
        if user_id in self.signed_out:
            return None
        tenant = tenant_of(turn_context.activity)
        return UserAssertion(tenant_id=tenant, user_id=user_id, token=f"sso-{user_id}")


@dataclass
class Harness:
    services: DialogServices
    actions: CardActions
    clock: FakeClock
    assertions: ActivityAssertions
    store: MemoryPendingChanges
    control: EmulatorControl
    session: aiohttp.ClientSession
    referrals_base_url: str

    async def propose(
        self,
        referral_id: str,
        intent: ChangeIntent,
        *,
        user: FixtureUser = SELLER,
        in_group: bool = False,
    ) -> PendingChange:
        """`in_group`: as proposed in a channel, with the card everyone sees stored along."""
        loaded = await self.services.referrals.get(referral_id, user=assertion_for(user))
        change = plan_change(loaded.value, intent, now=self.clock.now())
        pending = PendingChange(
            id=secrets.token_urlsafe(16),
            proposer_id=user.oid,
            proposer_name=user.name,
            tenant_id=user.tenant_id,
            conversation_id="a:chat",
            referral_id=referral_id,
            etag=loaded.etag,
            intent=change.intent,
            operations=change.operations,
            created_at=self.clock.now(),
            expires_at=self.clock.now() + self.services.pending_ttl,
        )
        if in_group:
            proposer = Proposer(user.name, TeamsUser.of(user).id)
            card = render_confirm_card(change, pending_id=pending.id, proposer=proposer)
            pending = replace(pending, card=card)
        await self.services.pending.put(pending)
        return pending

    async def click(
        self,
        pending_id: str,
        *,
        verb: str = CONFIRM_VERB,
        user: FixtureUser | TeamsUser = SELLER,
        conversation: TeamsConversation | None = None,
    ) -> dict[str, Any]:
        data = {"pendingId": pending_id}
        activity = make_card_invoke(verb, data, user=user, conversation=conversation)
        body = await self.actions.dispatch(TurnContext(TestAdapter(), activity), verb, data)
        if body["type"] == "application/vnd.microsoft.card.adaptive":
            assert_valid_card(body["value"])
        return body

    async def state(self, pending_id: str) -> PendingState | None:
        stored = await self.store.get(pending_id)
        return stored.state if stored else None

    async def clear_faults(self) -> None:
        await clear_faults(self.session, self.referrals_base_url)

    async def patches(self) -> list[int | None]:
        """The status of every PATCH the emulator received, oldest first."""
        return [entry["status"] for entry in await self.control.requests("PATCH")]
