from __future__ import annotations

import pytest

from bot.domain.list_kinds import ListKind
from dialogs.grammar.commands import Cancel, Command, Help, ListReferrals, ShowMore, ShowReferral
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, parse

MY_OPEN = ListReferrals(ListKind.MY_OPEN)
NEW_LEADS = ListReferrals(ListKind.NEW_LEADS)
THIS_MONTH = ListReferrals(ListKind.CLOSING_THIS_MONTH)
THIS_QUARTER = ListReferrals(ListKind.CLOSING_THIS_QUARTER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show 123", ShowReferral(by_id("123"))),
        ("Show 123!", ShowReferral(by_id("123"))),
        ("123", ShowReferral(by_id("123"))),
        ("#123", ShowReferral(by_id("123"))),
        ("123?", ShowReferral(by_id("123"))),
        ("referral 4711", ShowReferral(by_id("4711"))),
        ("CRM-0001", ShowReferral(by_crm("CRM-0001"))),
        ("open 123", ShowReferral(by_id("123"))),
        ("show me 123", ShowReferral(by_id("123"))),
        ("show me the details of 123", ShowReferral(by_id("123"))),
        ("details of Contoso", ShowReferral(by_name("Contoso"))),
        ("details for the Contoso deal", ShowReferral(by_name("Contoso"))),
        ("what's up with Fabrikam", ShowReferral(by_name("Fabrikam"))),
        ("What’s up with Fabrikam?", ShowReferral(by_name("Fabrikam"))),
        ("how is Fabrikam doing", ShowReferral(by_name("Fabrikam"))),
        ("status of 123", ShowReferral(by_id("123"))),
        ("what's the status of 123", ShowReferral(by_id("123"))),
        ("where are we with Contoso Azure", ShowReferral(by_name("Contoso Azure"))),
        ("tell me about the Northwind lead", ShowReferral(by_name("Northwind"))),
        ("find Contoso", ShowReferral(by_name("Contoso"))),
        ("look up 123", ShowReferral(by_id("123"))),
        ("Contoso status", ShowReferral(by_name("Contoso"))),
        ("123 details", ShowReferral(by_id("123"))),
        ("show it", ShowReferral(LAST)),
        ("show that one", ShowReferral(LAST)),
        ("it", ShowReferral(LAST)),
        ("my open referrals", MY_OPEN),
        ("My Open Referrals", MY_OPEN),
        ("my deals", MY_OPEN),
        ("list my referrals", MY_OPEN),
        ("show my open deals", MY_OPEN),
        ("show me all my referrals", MY_OPEN),
        ("open referrals", MY_OPEN),
        ("referrals", MY_OPEN),
        ("my pipeline", MY_OPEN),
        ("what's open", MY_OPEN),
        ("list my active opportunities", MY_OPEN),
        ("new leads", NEW_LEADS),
        ("incoming leads", NEW_LEADS),
        ("show new leads", NEW_LEADS),
        ("any new leads?", NEW_LEADS),
        ("list incoming referrals", NEW_LEADS),
        ("my leads", NEW_LEADS),
        ("leads", NEW_LEADS),
        ("pending leads", NEW_LEADS),
        ("deals closing this month", THIS_MONTH),
        ("closing this month", THIS_MONTH),
        ("show my deals closing this month", THIS_MONTH),
        ("referrals that are closing this month", THIS_MONTH),
        ("what closes this month", THIS_MONTH),
        ("deals due this month", THIS_MONTH),
        ("closing by the end of this month", THIS_MONTH),
        ("closing this quarter", THIS_QUARTER),
        ("deals closing this quarter", THIS_QUARTER),
        ("show deals closing this qtr", THIS_QUARTER),
        ("what's closing this quarter", THIS_QUARTER),
        ("which deals close this quarter", THIS_QUARTER),
        ("more", ShowMore()),
        ("More", ShowMore()),
        ("next page", ShowMore()),
        ("show more", ShowMore()),
        ("next", ShowMore()),
        ("more please", ShowMore()),
        ("load more", ShowMore()),
    ],
)
def test_reading_and_listing(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", Help()),
        ("Help!", Help()),
        ("?", Help()),
        ("??", Help()),
        ("what can you do", Help()),
        ("what can you do?", Help()),
        ("how does this work", Help()),
        ("commands", Help()),
        ("hi", Help()),
        ("hello", Help()),
        ("<at>Referrals</at> help", Help()),
        ("help deal value", Help("deal value")),
        ("help with notes", Help("notes")),
        ("help close date", Help("close date")),
        ("help on the team", Help("team")),
        ("help stages", Help("stage")),
        ("help crm", Help("crm id")),
        ("help won", Help("outcomes")),
        ("help rename", Help("deal name")),
        ("help lists", Help("lists")),
        ("how do I set the close date", Help("close date")),
        ("how do I add a team member", Help("team")),
        ("how can I change the value", Help("deal value")),
        ("notes help", Help("notes")),
        ("help me with something", Help()),
        ("help xyzzy", Help()),
        ("cancel", Cancel()),
        ("Cancel.", Cancel()),
        ("stop", Cancel()),
        ("never mind", Cancel()),
        ("nevermind", Cancel()),
        ("nvm", Cancel()),
        ("start over", Cancel()),
        ("quit", Cancel()),
        ("forget it", Cancel()),
        ("scratch that", Cancel()),
        ("CANCEL", Cancel()),
        ("<at>Referrals</at> cancel", Cancel()),
        ("please cancel", Cancel()),
    ],
)
def test_help_and_cancel(text: str, expected: Command) -> None:
    assert parse(text) == expected
