"""Sign the seller in (Teams SSO, or a sign-in card where SSO is not possible), then retry.

Started by the main dialog when a command needs the seller's token and there is none (or
Partner Center refused it: then the stale token is signed out first, so the prompt really asks).
Only the seller's original message is kept in dialog state, never a token: once
`OAuthPrompt` has the token (magic code, `signin/verifyState` or an SSO token exchange), the
dialog ends with `RetryCommand` and the main dialog runs that message again. The token service
binds a sign-in to the channel user id, so in a channel only the requester can use the card.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.dialogs import (
    ComponentDialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import OAuthPrompt, OAuthPromptSettings, PromptOptions

from dialogs import replies
from dialogs.outbox import say

_PROMPT = "SignInDialog.prompt"
_FLOW = "SignInDialog.flow"
_TEXT = "text"
SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class RetryCommand:
    """The sign-in succeeded: run the seller's original message again."""

    text: str


class SignInDialog(ComponentDialog):  # type: ignore[misc]  # botbuilder ships no types
    def __init__(self, connection_name: str) -> None:
        super().__init__(SignInDialog.__name__)
        settings = OAuthPromptSettings(
            connection_name=connection_name,
            title=replies.SIGN_IN_CARD_TITLE,
            text=replies.SIGN_IN_CARD_TEXT,
            timeout=SIGN_IN_TIMEOUT_MS,
            end_on_invalid_message=True,
        )
        self._prompt = OAuthPrompt(_PROMPT, settings)
        self.add_dialog(self._prompt)
        self.add_dialog(WaterfallDialog(_FLOW, [self._ask, self._signed_in]))
        self.initial_dialog_id = _FLOW

    async def sign_out(self, dc: DialogContext) -> None:
        """Forget the seller's token at the token service (stale token, or `sign out`)."""
        await self._prompt.sign_out_user(dc.context)

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values[_TEXT] = str(step.options or "")
        result: DialogTurnResult = await step.prompt(_PROMPT, PromptOptions())
        return result

    async def _signed_in(self, step: WaterfallStepContext) -> DialogTurnResult:
        token = getattr(step.result, "token", None)
        if not token:
            await say(step.context, replies.NOT_SIGNED_IN)
            ended: DialogTurnResult = await step.end_dialog(None)
            return ended
        await say(step.context, replies.SIGNED_IN)
        retried: DialogTurnResult = await step.end_dialog(RetryCommand(step.values[_TEXT]))
        return retried
