from __future__ import annotations

import pytest

from bot.domain.intent import MemberSpec, Outcome
from dialogs.grammar.commands import UpdateReferral
from dialogs.grammar.members import parse_member, parse_member_names, parse_members
from tests.dialogs.grammar.support import LAST, by_id, by_name, money, parse, update

JANE = MemberSpec(email="jane.doe@contoso.com", first_name="Jane", last_name="Doe")


def _add(ref_id: str, member: MemberSpec) -> UpdateReferral:
    return update(by_id(ref_id), add_members=(member,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add Jane Doe jane.doe@contoso.com to 4711", _add("4711", JANE)),
        ("add jane.doe@contoso.com Jane Doe to 4711", _add("4711", JANE)),
        ("add Jane Doe <jane.doe@contoso.com> to 4711", _add("4711", JANE)),
        ("add Jane Doe (Jane.Doe@Contoso.com) to 4711", _add("4711", JANE)),
        ("Add Jane Doe jane.doe@contoso.com to the team of 4711", _add("4711", JANE)),
        ("add Jane Doe jane.doe@contoso.com to 4711's team", _add("4711", JANE)),
        ("invite Jane Doe jane.doe@contoso.com to 4711", _add("4711", JANE)),
        (
            "add jane.doe@contoso.com to 4711",
            _add("4711", MemberSpec(email="jane.doe@contoso.com")),
        ),
        ("add Jane Doe to 123", _add("123", MemberSpec(first_name="Jane", last_name="Doe"))),
        ("add Jane to 123", _add("123", MemberSpec(first_name="Jane"))),
        (
            "add Mary-Ann van der Berg to 123",
            _add("123", MemberSpec(first_name="Mary-Ann", last_name="van der Berg")),
        ),
        (
            "add Jane Doe jane.doe@contoso.com +1 425 555 0100 to 123",
            _add(
                "123",
                MemberSpec("jane.doe@contoso.com", "Jane", "Doe", phone_number="+1 425 555 0100"),
            ),
        ),
        (
            "add Jane Doe as a team member to 123",
            _add("123", MemberSpec(first_name="Jane", last_name="Doe")),
        ),
        (
            "add Jane Doe jane.doe@contoso.com to the Contoso deal",
            update(by_name("Contoso"), add_members=(JANE,)),
        ),
        ("add Jane Doe jane.doe@contoso.com", update(LAST, add_members=(JANE,))),
        (
            "remove jane.doe@contoso.com from 123",
            update(by_id("123"), remove_members=("jane.doe@contoso.com",)),
        ),
        ("remove Jane from the Contoso deal", update(by_name("Contoso"), remove_members=("Jane",))),
        ("remove Jane Doe from 123", update(by_id("123"), remove_members=("Jane Doe",))),
        ("take Jane off 123", update(by_id("123"), remove_members=("Jane",))),
        ("drop Jane from the team of 123", update(by_id("123"), remove_members=("Jane",))),
        ("remove Jane and Bob from 123", update(by_id("123"), remove_members=("Jane", "Bob"))),
        ("remove Jane from the team", update(LAST, remove_members=("Jane",))),
    ],
)
def test_team_changes(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["a note", "5k", "jane@x.com bob@y.com", "Jane x@y.com Doe", "Jane 12", "", "the team"]
)
def test_text_that_is_not_one_person_is_no_member(text: str) -> None:
    assert parse_member(text) is None


def test_removing_by_email_ignores_its_casing() -> None:
    assert parse_member_names("Jane.Doe@Contoso.com") == ("jane.doe@contoso.com",)


def test_a_short_phone_number_is_not_taken_for_one() -> None:
    assert parse_member("Jane 12 34") is None


# Issue 16 §4: several people in one message, each with the details given.
OSCAR = MemberSpec(email="oscar.ward@contoso.com", first_name="Oscar", last_name="Ward")


def _named(first: str, last: str | None = None) -> MemberSpec:
    return MemberSpec(first_name=first, last_name=last)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "add Jane Doe jane.doe@contoso.com and Oscar Ward oscar.ward@contoso.com to 4711",
            update(by_id("4711"), add_members=(JANE, OSCAR)),
        ),
        (
            "add jane.doe@contoso.com, oscar.ward@contoso.com to 4711",
            update(
                by_id("4711"),
                add_members=(
                    MemberSpec(email="jane.doe@contoso.com"),
                    MemberSpec(email="oscar.ward@contoso.com"),
                ),
            ),
        ),
        (
            "add Jane Doe and Oscar Ward to 4711",
            update(by_id("4711"), add_members=(_named("Jane", "Doe"), _named("Oscar", "Ward"))),
        ),
        (
            "add Jane Doe (jane@contoso.com, +1 425 555 0100) and Oscar Ward to 555",
            update(
                by_id("555"),
                add_members=(
                    MemberSpec("jane@contoso.com", "Jane", "Doe", "+1 425 555 0100"),
                    _named("Oscar", "Ward"),
                ),
            ),
        ),
        (
            "put Jane and Oscar on the Contoso deal",
            update(by_name("Contoso"), add_members=(_named("Jane"), _named("Oscar"))),
        ),
        (
            "please add Priya Nair, Tom Lee; and Ana Silva to the team of 123",
            update(
                by_id("123"),
                add_members=(_named("Priya", "Nair"), _named("Tom", "Lee"), _named("Ana", "Silva")),
            ),
        ),
        (
            "invite Jane Doe as well as Oscar Ward to 4711's team",
            update(by_id("4711"), add_members=(_named("Jane", "Doe"), _named("Oscar", "Ward"))),
        ),
        (
            "add <jane.doe@contoso.com> & <oscar.ward@contoso.com> to Wong & Partners",
            update(
                by_name("Wong & Partners"),
                add_members=(
                    MemberSpec(email="jane.doe@contoso.com"),
                    MemberSpec(email="oscar.ward@contoso.com"),
                ),
            ),
        ),
        (
            "add Jane Doe, jane.doe@contoso.com, +44 20 7946 0958 and Oscar Ward, "
            "oscar.ward@contoso.com to O'Brien Logistics",
            update(
                by_name("O'Brien Logistics"),
                add_members=(
                    MemberSpec("jane.doe@contoso.com", "Jane", "Doe", "+44 20 7946 0958"),
                    OSCAR,
                ),
            ),
        ),
        (
            "include Jane Doe, oscar.ward@contoso.com to 123",  # not Jane's address: two people
            update(
                by_id("123"),
                add_members=(_named("Jane", "Doe"), MemberSpec(email="oscar.ward@contoso.com")),
            ),
        ),
        (
            "add jane and Mark Lee plus Oscar to the Müller & Söhne deal",
            update(
                by_name("Müller & Söhne"),
                add_members=(_named("jane"), _named("Mark", "Lee"), _named("Oscar")),
            ),
        ),
        (
            "add Jane Doe and Oscar Ward as team members on 4711",
            update(by_id("4711"), add_members=(_named("Jane", "Doe"), _named("Oscar", "Ward"))),
        ),
        (
            "add Jane Doe and Oscar Ward",
            update(LAST, add_members=(_named("Jane", "Doe"), _named("Oscar", "Ward"))),
        ),
        (
            "remove jane@contoso.com and oscar@contoso.com from 4711",
            update(by_id("4711"), remove_members=("jane@contoso.com", "oscar@contoso.com")),
        ),
        (
            "add Jane Doe and mark it won",  # a verb after "and" starts the next change
            update(LAST, add_members=(_named("Jane", "Doe"),), outcome=Outcome.WON),
        ),
        (
            "add Jane Doe and Oscar Ward to 4711 and set the value to 5k",
            update(
                by_id("4711"),
                add_members=(_named("Jane", "Doe"), _named("Oscar", "Ward")),
                deal_value=money("5000"),
            ),
        ),
    ],
)
def test_several_members_in_one_message(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jane and",  # nothing after the joiner is no second person
        "Jane and the value",
        "Jane Doe and +1 425 555 0100",  # a phone number alone is nobody
        "Jane, not Oscar",
        "jane@x.com bob@y.com and Oscar",
    ],
)
def test_a_list_with_a_piece_that_is_not_a_person_is_no_members(text: str) -> None:
    assert parse_members(text) is None


def test_a_single_member_reads_as_before() -> None:
    text = "Jane Doe <jane.doe@contoso.com>"
    assert parse_members(text) == (parse_member(text),)
