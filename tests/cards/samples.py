"""Realistic referrals and changes for card tests, built by hand from the emulator's demo seed.

The seed is the emulator's (tests may import it; bot code may not). Changes are written out the
way the planner produces them: operations, the after-image, and the rows in the seller's words.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import jsonpatch

from bot.cards import confirm_outcome
from bot.cards.choices import render_choices_card
from bot.cards.confirm_batch import (
    ItemResult,
    Skipped,
    render_batch_confirm_card,
    render_batch_result_card,
)
from bot.cards.confirm_change import Proposer, confirm_buttons, proposer_view, render_confirm_card
from bot.cards.digest import DigestLine, DigestSection, render_digest_card
from bot.cards.help import render_help_card
from bot.cards.lead_alert import (
    LeadButtons,
    LeadView,
    render_lead_card,
    render_lead_channel_card,
    render_lead_decided_card,
)
from bot.cards.lead_reminder import render_lead_reminder_card
from bot.cards.notice import render_notice_card
from bot.cards.pick_list import render_pick_list_card
from bot.cards.referral import render_referral_card
from bot.cards.referral_list import render_referral_list_card
from bot.domain.change import FieldChange, ReferralChange
from bot.domain.intent import ChangeIntent, MemberSpec, Money, NoteEdit, Outcome
from bot.domain.leads import LeadDecision, LeadOutcome
from bot.domain.referral import Referral
from emulators.seed import demo_fixtures

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
PORTAL_URL = "https://partner.microsoft.com/dashboard/referrals/v2/leads/details"
MEGAN = Proposer("Megan Bowen", "29:1megan")  # a proposer in a group conversation


def seed_documents() -> list[dict[str, Any]]:
    return [copy.deepcopy(document) for document in demo_fixtures(NOW).referrals]


def seed_referrals() -> list[Referral]:
    return [Referral.from_document(document) for document in seed_documents()]


def seed_referral(name: str) -> Referral:
    """By id ("123") or deal name ("Northwind Traders analytics")."""
    return next(r for r in seed_referrals() if name in (r.id, r.name))


def change(
    referral: Referral,
    operations: list[dict[str, Any]],
    fields: list[tuple[str, str, str]],
    *,
    intent: ChangeIntent | None = None,
    warnings: tuple[str, ...] = (),
    irreversible: bool = False,
) -> ReferralChange:
    after = jsonpatch.apply_patch(referral.to_document(), operations)
    return ReferralChange(
        referral_id=referral.id,
        intent=intent or ChangeIntent(),
        operations=tuple(operations),
        before=referral,
        after=Referral.from_document(after),
        fields=tuple(FieldChange(*row) for row in fields),
        warnings=warnings,
        irreversible=irreversible,
    )


def mark_won(referral: Referral | None = None) -> ReferralChange:
    """'mark 123 won' on the seed's Contoso Azure migration (Active/Accepted)."""
    return change(
        referral or seed_referral("123"),
        [
            {"op": "replace", "path": "/status", "value": "Closed"},
            {"op": "replace", "path": "/substatus", "value": "Won"},
        ],
        [("Status", "Active (Accepted)", "Won")],
        intent=ChangeIntent(outcome=Outcome.WON),
        irreversible=True,
    )


def won_too_early() -> ReferralChange:
    """Lamna was created two days ago: winning it now loses the deal registration."""
    return change(
        seed_referral("Lamna Healthcare Copilot"),
        [
            {"op": "replace", "path": "/status", "value": "Closed"},
            {"op": "replace", "path": "/substatus", "value": "Won"},
        ],
        [("Status", "Active (Accepted)", "Won")],
        intent=ChangeIntent(outcome=Outcome.WON),
        warnings=(
            "This referral was created less than 72 hours ago: marking it won now means "
            "it won't count for deal registration.",
        ),
        irreversible=True,
    )


def value_date_and_note() -> ReferralChange:
    """'set the deal value of Contoso Azure to 150k EUR, close 2026-04-30, note: demo booked'."""
    return change(
        seed_referral("123"),
        [
            {"op": "replace", "path": "/details/dealValue", "value": 175000},
            {"op": "replace", "path": "/details/currency", "value": "EUR"},
            {
                "op": "replace",
                "path": "/details/closingDateTime",
                "value": "2026-04-30T00:00:00Z",
            },
            {
                "op": "replace",
                "path": "/details/notes",
                "value": "Landing zone workshop done.\n[10 Mar 2026] Demo booked.",
            },
        ],
        [
            ("Deal value", "USD 150,000", "EUR 175,000"),
            ("Close date", "Mon 30 Mar 2026", "Thu 30 Apr 2026"),
            (
                "Notes",
                "Landing zone workshop done.",
                "…Landing zone workshop done.\n[10 Mar 2026] Demo booked.",
            ),
        ],
        intent=ChangeIntent(
            deal_value=Money(Decimal(175000), "EUR"),
            close_date=NOW.date().replace(month=4, day=30),
            note=NoteEdit("Demo booked."),
        ),
    )


def add_member() -> ReferralChange:
    """'add Jane Doe jane.doe@contoso.com to 4711'."""
    member = {"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@contoso.com"}
    return change(
        seed_referral("4711"),
        [{"op": "add", "path": "/team/-", "value": member}],
        [
            (
                "Team",
                "Megan Bowen, Alex Wilber",
                "Megan Bowen, Alex Wilber, Jane Doe <jane.doe@contoso.com>",
            )
        ],
        intent=ChangeIntent(add_members=(MemberSpec("jane.doe@contoso.com", "Jane", "Doe"),)),
    )


ALL_CHANGES = (mark_won, won_too_early, value_date_and_note, add_member)


Card = dict[str, Any]
HELP_EXAMPLES = (
    ("Close a deal", "mark 123 won"),
    ("Close a deal", "we lost Fabrikam, budget frozen"),
    ("Close a deal", "decline the Northwind lead, outside our area"),
    ("Incoming leads", "accept the Northwind lead"),
    ("Deal details", "set the deal value of Contoso Azure to 150k"),
    ("Deal details", "push the close date of 4711 to next Friday"),
    ("Deal details", "note on 123: demo booked"),
    ("Team", "add Jane Doe jane.doe@contoso.com to 4711"),
    ("See your referrals", "show 123"),
    ("See your referrals", "my open referrals"),
    ("See your referrals", "new leads"),
    ("See your referrals", "deals closing this month"),
    ("Anytime", "help"),
    ("Anytime", "cancel"),
)


def _referral_cards() -> list[Card]:
    return [
        render_referral_card(referral, portal_url=PORTAL_URL) for referral in seed_referrals()
    ] + [
        render_referral_card(
            mark_won().after,
            portal_url=PORTAL_URL,
            title="Marked as won",
            notice="Someone else changed this referral a moment ago; your change was applied.",
        )
    ]


def _confirm_cards() -> list[Card]:
    cards = [render_confirm_card(make(), pending_id="p-1") for make in ALL_CHANGES]
    group = render_confirm_card(mark_won(), pending_id="p-2", proposer=MEGAN)
    notice = "Someone else changed this referral a moment ago: here is the new before/after."
    cards.append(render_confirm_card(mark_won(), pending_id="p-2", notice=notice))
    cards.append(group)
    cards.append(proposer_view(group, confirm_buttons("p-2"), notice=notice))
    return cards


def _confirm_outcome_cards() -> list[Card]:
    """What everyone in a group sees once a posted confirm card ended (issue 17 §4)."""
    at = datetime(2026, 3, 10, 10, 42, tzinfo=UTC)
    by = "Megan [Bowen](https://evil.example)"
    results = [ItemResult("Referral 123", "Saved.", "good")]
    return [
        confirm_outcome.saved_by(mark_won().after, portal_url=PORTAL_URL, by=by, moment=at),
        confirm_outcome.saved_unread(by, at),
        confirm_outcome.cancelled_by(by),
        confirm_outcome.refused(by),
        confirm_outcome.expired(timedelta(minutes=30)),
        confirm_outcome.batch_by(results, by=by, moment=at),
    ]


def _batch_confirm_cards() -> list[Card]:
    """Issue 16 §4: the most a card may list (ten referrals), skipped ones, hostile text."""
    hostile = Skipped("[click me](https://evil.example) <at>Megan</at>", "already closed\n# won")
    return [
        render_batch_confirm_card(
            [value_date_and_note() for _ in range(10)],
            [Skipped("referral 999", "I can't find it."), hostile],
            pending_id="b-1",
            proposer=MEGAN,
        ),
        render_batch_confirm_card([mark_won()], [], pending_id="b-2"),
    ]


def _batch_result_cards() -> list[Card]:
    fresh = render_confirm_card(value_date_and_note(), pending_id="p-3", notice="Changed.")
    results = [
        ItemResult("Referral 123", "Saved.", "good"),
        ItemResult("Referral 4711", "Not saved: someone else changed it.", "warning", fresh),
        ItemResult("Referral [x](https://evil.example)", "Closed *already*", "attention"),
    ]
    ten_fresh = [ItemResult(f"Referral {n}", "Not saved.", "warning", fresh) for n in range(10)]
    return [render_batch_result_card(results), render_batch_result_card(ten_fresh)]


def _list_cards() -> list[Card]:
    referrals = seed_referrals()
    return [
        render_referral_list_card(
            referrals[:10], title="Your open referrals", page=1, has_more=True
        ),
        render_referral_list_card(
            referrals[10:], title="Your open referrals", page=2, has_more=False
        ),
        render_referral_list_card([], title="New leads", page=1, has_more=False),
    ]


def _leads() -> list[Referral]:
    return [r for r in seed_referrals() if r.direction == "Incoming" and r.status == "New"]


def _lead_view(referral_id: str, *, zone_label: str = "") -> LeadView:
    users = tuple(f"29:1{n:032x}" for n in range(60))
    return LeadView(referral_id, NOW, UTC, PORTAL_URL, users, zone_label)


_LEAD_BUTTONS = LeadButtons(
    "pending-accept-0123456789abcdef",
    "pending-decline-0123456789abcdef",
    (FieldChange("Status", "New (Received)", "Active (Accepted)"),),
    (FieldChange("Status", "New (Received)", "Declined"),),
)


def _lead_cards() -> list[Card]:
    cards = [
        render_lead_card(lead, _lead_view(lead.id), buttons=_LEAD_BUTTONS) for lead in _leads()
    ]
    lead = _leads()[0]
    cards.append(render_lead_card(lead, _lead_view(lead.id), notice="This lead changed."))
    return cards


def _lead_decided_cards() -> list[Card]:
    lead = _leads()[0]
    decisions = [
        LeadDecision(lead.id, LeadOutcome.ACCEPTED, NOW, "Megan Bowen", "u-megan"),
        LeadDecision(lead.id, LeadOutcome.DECLINED, NOW, "Alex Wilber", "u-alex", "x" * 500),
        LeadDecision(lead.id, LeadOutcome.ACCEPTED),
        LeadDecision(lead.id, LeadOutcome.EXPIRED, NOW),
        LeadDecision(lead.id, LeadOutcome.CLOSED, substatus="Won"),
    ]
    view = _lead_view(lead.id)
    return [render_lead_decided_card(d, view, referral=lead) for d in decisions] + [
        render_lead_decided_card(decisions[1], _lead_view(lead.id, zone_label="UTC"))
    ]


def _reminder_cards() -> list[Card]:
    """A seed lead 3 days and hours before it expires, and one with a hostile name."""
    lead = seed_referral("Northwind Traders analytics")
    hostile = Referral.from_document(
        {**lead.to_document(), "name": "[Refund](https://e.vil) " * 30, "id": "<b>9</b>"}
    )
    expires = NOW + timedelta(days=3)
    return [
        render_lead_reminder_card(lead, expires_at=expires, now=NOW),
        render_lead_reminder_card(lead, expires_at=NOW + timedelta(hours=5), now=NOW),
        render_lead_reminder_card(hostile, expires_at=expires, now=NOW),
    ]


def _digest_cards() -> list[Card]:
    """Every seed referral in each section (cut to the cap), a hostile name, an empty digest."""
    everything = seed_referrals()
    hostile = Referral.from_document(
        {**everything[0].to_document(), "name": "{{DATE(x)}} <at>all</at> " * 40}
    )
    sections = [
        DigestSection("Leads about to expire", (DigestLine(hostile, "expires tomorrow"),)),
        DigestSection(
            "Open deals past their close date",
            tuple(DigestLine(r, "was to close Mon 2 Mar 2026") for r in everything),
            hint="overdue deals",
        ),
        DigestSection("Open deals without a value or close date", ()),
    ]
    return [render_digest_card(sections, day=NOW.date()), render_digest_card([], day=NOW.date())]


CARD_SAMPLES: dict[Callable[..., Card], Callable[[], list[Card]]] = {
    render_confirm_card: _confirm_cards,
    render_referral_card: _referral_cards,
    render_notice_card: lambda: [
        render_notice_card("Cancelled", "Nothing was changed."),
        render_notice_card("Already applied", "This change was already made.", style="good"),
        render_notice_card("Only Megan Bowen can confirm this", "Ask them.", style="warning"),
        render_notice_card("Partner Center is busy", "Try again in 30 seconds.", style="attention"),
        *_confirm_outcome_cards(),
    ],
    render_pick_list_card: lambda: [
        render_pick_list_card(
            [r for r in seed_referrals() if "Contoso" in (r.name or "")],
            prompt="Which Contoso referral do you mean?",
        ),
        render_pick_list_card(seed_referrals(), prompt="Which one?"),
    ],
    render_referral_list_card: _list_cards,
    render_help_card: lambda: [render_help_card(HELP_EXAMPLES), render_help_card(())],
    render_choices_card: lambda: [
        render_choices_card([("Won", "mark 123 won"), ("Lost", "mark 123 lost")], summary="?"),
        render_choices_card(
            [(name, f"show {name}") for name in ("Wong & Partners", "[x](https://e.vil)" * 20)],
            summary="No referral matches Wong",
        ),
    ],
    # Issue 16 §4: several referrals on one card.
    render_batch_confirm_card: _batch_confirm_cards,
    render_batch_result_card: _batch_result_cards,
    # Issue 17: lead alerts.
    render_lead_card: _lead_cards,
    render_lead_decided_card: _lead_decided_cards,
    render_lead_channel_card: lambda: [
        render_lead_channel_card(_lead_view("lead-1", zone_label="UTC"), arrived_at=NOW),
        render_lead_channel_card(_lead_view("lead-1"), arrived_at=None, related=True),
    ],
    # Issue 17 §4: reminders and the digest.
    render_lead_reminder_card: _reminder_cards,
    render_digest_card: _digest_cards,
}
