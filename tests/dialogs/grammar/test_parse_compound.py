from __future__ import annotations

from datetime import date

import pytest

from bot.domain.intent import MemberSpec, NoteEdit, Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from tests.dialogs.grammar.support import LAST, by_id, by_name, money, parse, update

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "set the deal value of Contoso Azure to 150k and push the close date to next Friday",
            update(by_name("Contoso Azure"), deal_value=money("150000"), close_date=FRIDAY),
        ),
        (
            "set the deal value of 123 to 150k and close it next Friday",
            update(by_id("123"), deal_value=money("150000"), close_date=FRIDAY),
        ),
        (
            "mark 123 won and close it next Friday",
            update(by_id("123"), outcome=Outcome.WON, close_date=FRIDAY),
        ),
        (
            "accept 123 and add Jane Doe jane.doe@contoso.com",
            update(
                by_id("123"),
                outcome=Outcome.ACCEPTED,
                add_members=(MemberSpec("jane.doe@contoso.com", "Jane", "Doe"),),
            ),
        ),
        (
            "set value of 123 to 5k, close date end of month",
            update(by_id("123"), deal_value=money("5000"), close_date=date(2026, 11, 30)),
        ),
        (
            "set value of 123 to 5k; stage propose",
            update(by_id("123"), deal_value=money("5000"), sales_stage=SalesStage.PROPOSE),
        ),
        (
            "set value of 123 to 5k. Move it to develop.",
            update(by_id("123"), deal_value=money("5000"), sales_stage=SalesStage.DEVELOP),
        ),
        (
            "set value of 123 to 5k and then push it to next Friday",
            update(by_id("123"), deal_value=money("5000"), close_date=FRIDAY),
        ),
        (
            "set the value to 5k and the close date to next Friday",
            update(LAST, deal_value=money("5000"), close_date=FRIDAY),
        ),
        (
            "mark 123 won and note: signed by the CFO",
            update(by_id("123"), outcome=Outcome.WON, note=NoteEdit("signed by the CFO")),
        ),
        (
            "mark 123 won, value 1.2M and close date today",
            update(
                by_id("123"),
                outcome=Outcome.WON,
                deal_value=money("1200000"),
                close_date=date(2026, 11, 25),
            ),
        ),
        (
            "rename 123 to Contoso Two and set crm id to CRM-2",
            update(by_id("123"), deal_name="Contoso Two", external_reference_id="CRM-2"),
        ),
        (
            "set value of 123 to 5k and set value of 123 to 5k",
            update(by_id("123"), deal_value=money("5000")),
        ),
        (
            "set value of 123 to 5k and mark 123 won",
            update(by_id("123"), deal_value=money("5000"), outcome=Outcome.WON),
        ),
        (
            "add Jane to 123 and remove Bob from it",
            update(
                by_id("123"),
                add_members=(MemberSpec(first_name="Jane"),),
                remove_members=("Bob",),
            ),
        ),
        (
            "value 5k & stage develop",
            update(LAST, deal_value=money("5000"), sales_stage=SalesStage.DEVELOP),
        ),
    ],
)
def test_several_changes_merge_into_one_update(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rename 123 to Johnson and Johnson",
            update(by_id("123"), deal_name="Johnson and Johnson"),
        ),
        (
            "note on 123: sent pricing and booked a demo",
            update(by_id("123"), note=NoteEdit("sent pricing and booked a demo")),
        ),
        (
            "mark Procter and Gamble won",
            update(by_name("Procter and Gamble"), outcome=Outcome.WON),
        ),
    ],
)
def test_and_inside_one_change_does_not_split_it(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("set value of 123 to 5k and mark 456 won", "more than one referral"),
        ("mark Contoso won and mark Fabrikam won", "more than one referral"),
        ("set value of 123 to 5k and value 6k", "two different deal values"),
        ("mark 123 won and mark it lost", "two different outcomes"),
        ("move 123 to Friday and push it to next month", "two different close dates"),
    ],
)
def test_contradictions_in_one_message_are_refused(text: str, message: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert message in result.message
