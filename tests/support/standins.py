"""Stand-ins for the root dialog and the card actions: they prove the runtime, not the product.

`StandInDialog` echoes, runs a two-turn prompt ("start" -> name -> thanks), fails on demand
("boom"), and reads a referral through the real port ("show <id>": assertion -> OBO -> client).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botbuilder.core import MessageFactory, StatePropertyAccessor, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    PromptOptions,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)

from dialogs.ports import DialogServices

FAULT_TEXT = "kaboom with secret eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


class StandInDialog(ComponentDialog):  # type: ignore[misc]
    def __init__(self, services: DialogServices, memory: StatePropertyAccessor) -> None:
        super().__init__("StandInDialog")
        self._services = services
        self.add_dialog(TextPrompt("name"))
        self.add_dialog(WaterfallDialog("flow", [self._first, self._second]))
        self.initial_dialog_id = "flow"

    async def _first(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.context.activity.text or ""
        if text == "start":
            prompt = PromptOptions(prompt=MessageFactory.text("What's your name?"))
            return await step.prompt("name", prompt)
        if text == "boom":
            raise RuntimeError(FAULT_TEXT)
        if text.startswith("show "):
            await self._show(step.context, text.removeprefix("show "))
        else:
            await step.context.send_activity(f"echo: {text}")
        return await step.end_dialog()

    async def _second(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result == "boom":
            raise RuntimeError(FAULT_TEXT)
        await step.context.send_activity(f"Thanks, {step.result}")
        return await step.end_dialog()

    async def _show(self, context: TurnContext, referral_id: str) -> None:
        user = await self._services.assertions.assertion(context)
        if user is None:
            await context.send_activity("please sign in")
            return
        found = await self._services.referrals.get(referral_id, user=user)
        await context.send_activity(f"{found.value.id}: {found.value.name}")


class StandInCardActions:
    def __init__(self, services: DialogServices) -> None:
        self.services = services

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        if verb == "test.explode":
            raise RuntimeError(FAULT_TEXT)
        card = {
            "type": "AdaptiveCard",
            "version": "1.5",
            "body": [{"type": "TextBlock", "text": f"{verb} {dict(data)}"}],
        }
        return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}
