from __future__ import annotations

import itertools

import pytest

from bot.domain.referral import Direction, Status, Substatus
from bot.domain.transitions import can_move, is_valid_state
from tests.domain.planning import SPEC_STATES

_ALL = list(itertools.product(list(Status), list(Substatus), list(Direction)))


@pytest.mark.parametrize(("status", "substatus", "direction"), _ALL)
def test_only_the_spec_pairings_and_directions_are_valid(
    status: Status, substatus: Substatus, direction: Direction
) -> None:
    expected = (status.value, substatus.value, direction.value) in SPEC_STATES
    assert is_valid_state(status, substatus, direction) is expected


@pytest.mark.parametrize(
    ("status", "substatus"),
    [("New", "Received"), ("Closed", "Declined"), ("Closed", "Expired"), ("Active", "Accepted")],
)
def test_without_a_direction_only_the_pairing_counts(status: str, substatus: str) -> None:
    assert is_valid_state(status, substatus, None)


@pytest.mark.parametrize(
    ("status", "substatus"), [("Paused", "Accepted"), ("Active", "Paused"), (None, None)]
)
def test_unknown_statuses_are_not_valid(status: str | None, substatus: str | None) -> None:
    assert not is_valid_state(status, substatus, "Incoming")


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("New", "New", True),
        ("New", "Active", True),
        ("New", "Closed", True),
        ("Active", "New", False),
        ("Active", "Active", True),
        ("Active", "Closed", True),
        ("Closed", "New", False),
        ("Closed", "Active", False),
        ("Closed", "Closed", False),
        ("Paused", "Closed", False),
        (None, "Active", False),
    ],
)
def test_moves_follow_the_spec_table(old: str | None, new: str, allowed: bool) -> None:
    assert can_move(old, new) is allowed
