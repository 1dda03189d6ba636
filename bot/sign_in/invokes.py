"""Teams' sign-in answers (`signin/verifyState`, `signin/tokenExchange`, `tokens/response`).

They belong to the sign-in dialog waiting in `OAuthPrompt`: run the root dialog for them, as
for a message. `TeamsActivityHandler` answers them 501 by default. Mixed into `ReferralBot`.
"""

from __future__ import annotations

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import Dialog, DialogExtensions


class SignInInvokes:
    _dialog: Dialog
    _dialog_state: StatePropertyAccessor

    async def on_sign_in_invoke(self, turn_context: TurnContext) -> None:
        await DialogExtensions.run_dialog(self._dialog, turn_context, self._dialog_state)

    async def on_teams_signin_token_exchange(self, turn_context: TurnContext) -> None:
        await self.on_sign_in_invoke(turn_context)

    async def on_token_response_event(self, turn_context: TurnContext) -> None:
        await DialogExtensions.run_dialog(self._dialog, turn_context, self._dialog_state)
