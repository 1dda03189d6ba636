"""Commands that never ask a question run in the root dialog's own step: "show 123", "mark 123
won", "set the deal value of 4711 to 150k".

By id, with no team member to complete, nothing is ever asked, so the child dialogs would begin
and end within the turn. Beginning and ending them (four dialogs, two waterfalls) cost more CPU
than the command itself (`make bench`). The children call the same functions, so both paths
say and change exactly the same things; names, "it" and questions still go through them.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.cards.referral import render_referral_card
from bot.domain.referral import Referral, Versioned
from dialogs import replies
from dialogs.bulk_proposal import propose_changes
from dialogs.grammar.commands import (
    AskAboutReferral,
    Command,
    LeadAlerts,
    PostLeadsHere,
    RefKind,
    ShowReferral,
    UpdateReferral,
    UpdateReferrals,
)
from dialogs.lead_alerts import run_alert_command
from dialogs.members import first_incomplete
from dialogs.outbox import say, show_card
from dialogs.ports import DialogServices
from dialogs.proposal import propose_change
from dialogs.resolve_referral_dialog import load_by_id
from dialogs.seller_memory import SellerMemory
from dialogs.turn_facts import seller_now


def is_one_shot(command: Command) -> bool:
    match command:
        case ShowReferral(ref=ref) | AskAboutReferral(ref=ref):
            return ref.kind is RefKind.ID
        case UpdateReferral(ref=ref, intent=intent):
            return ref.kind is RefKind.ID and first_incomplete(intent.add_members) is None
        case UpdateReferrals():  # issue 16 §4: ids only, no team member to ask about
            return True
        case PostLeadsHere() | LeadAlerts():  # issue 17: said once, answered at once
            return True
    return False


async def run_one_shot(
    context: TurnContext, services: DialogServices, memory: SellerMemory, command: Command
) -> None:
    if isinstance(command, UpdateReferrals):
        await propose_changes(context, services, command)
        return
    if isinstance(command, PostLeadsHere | LeadAlerts):
        await run_alert_command(context, services, command)
        return
    if not isinstance(command, ShowReferral | AskAboutReferral | UpdateReferral) or not is_one_shot(
        command
    ):
        raise ValueError("run_one_shot is only for commands that is_one_shot() accepts")
    loaded = await load_by_id(context, services, memory, command.ref.text)
    if loaded is None:
        return
    if isinstance(command, ShowReferral):
        await show_referral(context, services, loaded)
    elif isinstance(command, AskAboutReferral):
        await answer_question(context, services, loaded, command)
    else:
        await propose_change(context, services, loaded, command.intent)


async def show_referral(
    context: TurnContext, services: DialogServices, loaded: Versioned[Referral]
) -> None:
    await show_card(context, render_referral_card(loaded.value, portal_url=services.portal_url))


async def answer_question(
    context: TurnContext,
    services: DialogServices,
    loaded: Versioned[Referral],
    question: AskAboutReferral,
) -> None:
    """The answer in one sentence, then the card: a question never proposes a change."""
    now = seller_now(context.activity, services.clock)
    await say(context, replies.answer(question, loaded.value, now))
    await show_referral(context, services, loaded)
