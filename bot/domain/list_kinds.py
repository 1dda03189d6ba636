"""The lists a seller can ask for: named by the grammar, built by the referrals service."""

from __future__ import annotations

from enum import StrEnum


class ListKind(StrEnum):
    MY_OPEN = "my_open"  # "my open referrals", "my deals"
    NEW_LEADS = "new_leads"  # incoming leads waiting for an answer
    CLOSING_THIS_MONTH = "closing_this_month"
    CLOSING_THIS_QUARTER = "closing_this_quarter"
