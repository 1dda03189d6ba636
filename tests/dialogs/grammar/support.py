"""Shorthands for the grammar tables: a fixed today and compact expected commands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain.intent import ChangeIntent, Money
from dialogs.grammar.commands import Command, ReferralRef, RefKind, UpdateReferral
from dialogs.grammar.parser import parse_command

TODAY = date(2026, 11, 25)  # a Wednesday
LAST = ReferralRef.last()


def parse(text: str, today: date = TODAY) -> Command:
    return parse_command(text, today=today)


def by_id(text: str) -> ReferralRef:
    return ReferralRef(RefKind.ID, text)


def by_name(text: str) -> ReferralRef:
    return ReferralRef(RefKind.NAME, text)


def by_crm(text: str) -> ReferralRef:
    return ReferralRef(RefKind.CRM, text)


def update(ref: ReferralRef, **fields: Any) -> UpdateReferral:
    return UpdateReferral(ref, ChangeIntent(**fields))


def money(amount: str, currency: str | None = None) -> Money:
    return Money(Decimal(amount), currency)
