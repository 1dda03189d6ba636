"""`python -m bench.io_only`: Referral Bot with its own logic taken out of "show" and "mark" turns.

What is left of such a turn is its I/O, done exactly as the product does it: the dedupe claim,
the state read and write, the seller's token, the Partner Center GET, for "mark" the pending
change's put, and a card reply. What goes is the work in between: the grammar, the one-shot
checks, the planning and the card rendering. The first "show" and the first "mark" turn compute
them as usual; later turns reuse that card and that plan (on their own referral and eTag).

`python -m bench.compare --module-b bench.io_only` then measures the cheapest these turns could
be if all of the bot's own logic cost nothing: a floor under any speed-up of that logic. It is
a measuring tool, never a product mode: it answers every seller the same card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import StatePropertyAccessor, TurnContext

from bot.__main__ import main
from bot.cards.confirm_change import render_confirm_card
from bot.cards.referral import render_referral_card
from bot.domain.change import ReferralChange, plan_change
from dialogs.grammar.commands import UpdateReferral
from dialogs.main_dialog import MainDialog
from dialogs.outbox import show_card
from dialogs.proposal import new_pending
from dialogs.turn_facts import require_user, seller_now
from dialogs.understanding import understand_turn

ONLY_IO_FOR = ("show", "mark")  # the first word of the turns whose logic is taken out


@dataclass
class _Kept:
    """What the first turn of each kind computed; later turns send it again."""

    referral_card: dict[str, Any] | None = None
    change: ReferralChange | None = None
    confirm_card: dict[str, Any] | None = None


def install() -> None:
    """Replaces `MainDialog.run_quick` in this process (idempotent per import)."""
    original = MainDialog.run_quick
    kept = _Kept()

    async def run_quick(
        self: MainDialog, context: TurnContext, dialog_state: StatePropertyAccessor
    ) -> bool:
        words = (context.activity.text or "").split()
        if len(words) < 2 or words[0] not in ONLY_IO_FOR:
            return await original(self, context, dialog_state)
        await dialog_state.get(context)  # the real run_quick reads the dialog stack
        services = self.services
        user = await require_user(context, services)
        loaded = await services.referrals.get(words[1], user=user)
        await self._memory.remember_referral(context, loaded.value.id)
        if words[0] == "show":
            if kept.referral_card is None:
                kept.referral_card = render_referral_card(
                    loaded.value, portal_url=services.portal_url
                )
            await show_card(context, kept.referral_card)
            return True
        if kept.change is None:
            command = understand_turn(context, services.clock)
            if not isinstance(command, UpdateReferral):
                raise ValueError(f"bench.io_only: {context.activity.text!r} is not a change")
            now = seller_now(context.activity, services.clock)
            kept.change = plan_change(loaded.value, command.intent, now=now)
        pending = new_pending(context, services, loaded.etag, kept.change)
        await services.pending.put(pending)
        if kept.confirm_card is None:  # the first pending id: the same length as every other
            kept.confirm_card = render_confirm_card(kept.change, pending_id=pending.id)
        await show_card(context, kept.confirm_card)
        return True

    MainDialog.run_quick = run_quick  # type: ignore[method-assign]


if __name__ == "__main__":
    install()
    main()
