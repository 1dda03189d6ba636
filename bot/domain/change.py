"""Plan a change: (current referral, seller's intent) -> RFC 6902 add/replace operations.

Pure: no I/O and no clock (`now` is passed in, in the seller's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jsonpatch
import jsonpointer

from bot.domain.errors import InvalidChangeError, NothingToChangeError, TransitionNotAllowedError
from bot.domain.field_changes import (
    plan_close_date,
    plan_crm_id,
    plan_deal_name,
    plan_deal_value,
    plan_note,
    plan_outcome,
    plan_sales_stage,
)
from bot.domain.intent import ChangeIntent
from bot.domain.patch_ops import apply_ops
from bot.domain.plan_draft import Draft
from bot.domain.referral import Referral
from bot.domain.relative_changes import resolve_relative
from bot.domain.team_changes import plan_team
from bot.domain.transitions import IRREVERSIBLE, can_move, check_open, is_valid_state

WRITABLE_PATHS = frozenset(
    {
        "/status",
        "/substatus",
        "/statusReason",
        "/salesStage",
        "/name",
        "/externalReferenceId",
        "/details",  # only when the referral has no details object yet
        "/details/dealValue",
        "/details/currency",
        "/details/closingDateTime",
        "/details/notes",
        "/team",
        "/team/-",
    }
)


@dataclass(frozen=True)
class FieldChange:
    """One row of the confirm card, in the seller's words."""

    label: str  # "Status", "Deal value", "Close date", "Notes", "Team", …
    before: str  # "Active (Accepted)", "USD 150,000", "—" when empty
    after: str


@dataclass(frozen=True)
class ReferralChange:
    referral_id: str
    intent: ChangeIntent
    operations: tuple[dict[str, Any], ...]  # RFC 6902, "add"/"replace" only, WRITABLE_PATHS only
    before: Referral
    after: Referral  # the after-image: `before` with the operations applied
    fields: tuple[FieldChange, ...]
    warnings: tuple[str, ...] = field(default=())  # e.g. Won within 72 h; a close date in the past
    irreversible: bool = False  # won, lost, declined: Closed is final


def plan_change(referral: Referral, intent: ChangeIntent, *, now: datetime) -> ReferralChange:
    """Raises TransitionNotAllowedError, NothingToChangeError or InvalidChangeError.

    `now` is the seller's current time, time-zone aware: it stamps appended notes, tells past
    close dates apart, and measures the 72 hours after creation.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("plan_change needs a time-zone aware `now`")
    if intent.is_empty:
        raise InvalidChangeError("What would you like to change? For example: “mark 123 won”.")
    only_outcome = intent == ChangeIntent(outcome=intent.outcome)
    check_open(referral, outcome=intent.outcome, only_outcome=only_outcome)
    # The seller's intent is kept (a re-plan after a 412 starts from it); the fields are planned
    # from its absolute reading against this version of the referral.
    absolute = resolve_relative(referral, intent)
    draft = Draft(referral=referral, document=referral.to_document(), now=now)
    plan_outcome(draft, absolute)
    plan_deal_value(draft, absolute.deal_value)
    plan_close_date(draft, absolute.close_date)
    plan_note(draft, absolute.note)
    plan_sales_stage(draft, absolute.sales_stage)
    plan_deal_name(draft, absolute.deal_name)
    plan_crm_id(draft, absolute.external_reference_id)
    plan_team(draft, absolute.add_members, absolute.remove_members)
    return _finish(draft, intent)


def already_applied(referral: Referral, operations: tuple[dict[str, Any], ...]) -> bool:
    """Does this version hold every value the operations write (ours landed, or the same change
    was made)? A relative intent can't tell by re-planning: "+2 weeks" on a version that has
    it would move the date again."""
    try:
        after = Referral.from_document(apply_ops(referral.to_document(), operations, in_place=True))
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, ValueError):
        return False
    return after == referral


def _finish(draft: Draft, intent: ChangeIntent) -> ReferralChange:
    operations = draft.operations()
    if not operations:
        raise NothingToChangeError(draft.nothing_to_change())
    # draft.document was built for this plan by to_document() and is read no more
    after = Referral.from_document(apply_ops(draft.document, operations, in_place=True))
    _check_after(draft.referral, after)
    changes_status = (after.status, after.substatus) != (
        draft.referral.status,
        draft.referral.substatus,
    )
    return ReferralChange(
        referral_id=draft.referral.id,
        intent=intent,
        operations=operations,
        before=draft.referral,
        after=after,
        fields=tuple(FieldChange(label, before, after) for label, before, after in draft.rows),
        warnings=tuple(dict.fromkeys(draft.warnings)),
        irreversible=changes_status and intent.outcome in IRREVERSIBLE,
    )


def _check_after(before: Referral, after: Referral) -> None:
    """Belt and braces: a status change must land on a state Partner Center accepts."""
    if (after.status, after.substatus) == (before.status, before.substatus):
        return
    direction = None if after.direction is None else str(after.direction)
    if not can_move(before.status, after.status) or not is_valid_state(
        after.status, after.substatus, direction
    ):
        raise TransitionNotAllowedError()
