"""Team members as sellers type them: "Jane Doe jane.doe@contoso.com +1 425 555 0100"."""

from __future__ import annotations

import re

from bot.domain.intent import MemberSpec
from dialogs.grammar.vocabulary import word_set

_EMAIL = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_PHONE_PIECE = re.compile(r"\+?[\d()./-]*\d[\d()./-]*")
_NAME = re.compile(r"[^\W\d_][\w'.-]*")
_WRAPPERS = "<>()[],;\"'"
_NOT_NAMES = word_set(
    "a an the note notes comment value stage crm team member members me him her them it "
    "referral deal lead and or to from with as"
)
_TITLES = word_set("dr mr mrs ms miss prof sir")
MAX_NAME_WORDS = 4
MIN_PHONE_DIGITS = 6


def parse_member(text: str) -> MemberSpec | None:
    """Names, one e-mail and one phone number in any order; None if it isn't a person."""
    words = [word for word in _words(text) if word.casefold().rstrip(".") not in _TITLES]
    kinds = [(_kind(word), word) for word in words]
    if not kinds or any(kind is None for kind, _ in kinds) or not _contiguous(kinds):
        return None
    emails = [word.casefold() for kind, word in kinds if kind == "email"]
    names = [word for kind, word in kinds if kind == "name"]
    phone = " ".join(word for kind, word in kinds if kind == "phone")
    if len(emails) > 1 or len(names) > MAX_NAME_WORDS or (not emails and not names):
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
