"""The confirm card: exactly what will change, old → new, before anything is written.

The buttons carry only the pending change's opaque id. The operations, eTag and proposer stay in
the pending-change store, so a forged or replayed card payload can't change what gets applied.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.cards import summary
from bot.cards.elements import (
    Element,
    action_set,
    adaptive_card,
    columns,
    container,
    execute,
    text_block,
    toggle,
)
from bot.cards.text import inert, json_size, shorten
from bot.domain.change import FieldChange, ReferralChange
from bot.domain.referral import Referral

CONFIRM_VERB = "referral.confirm"
CANCEL_VERB = "referral.cancel"
PATCH_ELEMENT_ID = "confirm-patch"

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


def render_confirm_card(
    change: ReferralChange,
    *,
    pending_id: str,
    proposer_name: str | None = None,
    notice: str | None = None,
) -> Element:
    """`proposer_name` is given in channels, where anyone can see the card but only the
    proposer may confirm it."""
    body: list[Element] = []
    if notice:
        body.append(container([text_block(inert(notice, limit=NOTICE_LIMIT))], style="warning"))
    body.append(text_block("Please confirm this change", heading=True))
    body.extend(referral_heading(change.before))
    body.extend(proposed_by(proposer_name))
    body.extend(_rows(change.fields))
    body.extend(_warnings(change))
    body.extend(_patch(change))
    return adaptive_card(
        body,
        confirm_buttons(pending_id),
        summary=f"Confirm the change to {summary.deal_name(change.before)}",
    )


def referral_heading(referral: Referral) -> list[Element]:
    """Which referral a change is for: its deal name, then customer and id."""
    return [
        text_block(summary.deal_name(referral), bold=True),
        text_block(
            f"{summary.customer(referral)} · referral {summary.referral_id(referral)}",
            subtle=True,
        ),
    ]


def proposed_by(proposer_name: str | None) -> list[Element]:
    """In a group, who may confirm; nothing in a one-to-one chat."""
    if not proposer_name:
        return []
    name = inert(proposer_name, limit=PROPOSER_LIMIT)
    return [text_block(f"Proposed by {name} — only they can confirm.", subtle=True)]


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
