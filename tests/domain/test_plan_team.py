"""Adding sellers once, removing by replacing the whole array, and matching people safely."""

from __future__ import annotations

from typing import Any

import jsonpatch
import pytest

from bot.domain.errors import InvalidChangeError, NothingToChangeError
from bot.domain.intent import MemberSpec
from tests.domain.planning import JANE, JOHN, LABEL, make_referral, ops, plan, rows

ALEX = MemberSpec(email="alex.kim@contoso.com", first_name="Alex", last_name="Kim")
ALEX_ENTRY = {"firstName": "Alex", "lastName": "Kim", "email": "alex.kim@contoso.com"}
SAM = MemberSpec("sam@contoso.com", "Sam", "Lee", phone_number=" +44 20 7946 0000 ")
SAM_ENTRY = {
    "firstName": "Sam",
    "lastName": "Lee",
    "email": "sam@contoso.com",
    "phoneNumber": "+44 20 7946 0000",
}


def test_adding_a_member_appends_to_the_team() -> None:
    change = plan(make_referral(), add_members=(ALEX,))
    assert ops(change) == [{"op": "add", "path": "/team/-", "value": ALEX_ENTRY}]
    assert rows(change) == [("Team", "Jane Doe, John Smith", "Jane Doe, John Smith, Alex Kim")]
    assert change.after.to_document()["team"] == [JANE, JOHN, ALEX_ENTRY]


def test_each_new_member_gets_its_own_add_with_phone_when_given() -> None:
    change = plan(make_referral(), add_members=(ALEX, SAM))
    assert ops(change) == [
        {"op": "add", "path": "/team/-", "value": ALEX_ENTRY},
        {"op": "add", "path": "/team/-", "value": SAM_ENTRY},
    ]


@pytest.mark.parametrize("team", [..., []], ids=["absent", "empty"])
def test_the_first_member_of_a_teamless_referral(team: Any) -> None:
    change = plan(make_referral(team=team), add_members=(ALEX,))
    expected = (
        [{"op": "add", "path": "/team", "value": [ALEX_ENTRY]}]
        if team is ...
        else [{"op": "add", "path": "/team/-", "value": ALEX_ENTRY}]
    )
    assert ops(change) == expected
    assert rows(change) == [("Team", "—", "Alex Kim")]


@pytest.mark.parametrize(
    "email", ["jane.doe@contoso.com", "JANE.DOE@Contoso.com", " jane.doe@contoso.com "]
)
def test_someone_already_on_the_team_is_a_no_op(email: str) -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(make_referral(), add_members=(MemberSpec(email, "Jane", "Doe"),))
    assert caught.value.user_message == (
        f"{LABEL} already has Jane Doe <{email.strip()}> on its team."
    )


def test_all_requested_members_already_there_is_a_no_op() -> None:
    jane = MemberSpec("jane.doe@contoso.com", "Jane", "Doe")
    john = MemberSpec("john.smith@contoso.com", "John", "Smith")
    with pytest.raises(NothingToChangeError, match=r"Jane Doe .* and already has John Smith"):
        plan(make_referral(), add_members=(jane, john))


def test_members_already_there_are_skipped_with_a_warning() -> None:
    jane = MemberSpec("Jane.Doe@contoso.com", "Jane", "Doe")
    change = plan(make_referral(), add_members=(jane, ALEX))
    assert ops(change) == [{"op": "add", "path": "/team/-", "value": ALEX_ENTRY}]
    assert change.warnings == (
        "Jane Doe <Jane.Doe@contoso.com> is already on the team, so I left them out.",
    )


def test_the_same_new_member_twice_in_one_request_is_added_once() -> None:
    again = MemberSpec("ALEX.KIM@contoso.com", "Alex", "Kim")
    change = plan(make_referral(), add_members=(ALEX, again))
    assert ops(change) == [{"op": "add", "path": "/team/-", "value": ALEX_ENTRY}]
    assert change.warnings == ()


@pytest.mark.parametrize(
    ("spec", "missing"),
    [
        (MemberSpec(first_name="Alex", last_name="Kim"), "e-mail address"),
        (MemberSpec(email="alex@contoso.com", last_name="Kim"), "first name"),
        (MemberSpec(email="alex@contoso.com", first_name="Alex"), "last name"),
        (MemberSpec(email="alex@contoso.com"), "first name and last name"),
        (MemberSpec(first_name="Alex"), "e-mail address and last name"),
        (MemberSpec(email="alex@contoso.com", first_name=" ", last_name="Kim"), "first name"),
    ],
)
def test_an_incomplete_member_is_refused_saying_what_is_missing(
    spec: MemberSpec, missing: str
) -> None:
    with pytest.raises(InvalidChangeError) as caught:
        plan(make_referral(), add_members=(spec,))
    assert caught.value.user_message.endswith(f"I also need their {missing}.")


@pytest.mark.parametrize("email", ["alex", "alex@", "@contoso.com", "alex@contoso", "a b@c.com"])
def test_a_malformed_email_is_refused(email: str) -> None:
    with pytest.raises(InvalidChangeError, match="doesn't look like an e-mail"):
        plan(make_referral(), add_members=(MemberSpec(email, "Alex", "Kim"),))


@pytest.mark.parametrize(
    "who",
    [
        "john.smith@contoso.com",
        "JOHN.SMITH@CONTOSO.COM",
        "John Smith",
        "john  smith",
        "John",
        "smith",
    ],
)
def test_removing_replaces_the_whole_team_keeping_the_others_intact(who: str) -> None:
    change = plan(make_referral(), remove_members=(who,))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JANE]}]
    assert rows(change) == [("Team", "Jane Doe, John Smith", "Jane Doe")]


def test_the_kept_members_keep_every_member_the_service_sent() -> None:
    change = plan(make_referral(), remove_members=("Jane",))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JOHN]}]


def test_removing_two_members_in_one_go() -> None:
    change = plan(make_referral(), remove_members=("Jane", "john.smith@contoso.com"))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": []}]
    assert change.warnings == (f"Nobody will be left on the team of {LABEL}.",)


def test_naming_the_same_member_twice_removes_them_once() -> None:
    change = plan(make_referral(), remove_members=("Jane", "jane.doe@contoso.com"))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JOHN]}]


@pytest.mark.parametrize("who", ["Alex", "alex.kim@contoso.com", "Jane Smith", ""])
def test_removing_someone_not_on_the_team_is_refused_naming_the_team(who: str) -> None:
    with pytest.raises(InvalidChangeError) as caught:
        plan(make_referral(), remove_members=(who,))
    message = caught.value.user_message
    assert f"isn't on the team of {LABEL}" in message
    assert "The team is: Jane Doe, John Smith." in message


def test_an_ambiguous_name_is_refused_listing_the_matches() -> None:
    jane_roe = {"firstName": "Jane", "lastName": "Roe", "email": "jane.roe@contoso.com"}
    referral = make_referral(team=[JANE, JOHN, jane_roe])
    with pytest.raises(InvalidChangeError) as caught:
        plan(referral, remove_members=("jane",))
    message = caught.value.user_message
    assert "Jane Doe <jane.doe@contoso.com>" in message
    assert "Jane Roe <jane.roe@contoso.com>" in message
    assert "e-mail" in message


def test_a_full_name_wins_over_a_first_name_match() -> None:
    jane_smith = {"firstName": "Jane", "lastName": "Smith", "email": "jane.smith@contoso.com"}
    referral = make_referral(team=[JANE, JOHN, jane_smith])
    change = plan(referral, remove_members=("Jane Smith",))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JANE, JOHN]}]


def test_adding_and_removing_together_is_one_replace_with_the_final_team() -> None:
    change = plan(make_referral(), add_members=(ALEX,), remove_members=("John",))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JANE, ALEX_ENTRY]}]
    assert rows(change) == [("Team", "Jane Doe, John Smith", "Jane Doe, Alex Kim")]


def test_adding_someone_already_there_while_removing_another_skips_them() -> None:
    jane = MemberSpec("jane.doe@contoso.com", "Jane", "Doe")
    change = plan(make_referral(), add_members=(jane,), remove_members=("John",))
    assert ops(change) == [{"op": "replace", "path": "/team", "value": [JANE]}]
    assert len(change.warnings) == 1


@pytest.mark.parametrize(
    "intent",
    [
        {"add_members": (ALEX,)},
        {"remove_members": ("Jane",)},
        {"add_members": (ALEX, SAM), "remove_members": ("John",)},
    ],
)
def test_the_team_after_image_is_the_patched_document(intent: dict[str, Any]) -> None:
    referral = make_referral()
    change = plan(referral, **intent)
    patched = jsonpatch.apply_patch(referral.to_document(), list(change.operations))
    assert change.after.to_document() == patched
