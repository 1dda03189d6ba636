"""Team members as sellers type them: "Jane Doe jane.doe@contoso.com +1 425 555 0100"."""

from __future__ import annotations

import re

from bot.domain.intent import MemberSpec
from dialogs.grammar.vocabulary import (
    COMMAND_WORDS,
    FIELD_WORDS,
    NEGATIONS,
    NOT_NAME_STARTS,
    word_set,
)

_EMAIL = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_PHONE_PIECE = re.compile(r"\+?[\d()./-]*\d[\d()./-]*")
_NAME = re.compile(r"[^\W\d_][\w'.-]*")
_WRAPPERS = "<>()[],;\"'"
_NOT_NAMES = word_set(
    "a an the note notes comment value stage crm team member members me him her them it "
    "referral deal lead and or to from with as"
)
_TITLES = word_set("dr mr mrs ms miss prof sir")
_JOINERS = r"(?:and|plus|as well as|along with)"
_LIST_SEPARATOR = re.compile(rf"\s*(?:[,;&]\s*)+(?:{_JOINERS}\s+)?|\s+{_JOINERS}\s+", re.IGNORECASE)
_DETAIL_SEPARATORS = frozenset({",", ";"})
_COMMAND_STARTS = COMMAND_WORDS | NOT_NAME_STARTS
_NEVER_IN_NAMES = FIELD_WORDS | NEGATIONS
MAX_NAME_WORDS = 4
MIN_PHONE_DIGITS = 6


def parse_member(text: str) -> MemberSpec | None:
    """Names, one e-mail and one phone number in any order; None if it isn't a person."""
    member = _details(text)
    return member if member and (member.email or member.first_name) else None


def parse_members(text: str) -> tuple[MemberSpec, ...] | None:
    """Issue 16 §4: several people, split at "and", "&", commas or semicolons outside brackets.

    Members are people, so "&" separates them too (no person is called "Wong & Partners").
    After a comma a piece may instead be more about the person before it: a phone number, or
    an e-mail whose local part holds one of their names ("Jane Doe, jane.doe@contoso.com").
    """
    pieces = _pieces(text)
    if len(pieces) == 1:
        member = parse_member(text)
        return (member,) if member else None
    members: list[MemberSpec] = []
    for index, (separator, piece) in enumerate(pieces):
        details = _details(piece)
        if details is None or (index and _starts_a_command(piece)):
            return None
        if members and separator in _DETAIL_SEPARATORS and _belongs(details, members[-1]):
            members[-1] = _joined(members[-1], details)
        elif details.email or details.first_name:
            members.append(details)
        else:
            return None
    return tuple(members)


def _pieces(text: str) -> list[tuple[str, str]]:
    """(separator before it, text) for each piece; brackets hold one person's details."""
    pieces: list[tuple[str, str]] = []
    separator, start = "", 0
    for found in _LIST_SEPARATOR.finditer(text):
        before = text[: found.start()]
        if sum(before.count(ch) for ch in "([") > sum(before.count(ch) for ch in ")]"):
            continue
        pieces.append((separator, text[start : found.start()]))
        separator, start = " ".join(found.group().casefold().split()), found.end()
    pieces.append((separator, text[start:]))
    return [(separator, piece) for separator, piece in pieces if piece.strip()]


def _starts_a_command(piece: str) -> bool:
    """ "add Jane and mark it won" is two changes; "add Jane and Mark Lee" is two people."""
    words = piece.split()
    if any(word.casefold() in _NEVER_IN_NAMES for word in words):
        return True
    return words[0] in _COMMAND_STARTS  # lower case only: "Mark" is a name, "mark" a verb


def _belongs(details: MemberSpec, member: MemberSpec) -> bool:
    if details.first_name or (details.phone_number and member.phone_number):
        return False
    if details.email:
        if member.email:
            return False
        names = f"{member.first_name or ''} {member.last_name or ''}".casefold().split()
        local = details.email.partition("@")[0]
        return any(len(name) > 1 and name in local for name in names)
    return True


def _joined(member: MemberSpec, details: MemberSpec) -> MemberSpec:
    return MemberSpec(
        email=member.email or details.email,
        first_name=member.first_name,
        last_name=member.last_name,
        phone_number=member.phone_number or details.phone_number,
    )


def _details(text: str) -> MemberSpec | None:
    """What one piece of a list says about a person; a phone number alone may follow a name."""
    words = [word for word in _words(text) if word.casefold().rstrip(".") not in _TITLES]
    kinds = [(_kind(word), word) for word in words]
    if not kinds or any(kind is None for kind, _ in kinds) or not _contiguous(kinds):
        return None
    emails = [word.casefold() for kind, word in kinds if kind == "email"]
    names = [word for kind, word in kinds if kind == "name"]
    phone = " ".join(word for kind, word in kinds if kind == "phone")
    if len(emails) > 1 or len(names) > MAX_NAME_WORDS:
        return None
    if phone and sum(ch.isdigit() for ch in phone) < MIN_PHONE_DIGITS:
        return None
    return MemberSpec(
        email=emails[0] if emails else None,
        first_name=names[0] if names else None,
        last_name=" ".join(names[1:]) or None,
        phone_number=phone or None,
    )


def _kind(word: str) -> str | None:
    if _EMAIL.fullmatch(word):
        return "email"
    if _PHONE_PIECE.fullmatch(word):
        return "phone"
    return "name" if _is_name(word) else None


def _contiguous(kinds: list[tuple[str | None, str]]) -> bool:
    """A name or a phone number is one run of words, not scattered around the e-mail."""
    runs = [
        kind for index, (kind, _) in enumerate(kinds) if index == 0 or kinds[index - 1][0] != kind
    ]
    return len(runs) == len(set(runs))


def parse_member_names(text: str) -> tuple[str, ...] | None:
    """Who to remove: e-mails or names, several joined by "and" or commas."""
    pieces = [piece.strip() for piece in re.split(r",|\band\b|&", text) if piece.strip()]
    found: list[str] = []
    for piece in pieces:
        words = _words(piece)
        emails = [word for word in words if _EMAIL.fullmatch(word)]
        if len(emails) == 1 and all(_is_name(word) for word in words if word not in emails):
            found.append(emails[0].casefold())
        elif 0 < len(words) <= MAX_NAME_WORDS and all(_is_name(word) for word in words):
            found.append(" ".join(words))
        else:
            return None
    return tuple(found) or None


def _is_name(word: str) -> bool:
    return bool(_NAME.fullmatch(word)) and word.casefold() not in _NOT_NAMES


def _words(text: str) -> list[str]:
    words = (word.strip(_WRAPPERS) for word in text.split())
    return [word.removeprefix("mailto:") for word in words if word]
