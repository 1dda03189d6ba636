"""The confirm card: exactly what will change, old → new, before anything is written.

The buttons carry only the pending change's opaque id. The operations, eTag and proposer stay in
the pending-change store, so a forged or replayed card payload can't change what gets applied.

In a group conversation (channel, group chat) everyone sees the posted card, but only the
proposer may confirm it: the card posted there has no buttons, says whom it waits for, and
carries a `refresh` that only the proposer's Teams client runs (Teams' user-specific views);
its answer, `proposer_view`, adds Confirm and Cancel for them alone.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards import summary
from bot.cards.elements import (
    Element,
    action_set,
    adaptive_card,
    columns,
    container,
    execute,
    refresh,
    text_block,
    toggle,
)
from bot.cards.text import inert, json_size, shorten
from bot.domain.change import FieldChange, ReferralChange
from bot.domain.referral import Referral

CONFIRM_VERB = "referral.confirm"
CANCEL_VERB = "referral.cancel"
REFRESH_VERB = "confirmRefresh"  # a group card's refresh: which view this viewer gets
PATCH_ELEMENT_ID = "confirm-patch"
WAITING_ELEMENT_ID = "confirm-waiting"

MAX_ROWS = 10
LABEL_LIMIT = 60
VALUE_LIMIT = 400
MAX_WARNINGS = 4
WARNING_LIMIT = 400
NOTICE_LIMIT = 600
PROPOSER_LIMIT = 120
PATCH_LIMIT = 6_000
MIN_PATCH_LINE = 200
MAX_PATCH_LINES = 25

IRREVERSIBLE = "This can't be undone in Partner Center."
PATCH_SHORTENED = "The change is too long to show in full here. Confirm applies all of it."


ONLY_YOU = "Only you can confirm or cancel it."


@dataclass(frozen=True)
class Proposer:
    """Who proposed a change in a group conversation, as the card names and refreshes for them."""

    name: str
    teams_id: str  # the Teams user id ("29:…", the MRI) that a refresh's `userIds` expects


def render_confirm_card(
    change: ReferralChange,
    *,
    pending_id: str,
    proposer: Proposer | None = None,
    notice: str | None = None,
) -> Element:
    """Without `proposer`: the one-to-one chat's card, Confirm and Cancel on it. With it: the
    card a group conversation sees (no buttons; the proposer's refresh fetches them)."""
    body: list[Element] = []
    if notice:
        body.append(container([text_block(inert(notice, limit=NOTICE_LIMIT))], style="warning"))
    deal = summary.deal_name(change.before)
    if proposer is None:
        body.append(text_block("Please confirm this change", heading=True))
        body.extend(referral_heading(change.before))
    else:
        body.append(text_block(f"{_name(proposer)} proposes this change", heading=True))
        body.extend(referral_heading(change.before))
        body.append(waiting_for(proposer))
    body.extend(_rows(change.fields))
    body.extend(_warnings(change))
    body.extend(_patch(change))
    if proposer is None:
        buttons = confirm_buttons(pending_id)
        return adaptive_card(body, buttons, summary=f"Confirm the change to {deal}")
    card = adaptive_card(body, summary=f"{_name(proposer)} proposes a change to {deal}")
    return for_group(card, pending_id, proposer)


def referral_heading(referral: Referral) -> list[Element]:
    """Which referral a change is for: its deal name, then customer and id."""
    return [
        text_block(summary.deal_name(referral), bold=True),
        text_block(
            f"{summary.customer(referral)} · referral {summary.referral_id(referral)}",
            subtle=True,
        ),
    ]


def waiting_for(proposer: Proposer) -> Element:
    """In a group, whom the card waits for (`proposer_view` says it to the proposer instead)."""
    name = _name(proposer)
    line = text_block(f"Waiting for {name} to confirm — only they can.", subtle=True)
    return line | {"id": WAITING_ELEMENT_ID}


def for_group(card: Element, pending_id: str, proposer: Proposer) -> Element:
    """The card with the refresh that only the proposer's Teams client runs (`REFRESH_VERB`)."""
    action = execute("Refresh", REFRESH_VERB, {"pendingId": pending_id})
    user_ids = [proposer.teams_id] if proposer.teams_id else []  # [] : manual refresh only
    return card | {"refresh": refresh(action, user_ids)}


def proposer_view(
    group_card: Element, buttons: Sequence[Element], *, notice: str | None = None
) -> Element:
    """What the proposer's refresh answers: the group card, theirs to confirm or cancel."""
    card = copy.deepcopy(group_card)
    body: list[Element] = card["body"]
    for index, element in enumerate(body):
        if element.get("id") == WAITING_ELEMENT_ID:
            body[index] = text_block(ONLY_YOU, subtle=True) | {"id": WAITING_ELEMENT_ID}
    if notice:
        body.insert(0, container([text_block(inert(notice, limit=NOTICE_LIMIT))], style="warning"))
    card["actions"] = list(buttons)
    return card


def _name(proposer: Proposer) -> str:
    return inert(proposer.name, limit=PROPOSER_LIMIT) or "Someone"


def confirm_buttons(
    pending_id: str, *, confirm: str = "Confirm", cancel: str = "Cancel"
) -> list[Element]:
    """Confirm and Cancel carrying only the opaque id of a pending change (or batch)."""
    data = {"pendingId": pending_id}
    return [
        execute(confirm, CONFIRM_VERB, data, style="positive"),
        execute(cancel, CANCEL_VERB, data),
    ]


def _rows(fields: Sequence[FieldChange]) -> list[Element]:
    header = _row("Field", "Now", "After", subtle=True)
    rows = [header] + [
        _row(
            inert(field.label, limit=LABEL_LIMIT),
            inert(field.before, limit=VALUE_LIMIT, multiline=True),
            inert(field.after, limit=VALUE_LIMIT, multiline=True),
        )
        for field in fields[:MAX_ROWS]
    ]
    hidden = len(fields) - MAX_ROWS
    if hidden > 0:
        rows.append(
            text_block(f"…and {hidden} more, listed in the exact change below.", subtle=True)
        )
    return rows


def _row(label: str, before: str, after: str, *, subtle: bool = False) -> Element:
    return columns(
        ([text_block(label, bold=not subtle, subtle=subtle)], 2),
        ([text_block(before, subtle=True)], 3),
        ([text_block("→", subtle=subtle)], "auto"),
        ([text_block(after, subtle=subtle)], 3),
    )


def _warnings(change: ReferralChange) -> list[Element]:
    lines = [inert(warning, limit=WARNING_LIMIT) for warning in change.warnings[:MAX_WARNINGS]]
    if change.irreversible:
        lines.append(IRREVERSIBLE)
    if not lines:
        return []
    return [container([text_block(line, style="attention") for line in lines], style="attention")]


def _patch(change: ReferralChange) -> list[Element]:
    """The exact JSON Patch, folded away: for the curious and for support, not for everyone.
    One operation per block, since Teams may drop line breaks and indentation inside a block."""
    return [
        action_set([toggle("Show the exact change (JSON Patch)", PATCH_ELEMENT_ID)]),
        container(_patch_lines(change), element_id=PATCH_ELEMENT_ID, visible=False),
    ]


def _patch_lines(change: ReferralChange) -> list[Element]:
    lines: list[Element] = []
    budget, shortened = PATCH_LIMIT, False
    for operation in change.operations[:MAX_PATCH_LINES]:
        line = json.dumps(operation, ensure_ascii=False, default=str)
        text, shortened = shorten(line, limit=budget)
        lines.append(text_block(text, monospace=True))
        budget -= json_size(lines[-1])
        if shortened or budget < MIN_PATCH_LINE:
            break
    if len(lines) < len(change.operations) or shortened:
        lines.append(text_block(PATCH_SHORTENED, subtle=True))
    return lines
