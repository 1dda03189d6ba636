"""Complete the team members a seller adds: from colleagues we already know, then by asking.

"Known colleagues" are the people on the teams of the seller's open referrals (one `list` call,
made only when a member is incomplete): a match by e-mail, by full name, or by a first name that
only one colleague has fills in what the seller left out. Pure functions; the dialog asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import StrEnum

from bot.domain.intent import MemberSpec
from bot.domain.referral import Referral, TeamMember

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]{2,}$")


class MissingField(StrEnum):
    EMAIL = "email"
    FULL_NAME = "full_name"
    LAST_NAME = "last_name"


def missing_field(member: MemberSpec) -> MissingField | None:
    if not member.email:
        return MissingField.EMAIL
    if not member.first_name:
        return MissingField.FULL_NAME
    if not member.last_name:
        return MissingField.LAST_NAME
    return None


def first_incomplete(members: Sequence[MemberSpec]) -> int | None:
    return next((i for i, member in enumerate(members) if not member.is_complete), None)


def describe(member: MemberSpec) -> str:
    """How to name someone in a question: their name if known, else their e-mail."""
    name = " ".join(part for part in (member.first_name, member.last_name) if part)
    return name or member.email or "this person"


def parse_email(text: str) -> str | None:
    candidate = text.strip().strip("<>").removeprefix("mailto:")
    return candidate if _EMAIL.match(candidate) else None


def parse_full_name(text: str) -> tuple[str, str] | None:
    words = text.split()
    if len(words) < 2:
        return None
    return words[0], " ".join(words[1:])


def parse_last_name(text: str) -> str | None:
    cleaned = " ".join(text.split())
    return cleaned or None


def with_answer(member: MemberSpec, field: MissingField, answer: str) -> MemberSpec:
    """The member with a validated answer filled in (the prompt's validator checked it)."""
    if field is MissingField.EMAIL:
        return replace(member, email=parse_email(answer))
    if field is MissingField.FULL_NAME:
        first, last = parse_full_name(answer) or (None, None)
        return replace(member, first_name=first, last_name=member.last_name or last)
    return replace(member, last_name=parse_last_name(answer))


def fill_from_colleagues(
    members: Sequence[MemberSpec], referrals: Iterable[Referral]
) -> tuple[MemberSpec, ...]:
    colleagues = _colleagues(referrals)
    return tuple(_fill(member, colleagues) for member in members)


def _colleagues(referrals: Iterable[Referral]) -> list[TeamMember]:
    seen: dict[str, TeamMember] = {}
    for referral in referrals:
        for person in referral.team:
            if person.email and person.first_name and person.last_name:
                seen.setdefault(person.email.casefold(), person)
    return list(seen.values())


def _fill(member: MemberSpec, colleagues: Sequence[TeamMember]) -> MemberSpec:
    if member.is_complete:
        return member
    match = _match(member, colleagues)
    if match is None:
        return member
    return replace(
        member,
        email=member.email or match.email,
        first_name=member.first_name or match.first_name,
        last_name=member.last_name or match.last_name,
        phone_number=member.phone_number or match.phone_number,
    )


def _match(member: MemberSpec, colleagues: Sequence[TeamMember]) -> TeamMember | None:
    if member.email:
        wanted = member.email.casefold()
        return next((c for c in colleagues if (c.email or "").casefold() == wanted), None)
    candidates = [c for c in colleagues if _same(c.first_name, member.first_name)]
    if member.last_name:
        candidates = [c for c in candidates if _same(c.last_name, member.last_name)]
    return candidates[0] if len(candidates) == 1 else None


def _same(left: str | None, right: str | None) -> bool:
    return bool(left and right and left.casefold() == right.casefold())
