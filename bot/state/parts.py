"""StateParts: what every state backend provides, so the app never asks which one it has."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import Storage

from bot.auth.sealed_store import ByteStore
from bot.domain.pending import PendingChanges
from bot.domain.proactive import ChannelSubscriptions, Leases, Notifications, Recipients
from bot.state.seen import SeenActivities


@dataclass(frozen=True)
class StateParts:
    storage: Storage  # bot state, Teams SSO dedupe, encrypted token caches
    pending: PendingChanges
    seen: SeenActivities  # activity dedupe: shared by instances when the store is
    # sellers' referral indexes (bot.state.referral_indexes); bot.app seals them
    referral_indexes: ByteStore
    # issue 17: who the bot speaks to first, the outbox of proactive cards, scheduler leases
    recipients: Recipients
    channels: ChannelSubscriptions
    notifications: Notifications
    leases: Leases
