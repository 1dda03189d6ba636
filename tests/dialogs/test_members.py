"""Adding people: ask for what is missing, fill in known colleagues, validate the answers."""

from __future__ import annotations

import pytest

from bot.domain.intent import MemberSpec
from bot.domain.referral import Referral
from dialogs import replies
from dialogs.member_details_dialog import MemberDetailsDialog
from dialogs.members import fill_from_colleagues, parse_email, parse_full_name
from tests.dialogs.harness import DialogHarness, StandaloneDialog, card_text
from tests.dialogs.seed import referral_document


def added(change_operations: tuple[dict[str, object], ...]) -> list[object]:
    return [op["value"] for op in change_operations if op["path"] == "/team/-"]


async def test_a_missing_email_is_asked_for() -> None:
    bot = DialogHarness()

    question = await bot.say("add Sara Davis to 123")
    card = (await bot.say("sara.davis@contoso.com")).card

    assert question.texts == [replies.ask_email("Sara Davis")]
    members = added((await bot.stored(card)).operations)
    assert members == [
        {"firstName": "Sara", "lastName": "Davis", "email": "sara.davis@contoso.com"}
    ]
    assert "Sara Davis" in card_text(card)


async def test_a_missing_name_is_asked_for() -> None:
    bot = DialogHarness()

    question = await bot.say("add sara.davis@contoso.com to 123")
    card = (await bot.say("Sara Davis")).card

    assert question.texts == [replies.ask_full_name("sara.davis@contoso.com")]
    members = added((await bot.stored(card)).operations)
    assert members[0]["firstName"] == "Sara"  # type: ignore[index]
    assert members[0]["lastName"] == "Davis"  # type: ignore[index]


async def test_a_missing_last_name_is_asked_for_alone() -> None:
    bot = DialogHarness()

    question = await bot.say("add Sara sara.davis@contoso.com to 123")
    card = (await bot.say("Davis")).card

    assert question.texts == [replies.ask_last_name("Sara")]
    assert added((await bot.stored(card)).operations)[0]["lastName"] == "Davis"  # type: ignore[index]


async def test_an_invalid_email_is_asked_again() -> None:
    bot = DialogHarness()
    await bot.say("add Sara Davis to 123")

    retry = await bot.say("sara at contoso")
    card = (await bot.say("sara.davis@contoso.com")).card

    assert retry.texts == [replies.EMAIL_RETRY]
    assert (await bot.stored(card)).referral_id == "123"


async def test_a_single_word_name_is_asked_again() -> None:
    bot = DialogHarness()
    await bot.say("add sara.davis@contoso.com to 123")

    assert (await bot.say("Sara")).texts == [replies.NAME_RETRY]


async def test_a_known_colleague_is_filled_in_from_other_referrals_teams() -> None:
    bot = DialogHarness()

    card = (await bot.say("add Jane Doe to 123")).card  # Jane is on 4712's team

    assert added((await bot.stored(card)).operations) == [
        {
            "firstName": "Jane",
            "lastName": "Doe",
            "email": "jane.doe@contoso.com",
            "phoneNumber": "+1 425 555 0100",
        }
    ]


async def test_a_known_colleagues_email_fills_in_the_name() -> None:
    bot = DialogHarness()

    card = (await bot.say("add alex.wilber@contoso.com to 123")).card

    member = added((await bot.stored(card)).operations)[0]
    assert member["firstName"] == "Alex"  # type: ignore[index]
    assert member["lastName"] == "Wilber"  # type: ignore[index]


async def test_complete_members_need_no_lookup() -> None:
    bot = DialogHarness()

    await bot.say("add Sara Davis sara.davis@contoso.com to 123")

    assert bot.referrals.called("list") == []


async def test_someone_already_on_the_team_is_not_added_twice() -> None:
    bot = DialogHarness()

    replies_ = await bot.say("add Megan Bowen megan.bowen@contoso.com to 123")

    assert replies_.cards == []
    assert "Nothing was changed" in replies_.text
    assert len(bot.pending) == 0


async def test_two_incomplete_members_are_asked_one_question_at_a_time() -> None:
    bot = DialogHarness()
    results: list[object] = []
    members = (
        MemberSpec(first_name="Sara", last_name="Davis"),
        MemberSpec(email="kim@contoso.com"),
    )
    run = StandaloneDialog(MemberDetailsDialog(bot.services), members, results)

    questions = [
        await run.say("hello"),
        await run.say("sara@contoso.com"),
        await run.say("Kim Lee"),
    ]

    assert questions[0] == [replies.ask_email("Sara Davis")]
    assert questions[1] == [replies.ask_full_name("kim@contoso.com")]
    assert questions[2] == []
    assert results == [
        (
            MemberSpec("sara@contoso.com", "Sara", "Davis"),
            MemberSpec("kim@contoso.com", "Kim", "Lee"),
        )
    ]


COLLEAGUES = [
    Referral.from_document(
        referral_document(
            "1",
            "A",
            "A",
            team=(
                {"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@contoso.com"},
                {"firstName": "Jane", "lastName": "Roe", "email": "jane.roe@contoso.com"},
                {"firstName": "Omar", "lastName": "Bux", "email": "omar.bux@contoso.com"},
            ),
        )
    )
]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (MemberSpec(first_name="Omar"), MemberSpec("omar.bux@contoso.com", "Omar", "Bux")),
        (MemberSpec(first_name="Jane"), MemberSpec(first_name="Jane")),  # two Janes: ask
        (
            MemberSpec(first_name="jane", last_name="roe"),
            MemberSpec("jane.roe@contoso.com", "jane", "roe"),
        ),
        (
            MemberSpec(email="JANE.DOE@contoso.com"),
            MemberSpec("JANE.DOE@contoso.com", "Jane", "Doe"),
        ),
        (MemberSpec(email="new@contoso.com"), MemberSpec(email="new@contoso.com")),
        (MemberSpec("x@y.com", "X", "Y"), MemberSpec("x@y.com", "X", "Y")),
    ],
)
def test_colleagues_fill_in_only_unambiguous_matches(
    given: MemberSpec, expected: MemberSpec
) -> None:
    assert fill_from_colleagues([given], COLLEAGUES) == (expected,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane.doe@contoso.com", "jane.doe@contoso.com"),
        (" <jane@contoso.de> ", "jane@contoso.de"),
        ("mailto:jane@contoso.com", "jane@contoso.com"),
        ("jane", None),
        ("jane@contoso", None),
        ("jane doe@contoso.com", None),
        ("", None),
    ],
)
def test_email_answers(text: str, expected: str | None) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("  Jane   van der Berg ", ("Jane", "van der Berg")),
        ("Jane", None),
        ("", None),
    ],
)
def test_full_name_answers(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_full_name(text) == expected


# Issue 16 §4: several people in one message.
async def test_two_members_with_their_details_reach_one_confirm_card() -> None:
    bot = DialogHarness()

    replies_ = await bot.say(
        "add Sara Davis sara.davis@contoso.com and Kim Lee (kim.lee@contoso.com, "
        "+1 425 555 0199) to 123"
    )

    card = replies_.card
    assert added((await bot.stored(card)).operations) == [
        {"firstName": "Sara", "lastName": "Davis", "email": "sara.davis@contoso.com"},
        {
            "firstName": "Kim",
            "lastName": "Lee",
            "email": "kim.lee@contoso.com",
            "phoneNumber": "+1 425 555 0199",
        },
    ]
    assert "Sara Davis" in card_text(card)
    assert "Kim Lee" in card_text(card)
    assert bot.referrals.called("list") == []  # both complete: no colleague lookup


async def test_two_members_without_emails_are_asked_one_at_a_time() -> None:
    bot = DialogHarness()

    first = await bot.say("add Sara Davis and Kim Lee to 123")
    second = await bot.say("sara.davis@contoso.com")
    card = (await bot.say("kim.lee@contoso.com")).card

    assert first.texts == [replies.ask_email("Sara Davis")]
    assert second.texts == [replies.ask_email("Kim Lee")]
    assert second.cards == []
    assert added((await bot.stored(card)).operations) == [
        {"firstName": "Sara", "lastName": "Davis", "email": "sara.davis@contoso.com"},
        {"firstName": "Kim", "lastName": "Lee", "email": "kim.lee@contoso.com"},
    ]
    text = card_text(card)
    assert "Sara Davis" in text
    assert "Kim Lee" in text


async def test_a_known_colleague_is_filled_in_and_only_the_other_is_asked_about() -> None:
    bot = DialogHarness()

    question = await bot.say("add Jane Doe and Kim Lee to 123")  # Jane is on 4712's team
    card = (await bot.say("kim.lee@contoso.com")).card

    assert question.texts == [replies.ask_email("Kim Lee")]
    emails = [member["email"] for member in added((await bot.stored(card)).operations)]  # type: ignore[index]
    assert emails == ["jane.doe@contoso.com", "kim.lee@contoso.com"]
