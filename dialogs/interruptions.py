"""Cancel and help at any step of any dialog (botbuilder's CancelAndHelpDialog pattern)."""

from __future__ import annotations

from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus
from botbuilder.schema import ActivityTypes

from bot.cards.help import render_help_card
from dialogs import replies
from dialogs.grammar.commands import Cancel, Help
from dialogs.outbox import say, show_card
from dialogs.ports import DialogServices
from dialogs.understanding import understand_turn


class CancelAndHelpDialog(ComponentDialog):  # type: ignore[misc]
    """While a dialog waits for an answer, "cancel" ends everything and "help" re-prompts."""

    def __init__(self, dialog_id: str, services: DialogServices) -> None:
        super().__init__(dialog_id)
        self.services = services

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        interrupted = await self._interrupt(inner_dc)
        if interrupted is not None:
            return interrupted
        result: DialogTurnResult = await super().on_continue_dialog(inner_dc)
        return result

    async def _interrupt(self, inner_dc: DialogContext) -> DialogTurnResult | None:
        activity = inner_dc.context.activity
        if activity.type != ActivityTypes.message or not activity.text:
            return None
        command = understand_turn(inner_dc.context, self.services.clock)
        if isinstance(command, Cancel):
            await say(inner_dc.context, replies.CANCELLED)
            cancelled: DialogTurnResult = await inner_dc.cancel_all_dialogs()
            return cancelled
        if isinstance(command, Help):
            await show_card(inner_dc.context, render_help_card(replies.HELP_EXAMPLES))
            await inner_dc.reprompt_dialog()
            return DialogTurnResult(DialogTurnStatus.Waiting)
        return None
