from __future__ import annotations

import pytest

from bot.domain.intent import MemberSpec
from dialogs.grammar.commands import UpdateReferral
from dialogs.grammar.members import parse_member, parse_member_names
from tests.dialogs.grammar.support import LAST, by_id, by_name, parse, update

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
