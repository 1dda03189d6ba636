"""Show one referral as a card, after the answer when the seller asked a question about it; it
becomes "it" for the seller's next message."""

from __future__ import annotations

from botbuilder.dialogs import DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.domain.referral import Referral, Versioned
from dialogs.grammar.commands import AskAboutReferral, ShowReferral
from dialogs.interruptions import CancelAndHelpDialog
from dialogs.one_shot import answer_question, show_referral
from dialogs.ports import DialogServices
from dialogs.resolve_referral_dialog import ResolveOptions, ResolveReferralDialog
from dialogs.seller_memory import SellerMemory

_FLOW = "ShowReferralDialog.flow"


class ShowReferralDialog(CancelAndHelpDialog):
    def __init__(self, services: DialogServices, memory: SellerMemory) -> None:
        super().__init__(ShowReferralDialog.__name__, services)
        self.add_dialog(ResolveReferralDialog(services, memory))
        self.add_dialog(WaterfallDialog(_FLOW, [self._resolve_step, self._show_step]))
        self.initial_dialog_id = _FLOW

    async def _resolve_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        command: ShowReferral | AskAboutReferral = step.options
        return await step.begin_dialog(ResolveReferralDialog.__name__, ResolveOptions(command.ref))

    async def _show_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        loaded: Versioned[Referral] | None = step.result
        command: ShowReferral | AskAboutReferral = step.options
        if loaded is not None and isinstance(command, AskAboutReferral):
            await answer_question(step.context, self.services, loaded, command)
        elif loaded is not None:
            await show_referral(step.context, self.services, loaded)
        return await step.end_dialog(loaded)
