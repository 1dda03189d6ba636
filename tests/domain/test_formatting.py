from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from bot.domain.formatting import (
    abbreviate,
    format_date,
    format_member,
    format_money,
    format_referral,
    format_stage,
    format_status,
    format_team,
)
from bot.domain.intent import MemberSpec
from bot.domain.referral import SalesStage, Status, Substatus, TeamMember


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal(150000), "USD", "USD 150,000"),
        (Decimal("150000.00"), "USD", "USD 150,000"),
        (Decimal("1.2E+6"), "EUR", "EUR 1,200,000"),
        (Decimal("1250.5"), "EUR", "EUR 1,250.50"),
        (Decimal("0.99"), "GBP", "GBP 0.99"),
        (Decimal(999), "CAD", "CAD 999"),
        (Decimal(1000), "CAD", "CAD 1,000"),
        (Decimal(95000), None, "95,000"),
        (Decimal(95000), "", "95,000"),
        (None, "USD", "—"),
        (None, None, "—"),
    ],
)
def test_money_reads_as_code_and_grouped_amount(
    amount: Decimal | None, currency: str | None, expected: str
) -> None:
    assert format_money(amount, currency) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 4), "Fri 4 Dec 2026"),
        (date(2027, 1, 1), "Fri 1 Jan 2027"),
        (date(2026, 2, 28), "Sat 28 Feb 2026"),
        (date(2028, 2, 29), "Tue 29 Feb 2028"),
        (datetime(2026, 12, 4, tzinfo=UTC), "Fri 4 Dec 2026"),
        (datetime(2026, 12, 4, 23, 30, tzinfo=timezone(timedelta(hours=-8))), "Fri 4 Dec 2026"),
        (date(2026, 6, 15), "Mon 15 Jun 2026"),
        (None, "—"),
    ],
)
def test_dates_read_as_weekday_day_month_year(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("status", "substatus", "expected"),
    [
        (Status.NEW, Substatus.PENDING, "New (Pending)"),
        (Status.NEW, Substatus.RECEIVED, "New (Received)"),
        (Status.ACTIVE, Substatus.ACCEPTED, "Active (Accepted)"),
        (Status.CLOSED, Substatus.WON, "Won"),
        (Status.CLOSED, Substatus.LOST, "Lost"),
        (Status.CLOSED, Substatus.DECLINED, "Declined"),
        (Status.CLOSED, Substatus.EXPIRED, "Expired"),
        ("Closed", "Won", "Won"),
        ("Closed", "Archived", "Closed (Archived)"),
        ("Paused", None, "Paused"),
        (None, "Won", "Won"),
        (None, None, "—"),
    ],
)
def test_status_reads_as_the_partner_center_words(
    status: str | None, substatus: str | None, expected: str
) -> None:
    assert format_status(status, substatus) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (SalesStage.QUALIFY, "Qualify (20%)"),
        (SalesStage.DEVELOP, "Develop (40%)"),
        (SalesStage.PROPOSE, "Propose (60%)"),
        (SalesStage.CLOSE, "Close (80%)"),
        ("Negotiate", "Negotiate"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_sales_stage_reads_with_the_ui_share(stage: str | None, expected: str) -> None:
    assert format_stage(stage) == expected


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (
            TeamMember(first_name="Jane", last_name="Doe", email="jane@x.com"),
            "Jane Doe <jane@x.com>",
        ),
        (MemberSpec(email="jane@x.com", first_name="Jane"), "Jane <jane@x.com>"),
        (MemberSpec(email="jane@x.com"), "jane@x.com"),
        (MemberSpec(first_name="Jane", last_name="Doe"), "Jane Doe"),
        (MemberSpec(), "—"),
    ],
)
def test_a_member_reads_as_name_and_email(member: TeamMember | MemberSpec, expected: str) -> None:
    assert format_member(member) == expected


def test_a_team_reads_as_names_and_email_when_nameless() -> None:
    team = [
        TeamMember(first_name="Jane", last_name="Doe", email="jane@x.com"),
        TeamMember(email="nameless@x.com"),
        TeamMember(last_name="Smith"),
    ]
    assert format_team(team) == "Jane Doe, nameless@x.com, Smith"


def test_an_empty_team_reads_as_a_dash() -> None:
    assert format_team([]) == "—"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Contoso Azure migration", "Contoso Azure migration (123)"),
        (None, "referral 123"),
        (" ", "referral 123"),
    ],
)
def test_a_referral_is_named_with_its_id(name: str | None, expected: str) -> None:
    assert format_referral(name, "123") == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Demo booked.", 80, "Demo booked."),
        ("line one\nline two", 80, "line one line two"),
        ("abcdefghij", 5, "abcd…"),
        ("abcde", 5, "abcde"),
        ("", 80, "—"),
        ("   \n", 80, "—"),
        (None, 80, "—"),
    ],
)
def test_abbreviate_gives_one_short_line(text: str | None, limit: int, expected: str) -> None:
    assert abbreviate(text, limit) == expected
