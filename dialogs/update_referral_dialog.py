"""Change a referral: find it, complete the people being added, plan, and show the confirm card.

The dialog ENDS once the card is out: the Confirm click is an invoke handled by the card
actions, so a restart or other turns in between do not matter.
"""

from __future__ import annotations

from dataclasses import replace

from botbuilder.dialogs import DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.domain.intent import MemberSpec
from bot.domain.list_kinds import ListKind
from bot.domain.referral import Referral, Versioned
from dialogs.grammar.commands import UpdateReferral
from dialogs.interruptions import CancelAndHelpDialog
from dialogs.member_details_dialog import MemberDetailsDialog
from dialogs.members import fill_from_colleagues, first_incomplete
from dialogs.ports import DialogServices
from dialogs.proposal import propose_change
from dialogs.resolve_referral_dialog import ResolveOptions, ResolveReferralDialog
from dialogs.seller_memory import SellerMemory
from dialogs.turn_facts import require_user, seller_now

_FLOW = "UpdateReferralDialog.flow"
_LOADED = "loaded"  # the referral as loaded, for a step that runs in the same turn only


class UpdateReferralDialog(CancelAndHelpDialog):
    def __init__(self, services: DialogServices, memory: SellerMemory) -> None:
        super().__init__(UpdateReferralDialog.__name__, services)
        self.add_dialog(ResolveReferralDialog(services, memory))
        self.add_dialog(MemberDetailsDialog(services))
        self.add_dialog(
            WaterfallDialog(_FLOW, [self._resolve_step, self._members_step, self._propose_step])
        )
        self.initial_dialog_id = _FLOW

    async def _resolve_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        command: UpdateReferral = step.options
        return await step.begin_dialog(ResolveReferralDialog.__name__, ResolveOptions(command.ref))

    async def _members_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        loaded: Versioned[Referral] | None = step.result
        if loaded is None:
            return await step.end_dialog(None)
        command: UpdateReferral = step.options
        members = command.intent.add_members
        if first_incomplete(members) is not None:
            members = await self._with_known_colleagues(step, members)
        if first_incomplete(members) is None:  # no question: the next step runs in this turn
            step.values[_LOADED] = loaded
            return await step.next(members)
        # Kept as JSON so the dialog state stays plain data while we ask questions.
        step.values["referral"] = loaded.value.to_document()
        step.values["etag"] = loaded.etag
        return await step.begin_dialog(MemberDetailsDialog.__name__, members)

    async def _with_known_colleagues(
        self, step: WaterfallStepContext, members: tuple[MemberSpec, ...]
    ) -> tuple[MemberSpec, ...]:
        user = await require_user(step.context, self.services)
        now = seller_now(step.context.activity, self.services.clock)
        mine = await self.services.referrals.list(ListKind.MY_OPEN, user=user, now=now)
        return fill_from_colleagues(members, mine)

    async def _propose_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        command: UpdateReferral = step.options
        intent = replace(command.intent, add_members=tuple(step.result or ()))
        loaded: Versioned[Referral] | None = step.values.pop(_LOADED, None)
        if loaded is None:  # the seller answered questions: the referral was kept as JSON
            loaded = Versioned(Referral.from_document(step.values["referral"]), step.values["etag"])
        await propose_change(step.context, self.services, loaded, intent)
        return await step.end_dialog(None)
