"""What the lead alerts and the lead card's buttons share (built once by bot.alerts.wiring)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts.copies import LeadCopies
from bot.alerts.offers import LeadOffers
from bot.alerts.readers import Readers
from bot.background import BackgroundTasks
from bot.domain.leads import LeadRecords
from bot.domain.proactive import Recipients


@dataclass(frozen=True)
class LeadParts:
    recipients: Recipients
    records: LeadRecords  # decisions, each recipient's Accept/Decline ids, the remembered reader
    readers: Readers  # silent reads on behalf of a seller
    offers: LeadOffers  # a viewer's lead card with their own Accept/Decline
    copies: LeadCopies  # every posted copy turned into the decided card
    background: BackgroundTasks  # copy updates after a click, kept and drained by the app
