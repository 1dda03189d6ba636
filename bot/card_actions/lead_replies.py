"""What a click on a lead card says besides the card itself (bot.card_actions.lead_verbs)."""

from __future__ import annotations

DECIDED_MEANWHILE = (
    "Someone else decided this lead a moment ago, so nothing was changed by your click."
)
CHANGED_MEANWHILE = (
    "This lead changed in Partner Center since your card was made, so nothing was changed yet. "
    "Here it is now: please click again."
)
