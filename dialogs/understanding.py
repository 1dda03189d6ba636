"""Turn the seller's message into a Command, with their calendar day as "today"."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from dialogs.grammar.commands import (
    AskAboutReferral,
    Command,
    ReferralRef,
    ShowReferral,
    UpdateReferral,
)
from dialogs.grammar.normalize import normalize
from dialogs.grammar.parser import parse_command
from dialogs.ports import Clock
from dialogs.turn_facts import seller_now


def understand(activity: Activity, clock: Clock) -> Command:
    """Pure apart from the clock; the parser strips a leftover @mention itself."""
    today = seller_now(activity, clock).date()
    command: Command = parse_command(activity.text or "", today=today)
    return command


_UNDERSTOOD = "dialogs.understood"  # turn_state: (text, command) of this turn's last parse


def understand_turn(context: TurnContext, clock: Clock) -> Command:
    """`understand`, parsed once per turn and text: the quick path and the dialogs share it."""
    text = context.activity.text
    kept = context.turn_state.get(_UNDERSTOOD)
    if kept is not None and kept[0] == text:
        command: Command = kept[1]
        return command
    command = understand(context.activity, clock)
    context.turn_state[_UNDERSTOOD] = (text, command)
    return command


def understand_reference(activity: Activity, clock: Clock) -> ReferralRef | None:
    """An answer to "which referral?": the grammar reads it as the object of "show"."""
    command = understand(activity, clock)
    if not isinstance(command, ShowReferral | AskAboutReferral | UpdateReferral):
        today = seller_now(activity, clock).date()
        command = parse_command(f"show {activity.text or ''}", today=today)
    return (
        command.ref
        if isinstance(command, ShowReferral | AskAboutReferral | UpdateReferral)
        else None
    )


def clean_answer(text: object) -> str:
    """An answer to a question, as typed but without a leftover @mention or typography."""
    return normalize(str(text or ""))
