"""The planner's working sheet: operations, card rows, warnings and no-ops, gathered per field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.formatting import format_referral
from bot.domain.patch_ops import Operation, details_ops
from bot.domain.referral import Referral


@dataclass
class Draft:
    """Filled by the field planners in card order; read once by `plan_change`."""

    referral: Referral
    document: Mapping[str, Any]
    now: datetime
    status_ops: list[Operation] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    field_ops: list[Operation] = field(default_factory=list)
    team_ops: list[Operation] = field(default_factory=list)
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # "is already won", for the no-op message

    @property
    def label(self) -> str:
        return format_referral(self.referral.name, self.referral.id)

    def row(self, label: str, before: str, after: str) -> None:
        self.rows.append((label, before, after))

    def operations(self) -> tuple[Operation, ...]:
        """In card order: status, details, the other fields, team."""
        details = details_ops(self.document, self.details)
        return (*self.status_ops, *details, *self.field_ops, *self.team_ops)

    def nothing_to_change(self) -> str:
        """'Contoso (123) is already won and already closes on Fri 4 Dec 2026.'"""
        phrases = self.already or ["already looks like that"]
        joined = (
            phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        )
        return f"{self.label} {joined}."
