"""Production until Teams SSO lands (issue 5): no assertion, so the dialogs ask to sign in."""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.domain.assertion import UserAssertion


class NoSignInAssertions:
    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        return None
