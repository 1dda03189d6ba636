"""A DialogTestClient-like helper over botbuilder's TestAdapter (botbuilder-testing isn't
installed): runs MainDialog the way the bot does — dialog state and seller memory in
PrivateConversationState over MemoryStorage, saved after every turn — and returns each turn's
replies so tests can read texts and cards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botbuilder.core import (
    ConversationState,
    MemoryStorage,
    PrivateConversationState,
    TurnContext,
)
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import Dialog, DialogExtensions, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity

from bot.domain.pending import PendingChange
from bot.state.pending_changes import MemoryPendingChanges
from dialogs.main_dialog import MainDialog
from dialogs.ports import DialogServices, DigestSettings, LeadAlertSettings
from tests.dialogs.seed import seed_documents
from tests.support.activities import TeamsConversation, TeamsUser, make_message
from tests.support.cards import assert_valid_card, unescape
from tests.support.fakes import FakeAssertions, FakeClock, FakeReferralsService

MEGAN_USER = TeamsUser(aad_object_id="0000aaaa-0000-4000-8000-00000000000a", name="Megan Bowen")
ALEX_USER = TeamsUser(aad_object_id="0000bbbb-0000-4000-8000-00000000000b", name="Alex Wilber")
PORTAL_URL = "https://partner.microsoft.com/dashboard/referrals/v2/leads"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@dataclass
class Replies:
    """What the bot sent in one turn."""

    activities: list[Activity]

    @property
    def texts(self) -> list[str]:
        return [a.text for a in self.activities if a.text]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def shown(self) -> list[str]:
        """The texts as Teams shows them: without the escapes and the invisible word joiners
        that keep others' words inert."""
        return [unescape(text).replace("\u2060", "") for text in self.texts]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment.content
            for activity in self.activities
            for attachment in activity.attachments or ()
            if attachment.content_type == ADAPTIVE
        ]

    @property
    def card(self) -> dict[str, Any]:
        assert len(self.cards) == 1, f"expected one card, got {len(self.cards)}: {self.texts}"
        return self.cards[0]


@dataclass
class PostedCards:
    """The dialogs' `PostedConfirmCards` port, recording what it is told."""

    calls: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    async def posted(
        self, pending_id: str, expires_at: datetime, reference: Mapping[str, Any], activity_id: str
    ) -> None:
        self.calls.append((pending_id, dict(reference), activity_id))


@dataclass
class DialogHarness:
    referrals: FakeReferralsService = field(
        default_factory=lambda: FakeReferralsService(seed_documents())
    )
    pending: MemoryPendingChanges = field(default_factory=MemoryPendingChanges)
    clock: FakeClock = field(default_factory=FakeClock)
    assertions: FakeAssertions = field(default_factory=FakeAssertions)
    confirm_cards: PostedCards = field(default_factory=PostedCards)
    digests: DigestSettings | None = None  # issue 17 §4
    alerts: LeadAlertSettings | None = None  # issue 17's port; None: not set up

    def __post_init__(self) -> None:
        self.storage = MemoryStorage()
        self.state = PrivateConversationState(self.storage)
        self.services = DialogServices(
            referrals=self.referrals,
            pending=self.pending,
            clock=self.clock,
            assertions=self.assertions,
            portal_url=PORTAL_URL,
            confirm_cards=self.confirm_cards,
            digests=self.digests,
            alerts=self.alerts,
        )
        self.dialog = MainDialog(self.services, self.state.create_property("SellerMemory"))
        self._dialog_state = self.state.create_property("DialogState")
        self.adapter = TestAdapter(self._turn)
        self.proposed: list[str] = []  # pending change ids, from the confirm cards

    async def _turn(self, context: TurnContext) -> None:
        """As ReferralBot: the quick path for one-shot commands, else the dialogs."""
        try:
            if not await self.dialog.run_quick(context, self._dialog_state):
                await DialogExtensions.run_dialog(self.dialog, context, self._dialog_state)
        finally:
            await self.state.save_changes(context)

    async def say(
        self,
        text: str,
        *,
        user: TeamsUser = MEGAN_USER,
        conversation: TeamsConversation | None = None,
        timezone: str = "Europe/Berlin",
    ) -> Replies:
        activity = make_message(text, user=user, conversation=conversation, timezone=timezone)
        return await self.send(activity)

    async def send(self, activity: Activity) -> Replies:
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(activity)
        replies = Replies(list(self.adapter.activity_buffer))
        self.adapter.activity_buffer.clear()
        for card in replies.cards:
            assert_valid_card(card)  # every card the dialogs send is Adaptive Card 1.5
        return replies

    async def stored(self, card: dict[str, Any]) -> PendingChange:
        """The pending change a confirm card's buttons point at."""
        change = await self.pending.get(pending_id_of(card))
        assert change is not None
        return change


def pending_id_of(card: dict[str, Any]) -> str:
    """From the buttons, or from a group card's refresh (it has no buttons)."""
    if "refresh" in card:
        return str(card["refresh"]["action"]["data"]["pendingId"])
    ids = {action["data"]["pendingId"] for action in card["actions"]}
    assert len(ids) == 1
    return str(ids.pop())


def card_texts(card: Any) -> list[str]:
    """Every visible string in a card (TextBlock texts, facts, titles), in order."""
    found: list[str] = []
    if isinstance(card, dict):
        for key in ("text", "title", "value"):
            if isinstance(card.get(key), str):
                found.append(card[key])
        for value in card.values():
            if isinstance(value, list | dict):
                found.extend(card_texts(value))
    elif isinstance(card, list):
        for item in card:
            found.extend(card_texts(item))
    return found


def card_text(card: Any) -> str:
    """The card's visible text with the markdown escapes of the card builders removed."""
    return re.sub(r"\\(.)", r"\1", "\n".join(card_texts(card)))


class StandaloneDialog:
    """Runs one child dialog on its own (begun with `options`); its result lands in `results`."""

    def __init__(self, dialog: Dialog, options: object, results: list[object]) -> None:
        self._state = ConversationState(MemoryStorage())
        self._dialogs = DialogSet(self._state.create_property("DialogState"))
        self._dialogs.add(dialog)
        self._dialog_id = dialog.id
        self._options = options
        self._results = results
        self._adapter = TestAdapter(self._turn)

    async def _turn(self, context: TurnContext) -> None:
        dc = await self._dialogs.create_context(context)
        result = await dc.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            result = await dc.begin_dialog(self._dialog_id, self._options)
        if result.status == DialogTurnStatus.Complete:
            self._results.append(result.result)
        await self._state.save_changes(context)

    async def say(self, text: str) -> list[str]:
        self._adapter.activity_buffer.clear()
        await self._adapter.receive_activity(make_message(text, user=MEGAN_USER))
        return [a.text for a in self._adapter.activity_buffer if a.text]
