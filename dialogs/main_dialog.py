"""The root dialog: understand the seller's message and route it to the right child dialog.

It is also the one boundary for the errors of `bot.domain.errors`: whatever step fails (not
found aside, which the resolver answers itself), the seller gets a friendly sentence from
`replies`, the dialog stack is cleared, and nothing was changed. Other exceptions are faults and
go to the adapter's on_turn_error.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    DialogTurnStatus,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import ActivityTypes

from bot.cards.help import render_help_card
from bot.domain.errors import NotSignedInError, ReferralBotError, SignInRequiredError
from dialogs import replies
from dialogs.digest_commands import change_digest
from dialogs.grammar.commands import (
    AskAboutReferral,
    Cancel,
    Help,
    LeadAlerts,
    ListReferrals,
    ParseFailure,
    PostLeadsHere,
    SetDigest,
    ShowMore,
    ShowReferral,
    StopDigest,
    UpdateReferral,
    UpdateReferrals,
)
from dialogs.interruptions import CancelAndHelpDialog
from dialogs.one_shot import is_one_shot, run_one_shot
from dialogs.outbox import say, say_with_choices, show_card
from dialogs.ports import DialogServices
from dialogs.referral_lists import show_list, show_more
from dialogs.seller_memory import SellerMemory
from dialogs.show_referral_dialog import ShowReferralDialog
from dialogs.sign_in_dialog import RetryCommand, SignInDialog
from dialogs.suggestions import forget_seller
from dialogs.turn_facts import seller_of
from dialogs.understanding import clean_answer, understand_turn
from dialogs.update_referral_dialog import UpdateReferralDialog

_LOG = logging.getLogger(__name__)
_FLOW = "MainDialog.flow"


class MainDialog(CancelAndHelpDialog):
    """`memory` is a per-(conversation, user) accessor, from PrivateConversationState."""

    def __init__(self, services: DialogServices, memory: StatePropertyAccessor) -> None:
        super().__init__(MainDialog.__name__, services)
        self._memory = SellerMemory(memory)
        self.add_dialog(ShowReferralDialog(services, self._memory))
        self.add_dialog(UpdateReferralDialog(services, self._memory))
        self.add_dialog(WaterfallDialog(_FLOW, [self._understand_step, self._done_step]))
        connection = services.sign_in_connection
        self._sign_in = SignInDialog(connection) if connection else None
        if self._sign_in is not None:
            self.add_dialog(self._sign_in)
        self.initial_dialog_id = _FLOW

    async def on_begin_dialog(self, inner_dc: DialogContext, options: Any) -> DialogTurnResult:
        try:
            result: DialogTurnResult = await super().on_begin_dialog(inner_dc, options)
        except ReferralBotError as error:
            return await self._failed(inner_dc, error)
        return result

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        try:
            if self._is_new_request(inner_dc):
                # A change, a list or a lead-alert setting answers none of our questions.
                await inner_dc.cancel_all_dialogs()
                return await inner_dc.begin_dialog(self.initial_dialog_id)
            result: DialogTurnResult = await super().on_continue_dialog(inner_dc)
            if isinstance(result.result, RetryCommand) and result.result.text:
                # Signed in: run the seller's original message again, as if just sent.
                inner_dc.context.activity.text = result.result.text
                result = await inner_dc.begin_dialog(self.initial_dialog_id)
            return result
        except ReferralBotError as error:
            return await self._failed(inner_dc, error)

    async def run_quick(self, context: TurnContext, dialog_state: StatePropertyAccessor) -> bool:
        """A one-shot command while no dialog waits, without the dialog machinery at all
        (`dialogs.one_shot`); False = run the dialogs as usual. Same replies, same errors."""
        activity = context.activity
        if activity.type != ActivityTypes.message or not (activity.text or "").strip():
            return False
        if self._sign_in is not None and (
            _is_sign_out(activity.text) or _is_sign_in(activity.text)
        ):
            return False
        waiting = await dialog_state.get(context)
        if waiting is not None and getattr(waiting, "dialog_stack", None):
            return False
        command = understand_turn(context, self.services.clock)
        if not is_one_shot(command):
            return False
        try:
            await run_one_shot(context, self.services, self._memory, command)
        except ReferralBotError as error:
            if isinstance(error, SignInRequiredError) and self._sign_in is not None:
                return False  # raised before anything was said: the dialogs start the sign-in
            _LOG.info("dialog stopped: %s", type(error).__name__)
            await say(context, replies.service_error(error))
        return True

    def _is_new_request(self, inner_dc: DialogContext) -> bool:
        activity = inner_dc.context.activity
        if activity.type != ActivityTypes.message or not activity.text:
            return False
        command = understand_turn(inner_dc.context, self.services.clock)
        return isinstance(
            command,
            UpdateReferral
            | ListReferrals
            | UpdateReferrals
            | PostLeadsHere
            | LeadAlerts
            | SetDigest
            | StopDigest,
        )

    async def _failed(self, inner_dc: DialogContext, error: ReferralBotError) -> DialogTurnResult:
        _LOG.info("dialog stopped: %s", type(error).__name__)
        if isinstance(error, SignInRequiredError) and self._sign_in is not None:
            return await self._start_sign_in(inner_dc, error)
        await say(inner_dc.context, replies.service_error(error))
        await inner_dc.cancel_all_dialogs()
        return DialogTurnResult(DialogTurnStatus.Complete)

    async def _start_sign_in(
        self, inner_dc: DialogContext, error: SignInRequiredError
    ) -> DialogTurnResult:
        """Nothing changed; a stale token is signed out so the prompt really asks again."""
        assert self._sign_in is not None
        await inner_dc.cancel_all_dialogs()
        if not isinstance(error, NotSignedInError):  # Partner Center/Entra refused the token
            await say(inner_dc.context, replies.service_error(error))
        await self._sign_in.sign_out(inner_dc)
        text = inner_dc.context.activity.text or ""
        result: DialogTurnResult = await inner_dc.begin_dialog(SignInDialog.__name__, text)
        return result

    async def _sign_out(self, step: WaterfallStepContext) -> DialogTurnResult:
        assert self._sign_in is not None
        await self._sign_in.sign_out(step)
        seller = seller_of(step.context.activity)  # their referral index goes with the token
        await forget_seller(
            self.services.referrals, tenant_id=seller.tenant_id, user_id=seller.user_id
        )
        await say(step.context, replies.SIGNED_OUT)
        return await step.end_dialog(None)

    async def _understand_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        context = step.context
        if self._sign_in is not None and _is_sign_out(context.activity.text):
            return await self._sign_out(step)
        if self._sign_in is not None and _is_sign_in(context.activity.text):
            return await step.begin_dialog(SignInDialog.__name__, "")  # nothing to retry
        if not (context.activity.text or "").strip():
            await say(context, replies.NOT_UNDERSTOOD_EMPTY)
            return await step.end_dialog(None)
        command = understand_turn(context, self.services.clock)
        if is_one_shot(command):  # nothing to ask: no child dialog to begin and end
            await run_one_shot(context, self.services, self._memory, command)
            return await step.end_dialog(None)
        match command:
            case UpdateReferral():
                return await step.begin_dialog(UpdateReferralDialog.__name__, command)
            case ShowReferral() | AskAboutReferral():
                return await step.begin_dialog(ShowReferralDialog.__name__, command)
            case ListReferrals():
                await show_list(context, self.services, self._memory, command.wanted())
            case ShowMore():
                await show_more(context, self.services, self._memory)
            case SetDigest() | StopDigest():
                await change_digest(context, self.services, command)
            case Help():
                await show_card(context, render_help_card(replies.HELP_EXAMPLES))
            case Cancel():
                await say(context, replies.NOTHING_TO_CANCEL)
            case ParseFailure():
                await say_with_choices(
                    context,
                    replies.parse_failure(command),
                    replies.failure_choices(command),
                    summary=command.message,
                )
        return await step.end_dialog(None)

    async def _done_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.end_dialog(None)


def _squashed(text: str | None) -> str:
    return "".join(clean_answer(text).casefold().split()).rstrip(".!")


def _is_sign_out(text: str | None) -> bool:
    """`sign out` (also `signout`, `log out`), handled before the grammar: no referral involved."""
    return _squashed(text) in {"signout", "logout", "logoff", "signoff"}


def _is_sign_in(text: str | None) -> bool:
    """`sign in` (also `login`): e.g. after a Confirm click that needed a fresh sign-in."""
    return _squashed(text) in {"signin", "login", "logon"}
