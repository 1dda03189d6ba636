"""Send text and cards the same way everywhere: text as markdown, cards as attachments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, TextFormatTypes

from bot.cards.choices import render_choices_card


def card_activity(card: dict[str, Any], *, text: str | None = None) -> Activity:
    activity: Activity = MessageFactory.attachment(CardFactory.adaptive_card(card), text=text)
    return activity


def text_activity(text: str) -> Activity:
    """`text` is markdown (dialogs.replies makes what others wrote in it inert): say so."""
    activity: Activity = MessageFactory.text(text)
    activity.text_format = TextFormatTypes.markdown
    return activity


async def say(context: TurnContext, text: str) -> None:
    await context.send_activity(text_activity(text))


async def show_card(context: TurnContext, card: dict[str, Any]) -> None:
    await context.send_activity(card_activity(card))


async def post_card(context: TurnContext, card: dict[str, Any]) -> str | None:
    """`show_card`, returning the posted message's id (what a later update of it names)."""
    sent = await context.send_activity(card_activity(card))
    return sent.id if sent is not None and sent.id else None


async def say_with_choices(
    context: TurnContext, text: str, choices: Sequence[tuple[str, str]], *, summary: str
) -> None:
    """`text` (markdown, as for `say`) with buttons under it (issue 16 §6): one message, so the
    sentence reads as every other reply and the buttons sit right below it. `summary` is the
    plain sentence, for clients that show no card."""
    if not choices:
        await say(context, text)
        return
    activity = card_activity(render_choices_card(choices, summary=summary), text=text)
    activity.text_format = TextFormatTypes.markdown
    await context.send_activity(activity)
