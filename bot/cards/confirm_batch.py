"""One confirm card for several referrals (issue 16 §4), and the card listing what each became.

The buttons carry only the batch's opaque id, like a single change's card
(`bot/cards/confirm_change.py`): which referrals, their eTags and operations stay in the
pending-change store. Referrals the change cannot apply to are named with the reason, and left
out of the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot.cards import summary
from bot.cards.confirm_change import (
    IRREVERSIBLE,
    LABEL_LIMIT,
    PATCH_ELEMENT_ID,
    PROPOSER_LIMIT,
    Proposer,
    confirm_buttons,
    for_group,
    referral_heading,
    waiting_for,
)
from bot.cards.elements import (
    Element,
    action_set,
    adaptive_card,
    container,
    text_block,
)
from bot.cards.text import inert, json_size
from bot.domain.change import FieldChange, ReferralChange
from bot.domain.pending import PendingChange
from bot.domain.referral import Referral

MAX_REFERRALS = 10  # more than this asks the seller to narrow the list
REASON_LIMIT = 300
# One line per field, and fewer of them, than a single change's card: ten referrals must fit.
VALUE_LIMIT = 120
MAX_FIELDS = 5
FRESH_CARDS_BUDGET = 18_000  # bytes of fresh confirm cards a result card may carry
SKIPPED_TITLE = "Not included:"


@dataclass(frozen=True)
class Skipped:
    """A referral named in the request that the change cannot apply to, and why."""

    label: str  # "Contoso Azure (referral 123)" or just the id when it could not be read
    reason: str


@dataclass(frozen=True)
class ItemResult:
    """What Confirm did to one referral of the batch; `fresh` is a new confirm card for it."""

    label: str
    said: str
    style: Literal["default", "good", "warning", "attention"] = "default"
    fresh: Element | None = None


def referral_label(referral: Referral) -> str:
    return f"{summary.deal_name(referral)} (referral {summary.referral_id(referral)})"


def render_batch_confirm_card(
    changes: Sequence[ReferralChange],
    skipped: Sequence[Skipped],
    *,
    pending_id: str,
    proposer: Proposer | None = None,
) -> Element:
    """Without `proposer`: the one-to-one chat's card. With it: a group conversation's, without
    buttons (`bot.cards.confirm_change.proposer_view` adds `batch_buttons` for the proposer)."""
    count = len(changes)
    what = "this change" if count == 1 else f"these {count} changes"
    if proposer is None:
        heading = f"Please confirm {what}"
        body: list[Element] = [text_block(heading, heading=True)]
    else:
        name = inert(proposer.name, limit=PROPOSER_LIMIT) or "Someone"
        heading = f"{name} proposes {what}"
        body = [text_block(heading, heading=True), waiting_for(proposer)]
    for change in changes:
        items = [*referral_heading(change.before), *_field_lines(change.fields)]
        items.extend(
            text_block(inert(warning, limit=REASON_LIMIT), style="attention")
            for warning in change.warnings[:2]
        )
        body.append(container(items, separator=True))
    body.extend(_skipped(skipped))
    if any(change.irreversible for change in changes):
        body.append(text_block(IRREVERSIBLE, style="attention"))
    if proposer is None:
        return adaptive_card(body, batch_buttons(pending_id, count), summary=heading)
    return for_group(adaptive_card(body, summary=heading), pending_id, proposer)


def batch_buttons(pending_id: str, count: int) -> list[Element]:
    return confirm_buttons(pending_id, confirm="Confirm" if count == 1 else f"Confirm all {count}")


def buttons_for(pending: PendingChange) -> list[Element]:
    """Confirm and Cancel for a pending change, or for a batch of them."""
    if pending.is_batch:
        return batch_buttons(pending.id, len(pending.batch_items))
    return confirm_buttons(pending.id)


def _field_lines(fields: Sequence[FieldChange]) -> list[Element]:
    lines = [
        text_block(
            f"{inert(field.label, limit=LABEL_LIMIT)}: {inert(field.before, limit=VALUE_LIMIT)}"
            f" → {inert(field.after, limit=VALUE_LIMIT)}"
        )
        for field in fields[:MAX_FIELDS]
    ]
    hidden = len(fields) - MAX_FIELDS
    if hidden > 0:
        lines.append(text_block(f"…and {hidden} more.", subtle=True))
    return lines


def _skipped(skipped: Sequence[Skipped]) -> list[Element]:
    if not skipped:
        return []
    lines = [text_block(SKIPPED_TITLE, bold=True)] + [
        text_block(inert(f"{item.label}: {item.reason}", limit=REASON_LIMIT), subtle=True)
        for item in skipped
    ]
    return [container(lines, separator=True)]


def render_batch_result_card(
    results: Sequence[ItemResult], *, title: str = "Your changes"
) -> Element:
    """Each referral's outcome in the order confirmed; a fresh confirm card under each one that
    someone else changed meanwhile, while they fit (the rest are asked again)."""
    body: list[Element] = [text_block(inert(title, limit=REASON_LIMIT), heading=True)]
    budget = FRESH_CARDS_BUDGET
    for result in results:
        items: list[Element] = [
            text_block(inert(result.label, limit=REASON_LIMIT), bold=True),
            text_block(inert(result.said, limit=2 * REASON_LIMIT), style=result.style),
        ]
        if result.fresh is not None:
            embedded = embeddable(result.fresh)
            size = sum(json_size(element) for element in embedded)
            if size <= budget:
                items.extend(embedded)
                budget -= size
            else:
                items.append(text_block(ASK_AGAIN, subtle=True))
        body.append(container(items, separator=True))
    return adaptive_card(body, summary=inert(title, limit=REASON_LIMIT))


ASK_AGAIN = "Ask me again for this referral to see what your change would do now."


def embeddable(card: Element) -> list[Element]:
    """A confirm card's body and buttons as elements of another card: without the folded JSON
    Patch, whose element id would repeat in a card holding two of them."""
    body: list[Any] = card.get("body", [])
    kept = [element for element in body if not _is_patch_section(element)]
    actions = card.get("actions", [])
    return kept + ([action_set(actions)] if actions else [])


def _is_patch_section(element: Element) -> bool:
    if element.get("id") == PATCH_ELEMENT_ID:
        return True
    actions = element.get("actions", []) if element.get("type") == "ActionSet" else []
    return any(action.get("type") == "Action.ToggleVisibility" for action in actions)
