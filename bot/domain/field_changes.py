"""One planner per field the seller can change; each adds its operations and card row to a Draft.

A value equal to the current one adds nothing but a no-op phrase, so that "set the value to what
it already is" can be answered as such instead of sending an empty or pointless patch.
"""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from decimal import Decimal

from bot.domain.errors import InvalidChangeError
from bot.domain.formatting import (
    abbreviate,
    format_date,
    format_money,
    format_stage,
    format_status,
)
from bot.domain.intent import ChangeIntent, Money, NoteEdit, Outcome
from bot.domain.patch_ops import set_op
from bot.domain.plan_draft import Draft
from bot.domain.referral import SalesStage
from bot.domain.transitions import check_outcome, is_current

MAX_DEAL_VALUE = Decimal(10) ** 12  # larger is a typo, not a deal
_CURRENCY = re.compile(r"[A-Z]{3}")
_EARLY_WIN = timedelta(hours=72)


def plan_outcome(draft: Draft, intent: ChangeIntent) -> None:
    """Status and substatus (only what differs), then the reason that goes with them."""
    referral, outcome = draft.referral, intent.outcome
    if outcome is None:
        if intent.reason is not None:
            raise InvalidChangeError(
                "A reason goes with an outcome: say for example “lost, budget frozen”."
            )
        return
    if is_current(referral, outcome):
        draft.already.append(f"is already {outcome.value}")
    else:
        status, substatus = check_outcome(referral, outcome)
        if referral.status != status:
            draft.status_ops.append(set_op(draft.document, "status", status.value))
        if referral.substatus != substatus:
            draft.status_ops.append(set_op(draft.document, "substatus", substatus.value))
        before = format_status(referral.status, referral.substatus)
        draft.row("Status", before, format_status(status, substatus))
        _warn_early_win(draft, outcome)
    _plan_reason(draft, intent.reason)


def _plan_reason(draft: Draft, reason: str | None) -> None:
    text = (reason or "").strip()
    if not text or text == draft.referral.status_reason:
        return
    draft.status_ops.append(set_op(draft.document, "statusReason", text))
    draft.row("Reason", abbreviate(draft.referral.status_reason), abbreviate(text))


def _warn_early_win(draft: Draft, outcome: Outcome) -> None:
    created = draft.referral.created_date_time
    if outcome is Outcome.WON and created is not None and draft.now - created < _EARLY_WIN:
        draft.warnings.append(
            f"{draft.label} was created less than 72 hours ago: marking it won this early can "
            "cost its deal-registration eligibility."
        )


def plan_deal_value(draft: Draft, money: Money | None) -> None:
    if money is None:
        return
    amount = _check_amount(money.amount)
    details = draft.referral.details
    old_amount = details.deal_value if details else None
    old_currency = details.currency if details else None
    currency = _check_currency(money.currency) if money.currency else None
    new_currency = currency or old_currency
    if old_amount == amount and new_currency == old_currency:
        draft.already.append(f"already has a deal value of {format_money(amount, new_currency)}")
        return
    if old_amount != amount:
        draft.details["dealValue"] = (
            int(amount) if amount == amount.to_integral_value() else float(amount)
        )
    if new_currency != old_currency:
        draft.details["currency"] = new_currency
    before = format_money(old_amount, old_currency)
    draft.row("Deal value", before, format_money(amount, new_currency))


def _check_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise InvalidChangeError("A deal value has to be an amount above zero, like 150k.")
    if amount >= MAX_DEAL_VALUE:
        raise InvalidChangeError("That deal value looks too large. Could you check the amount?")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidChangeError("A deal value can have at most two decimals (cents).")
    return amount


def _check_currency(currency: str) -> str:
    code = currency.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise InvalidChangeError(
            f"I don't know the currency “{currency}”. Use a code like USD, EUR or GBP."
        )
    return code


def plan_close_date(draft: Draft, day: date | None) -> None:
    if day is None:
        return
    details = draft.referral.details
    stored = details.closing_date_time if details else None
    old = stored.astimezone(UTC).date() if stored else None
    if old == day:
        draft.already.append(f"already closes on {format_date(day)}")
        return
    draft.details["closingDateTime"] = f"{day.isoformat()}T00:00:00Z"
    draft.row("Close date", format_date(old), format_date(day))
    if day < draft.now.date():
        draft.warnings.append(f"The close date {format_date(day)} is in the past.")


def plan_note(draft: Draft, note: NoteEdit | None) -> None:
    if note is None:
        return
    if not note.text.strip():
        raise InvalidChangeError("What should the note say?")
    details = draft.referral.details
    old = (details.notes if details else None) or ""
    if note.replace:
        _replace_note(draft, old, note.text)
        return
    stamped = f"[{draft.now.date().isoformat()}] {note.text.strip()}"
    draft.details["notes"] = f"{old}\n{stamped}" if old else stamped
    draft.row("Notes", abbreviate(old), ("+ " if old else "") + abbreviate(stamped))


def _replace_note(draft: Draft, old: str, text: str) -> None:
    if text == old:
        draft.already.append("already has exactly that note")
        return
    draft.details["notes"] = text
    draft.row("Notes", abbreviate(old), abbreviate(text))
    if old.strip():
        draft.warnings.append(
            f"The current note (“{abbreviate(old, 60)}”) will be replaced, not added to."
        )


def plan_sales_stage(draft: Draft, stage: SalesStage | None) -> None:
    if stage is None:
        return
    old = draft.referral.sales_stage
    if old is not None and str(old) == stage.value:
        draft.already.append(f"is already at sales stage {format_stage(stage)}")
        return
    draft.field_ops.append(set_op(draft.document, "salesStage", stage.value))
    draft.row("Sales stage", format_stage(old), format_stage(stage))


def plan_deal_name(draft: Draft, name: str | None) -> None:
    _plan_text(draft, "name", "Deal name", draft.referral.name, name, "is already called")


def plan_crm_id(draft: Draft, crm_id: str | None) -> None:
    old = draft.referral.external_reference_id
    _plan_text(draft, "externalReferenceId", "CRM id", old, crm_id, "already has CRM id")


def _plan_text(
    draft: Draft, member: str, label: str, old: str | None, new: str | None, already: str
) -> None:
    if new is None:
        return
    text = new.strip()
    if not text:
        raise InvalidChangeError(f"{label} can't be empty: what should it be?")
    if text == old:
        draft.already.append(f"{already} “{text}”")
        return
    draft.field_ops.append(set_op(draft.document, member, text))
    draft.row(label, abbreviate(old), abbreviate(text))
