"""The lead card: the countdown in the reader's zone, what Accept and Decline change, buttons that
carry only ids, the decided faces, and the refresh that brings each viewer their own card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from bot.cards.lead_alert import (
    LEAD_ACCEPT_VERB,
    LEAD_DECLINE_VERB,
    LEAD_REFRESH_VERB,
    MAX_REFRESH_USERS,
    REASON_INPUT,
    LeadButtons,
    LeadView,
    refresh_user_ids,
    render_lead_card,
    render_lead_channel_card,
    render_lead_decided_card,
)
from bot.cards.lead_words import expires_in
from bot.domain.change import FieldChange
from bot.domain.leads import REASON_LIMIT, LeadDecision, LeadOutcome
from bot.domain.referral import Referral
from tests.support.cards import actions, assert_inert, assert_valid_card, visible_text, walk
from tests.support.hostile_text import HOSTILE_PIECES

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
PORTAL = "https://partner.example/referrals"
BUTTONS = LeadButtons(
    "accept-id",
    "decline-id",
    (FieldChange("Status", "New (Received)", "Active (Accepted)"),),
    (FieldChange("Status", "New (Received)", "Declined"),),
)


def lead(**fields: object) -> Referral:
    document = {
        "id": "lead-1",
        "name": "Fabrikam cloud security",
        "status": "New",
        "substatus": "Received",
        "direction": "Incoming",
        "expirationDateTime": "2026-12-10T16:00:00Z",
        "customerProfile": {
            "name": "Fabrikam Retail",
            "address": {"city": "Berlin", "country": "DE"},
        },
        "details": {
            "dealValue": 120000,
            "currency": "EUR",
            "notes": "Call Pat.",
            "requirements": {"products": ["Azure", {"name": "Defender"}], "services": []},
            "customerRequestedContact": True,
        },
    }
    return Referral.from_document(document | fields)


def view(zone: tzinfo = BERLIN, now: datetime = NOW, **fields: object) -> LeadView:
    values = {"user_ids": ("29:1seller",)} | fields
    return LeadView("lead-1", now.astimezone(zone), zone, PORTAL, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (BERLIN, "Expires in 3 days (Thu 10 Dec, 17:00)"),
        (NEW_YORK, "Expires in 3 days (Thu 10 Dec, 11:00)"),
        (TOKYO, "Expires in 3 days (Fri 11 Dec, 01:00)"),
    ],
)
def test_the_countdown_reads_in_the_recipients_time_zone(zone: ZoneInfo, expected: str) -> None:
    card = render_lead_card(lead(), view(zone), buttons=BUTTONS)
    assert expected in visible_text(card)


@pytest.mark.parametrize(
    ("left", "expected", "urgency"),
    [
        (timedelta(days=3, hours=7), "Expires in 3 days", "calm"),
        (timedelta(days=2, hours=23), "Expires in 2 days", "soon"),
        (timedelta(days=1, hours=1), "Expires in 1 day", "soon"),
        (timedelta(hours=5, minutes=59), "Expires in 5 hours", "now"),
        (timedelta(hours=1), "Expires in 1 hour", "now"),
        (timedelta(minutes=7, seconds=10), "Expires in 8 minutes", "now"),
        (timedelta(seconds=20), "Expires in 1 minute", "now"),
        (timedelta(0), "Expired", "now"),
        (-timedelta(hours=3), "Expired", "now"),
    ],
)
def test_the_countdown_is_computed_from_now(left: timedelta, expected: str, urgency: str) -> None:
    text, level = expires_in(EXPIRES, EXPIRES - left, UTC)
    assert text.startswith(expected + " (")
    assert level == urgency


def test_the_countdown_moves_on_when_the_card_is_rendered_again() -> None:
    first = visible_text(render_lead_card(lead(), view(), buttons=BUTTONS))
    later = visible_text(
        render_lead_card(lead(), view(now=NOW + timedelta(days=2)), buttons=BUTTONS)
    )
    assert "Expires in 3 days" in first
    assert "Expires in 1 day (Thu 10 Dec, 17:00)" in later


def test_the_card_says_what_the_customer_asked_for_and_exactly_what_each_button_changes() -> None:
    text = visible_text(render_lead_card(lead(), view(), buttons=BUTTONS))
    for shown in (
        "Fabrikam cloud security",
        "Fabrikam Retail",
        "EUR 120,000",
        "Berlin, DE",
        "Azure, Defender",
        "The customer asked to be contacted.",
        "Call Pat.",
        "Status: New (Received) → Active (Accepted)",
        "Status: New (Received) → Declined; Reason: — → the reason you give",
        "Declining can't be undone in Partner Center.",
    ):
        assert shown in text, shown


def test_the_buttons_carry_only_their_pending_ids() -> None:
    card = render_lead_card(lead(), view(), buttons=BUTTONS)
    executes = {a["verb"]: a for a in actions(card) if a["type"] == "Action.Execute"}
    assert executes[LEAD_ACCEPT_VERB]["data"] == {"pendingId": "accept-id"}
    assert executes[LEAD_DECLINE_VERB]["data"] == {"pendingId": "decline-id"}
    assert executes[LEAD_ACCEPT_VERB]["associatedInputs"] == "none"


def test_decline_asks_for_a_required_bounded_reason_on_the_card() -> None:
    card = render_lead_card(lead(), view(), buttons=BUTTONS)
    [form] = [a for a in card["actions"] if a["type"] == "Action.ShowCard"]
    [field] = [node for node in walk(form["card"]) if node.get("type") == "Input.Text"]
    assert field["id"] == REASON_INPUT
    assert field["isRequired"] is True
    assert field["maxLength"] == REASON_LIMIT
    assert [a["verb"] for a in form["card"]["actions"]] == [LEAD_DECLINE_VERB]


def test_without_buttons_the_card_only_links_to_partner_center() -> None:
    card = render_lead_card(lead(), view())
    assert [action["type"] for action in card["actions"]] == ["Action.OpenUrl"]
    assert "What Accept and Decline change" not in visible_text(card)


def test_every_face_refreshes_for_its_viewers_with_the_referral_id() -> None:
    decision = LeadDecision("lead-1", LeadOutcome.ACCEPTED, NOW, "Megan Bowen", "u1")
    cards = [
        render_lead_card(lead(), view(), buttons=BUTTONS),
        render_lead_decided_card(decision, view()),
        render_lead_channel_card(view(UTC, user_ids=("29:1a", "29:1b")), arrived_at=NOW),
    ]
    for card in cards:
        refresh = card["refresh"]
        assert refresh["action"]["verb"] == LEAD_REFRESH_VERB
        assert refresh["action"]["data"] == {"referralId": "lead-1"}
    assert cards[0]["refresh"]["userIds"] == ["29:1seller"]
    assert cards[2]["refresh"]["userIds"] == ["29:1a", "29:1b"]


def test_refresh_names_at_most_sixty_distinct_teams_users() -> None:
    ids = [f"29:{n % 70}" for n in range(200)] + [None, ""]
    kept = refresh_user_ids(ids)
    assert len(kept) == MAX_REFRESH_USERS == len(set(kept))


@pytest.mark.parametrize(
    ("decision", "zone", "title"),
    [
        (
            LeadDecision(
                "lead-1",
                LeadOutcome.ACCEPTED,
                datetime(2026, 12, 7, 9, 42, tzinfo=UTC),
                "Megan Bowen",
                "u1",
            ),
            BERLIN,
            "Accepted by Megan Bowen at 10:42",
        ),
        (
            LeadDecision(
                "lead-1",
                LeadOutcome.ACCEPTED,
                datetime(2026, 12, 7, 9, 42, tzinfo=UTC),
                "Megan Bowen",
                "u1",
            ),
            NEW_YORK,
            "Accepted by Megan Bowen at 04:42",
        ),
        (
            LeadDecision(
                "lead-1",
                LeadOutcome.DECLINED,
                datetime(2026, 12, 5, 15, 5, tzinfo=UTC),
                "Megan Bowen",
                "u1",
                "No capacity",
            ),
            BERLIN,
            "Declined by Megan Bowen on Sat 5 Dec, 16:05",
        ),
        (LeadDecision("lead-1", LeadOutcome.ACCEPTED), BERLIN, "Accepted in Partner Center"),
        (
            LeadDecision("lead-1", LeadOutcome.DECLINED, reason="Not our region"),
            BERLIN,
            "Declined in Partner Center",
        ),
        (LeadDecision("lead-1", LeadOutcome.EXPIRED, EXPIRES), BERLIN, "Expired"),
        (
            LeadDecision("lead-1", LeadOutcome.CLOSED, substatus="Won"),
            BERLIN,
            "Closed in Partner Center (Won)",
        ),
    ],
)
def test_the_decided_card_says_who_decided_and_when_in_the_readers_zone(
    decision: LeadDecision, zone: ZoneInfo, title: str
) -> None:
    card = render_lead_decided_card(decision, view(zone))
    text = visible_text(card)
    assert text.splitlines()[0] == title
    if decision.reason:
        assert f"Reason: {decision.reason}" in text
    assert buttons_of(card) == []


def test_the_expired_card_says_until_when_it_could_be_accepted() -> None:
    card = render_lead_decided_card(LeadDecision("lead-1", LeadOutcome.EXPIRED, EXPIRES), view())
    assert "Nobody accepted it before Thu 10 Dec, 17:00." in visible_text(card)


def test_a_channels_decided_card_reads_in_utc() -> None:
    decision = LeadDecision("lead-1", LeadOutcome.ACCEPTED, NOW, "Megan Bowen", "u1")
    card = render_lead_decided_card(decision, view(UTC, zone_label="UTC"))
    assert visible_text(card).splitlines()[0] == "Accepted by Megan Bowen at 09:00 UTC"


def test_the_decided_card_shows_the_lead_only_from_the_viewers_own_read() -> None:
    decision = LeadDecision("lead-1", LeadOutcome.ACCEPTED, NOW, "Megan Bowen", "u1")
    without = visible_text(render_lead_decided_card(decision, view()))
    with_read = visible_text(render_lead_decided_card(decision, view(), referral=lead()))
    assert "Fabrikam" not in without
    assert "Referral lead-1" in without
    assert "Fabrikam cloud security" in with_read
    assert "Fabrikam Retail" in with_read


def test_the_channel_card_names_no_customer_detail() -> None:
    card = render_lead_channel_card(view(UTC, zone_label="UTC"), arrived_at=NOW)
    text = visible_text(card)
    assert "A new referral arrived in Partner Center (Mon 7 Dec, 09:00 UTC)." in text
    assert "Referral lead-1" in text


@pytest.mark.parametrize("hostile", HOSTILE_PIECES)
def test_hostile_lead_text_stays_inert(hostile: str) -> None:
    referral = lead(
        name=hostile,
        customerProfile={"name": hostile},
        details={
            "notes": hostile,
            "requirements": {"products": [hostile], "additionalRequirements": hostile},
        },
    )
    decision = LeadDecision("lead-1", LeadOutcome.DECLINED, NOW, hostile, "u1", hostile)
    for card in (
        render_lead_card(referral, view(), buttons=BUTTONS),
        render_lead_decided_card(decision, view(), referral=referral),
    ):
        assert_valid_card(card)
        assert_inert(card, allowed_urls=frozenset({f"{PORTAL}/lead-1"}))


def buttons_of(card: dict[str, object]) -> list[str]:
    return [
        str(a["verb"])
        for a in actions(card)
        if a.get("verb") in (LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB)
    ]
