"""The status rules of spec §4, checked before the seller is asked to confirm anything.

Status/substatus pairing, direction (a partner can only accept, decline or let expire what it
received), the allowed moves, and Closed as a terminal state. The planner refuses here, in the
seller's words, what Partner Center would otherwise answer with a bare 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.domain.errors import NothingToChangeError, TransitionNotAllowedError
from bot.domain.formatting import format_referral, format_status
from bot.domain.intent import Outcome
from bot.domain.referral import Direction, Referral, Status, Substatus

SUBSTATUSES_OF: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        Status.NEW: frozenset({Substatus.PENDING, Substatus.RECEIVED}),
        Status.ACTIVE: frozenset({Substatus.ACCEPTED}),
        Status.CLOSED: frozenset(
            {Substatus.WON, Substatus.LOST, Substatus.DECLINED, Substatus.EXPIRED}
        ),
    }
)
MOVES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        Status.NEW: frozenset({Status.NEW, Status.ACTIVE, Status.CLOSED}),
        Status.ACTIVE: frozenset({Status.ACTIVE, Status.CLOSED}),
        Status.CLOSED: frozenset(),
    }
)
INCOMING_ONLY = frozenset({Substatus.RECEIVED, Substatus.DECLINED, Substatus.EXPIRED})
TARGETS: Mapping[Outcome, tuple[Status, Substatus]] = MappingProxyType(
    {
        Outcome.WON: (Status.CLOSED, Substatus.WON),
        Outcome.LOST: (Status.CLOSED, Substatus.LOST),
        Outcome.DECLINED: (Status.CLOSED, Substatus.DECLINED),
        Outcome.ACCEPTED: (Status.ACTIVE, Substatus.ACCEPTED),
    }
)
IRREVERSIBLE = frozenset({Outcome.WON, Outcome.LOST, Outcome.DECLINED})
FINAL_RULE = "Won, Lost, Declined and Expired are final in Partner Center"


def is_valid_state(status: str | None, substatus: str | None, direction: str | None) -> bool:
    """The pairing table, plus direction when the referral has one."""
    if substatus not in SUBSTATUSES_OF.get(str(status), frozenset()):
        return False
    return not (direction == Direction.OUTGOING and substatus in INCOMING_ONLY)


def can_move(old: str | None, new: str | None) -> bool:
    return str(new) in MOVES.get(str(old), frozenset())


def is_closed(referral: Referral) -> bool:
    return referral.status == Status.CLOSED


def check_open(referral: Referral, *, outcome: Outcome | None, only_outcome: bool) -> None:
    """Closed is terminal; repeating the outcome it already has is a no-op, not a refusal."""
    if not is_closed(referral):
        return
    label = format_referral(referral.name, referral.id)
    state = format_status(referral.status, referral.substatus)
    if outcome is not None and only_outcome and is_current(referral, outcome):
        raise NothingToChangeError(f"{label} is already {outcome.value}.")
    raise TransitionNotAllowedError(
        f"{label} is closed ({state}). {FINAL_RULE}, so it can't be changed any more."
    )


def check_outcome(referral: Referral, outcome: Outcome) -> tuple[Status, Substatus]:
    """The (status, substatus) the outcome leads to from an open referral, or why not."""
    label = format_referral(referral.name, referral.id)
    target = TARGETS[outcome]
    if outcome is Outcome.ACCEPTED:
        _check_accept(referral, label)
    elif outcome is Outcome.DECLINED:
        _check_decline(referral, label)
    if not can_move(referral.status, target[0]):
        state = format_status(referral.status, referral.substatus)
        raise TransitionNotAllowedError(
            f"I can't mark {label} {outcome.value}: Partner Center doesn't allow that from {state}."
        )
    if not is_valid_state(target[0], target[1], _direction(referral)):
        raise TransitionNotAllowedError(
            f"Partner Center doesn't allow {label} to be {outcome.value}."
        )
    return target


def is_current(referral: Referral, outcome: Outcome) -> bool:
    """The referral already has the state the outcome leads to ("123 is already accepted")."""
    return TARGETS[outcome] == (referral.status, referral.substatus)


def _check_accept(referral: Referral, label: str) -> None:
    if referral.status == Status.NEW and referral.direction != Direction.INCOMING:
        raise TransitionNotAllowedError(
            f"Only incoming leads can be accepted. {label} is one your organisation sent; "
            "the partner you sent it to accepts it."
        )


def _check_decline(referral: Referral, label: str) -> None:
    if referral.status == Status.NEW and referral.direction == Direction.INCOMING:
        return
    kind = "an active deal" if referral.status == Status.ACTIVE else "not a new incoming lead"
    raise TransitionNotAllowedError(
        f"Decline is only for new incoming leads, and {label} is {kind}. "
        "If the deal fell through, mark it lost instead."
    )


def _direction(referral: Referral) -> str | None:
    return None if referral.direction is None else str(referral.direction)
