"""Which referral a seller means: an id, a GUID, a CRM id, a deal or customer name, or "it"."""

from __future__ import annotations

import re
from itertools import pairwise

from dialogs.grammar.commands import ReferralRef, RefKind
from dialogs.grammar.vocabulary import (
    COMMAND_WORDS,
    CRM_PREFIXES,
    FIELD_WORDS,
    ID_PREFIXES,
    LAST_WORDS,
    NEGATIONS,
    NOT_NAME_STARTS,
    REF_NOUNS,
    REF_PREFIXES,
)

_GUID = re.compile(r"\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?")
_SHORT_ID = re.compile(r"#?(\d{1,20})")
_OPAQUE_ID = re.compile(r"#?([a-z0-9][a-z0-9_-]{0,63})")
_CRM_ID = re.compile(r"crm[-_#]?[a-z0-9][a-z0-9_-]*")
_NAME_WORD = re.compile(r"[\w&'.+-]*\w[\w&'.+-]*|&")
_QUOTES = "\"'"
_LINKS = frozenset({"to", "of", "for", "on", "from"})
MAX_NAME_WORDS = 8
MAX_NAME_LENGTH = 80


def parse_ref(text: str) -> ReferralRef | None:
    """None when the text cannot name a referral (so a template tries another reading)."""
    words = text.strip().strip(_QUOTES).split()
    if not words:
        return None
    if " ".join(words).casefold() in LAST_WORDS:
        return ReferralRef.last()
    core = _undecorated(words)
    if not core:
        return ReferralRef.last() if core is not None else None
    if " ".join(core).casefold() in LAST_WORDS:
        return ReferralRef.last()  # "it's worth 300k", "that one's won": not a deal called "It"
    folded = [word.casefold() for word in core]
    return _by_id(core, folded) or _by_crm(core, folded) or _by_name(core, folded)


def _undecorated(words: list[str]) -> list[str] | None:
    """Without "the"/"our" and a trailing "deal"/"lead"/"'s team"; None if nothing but "the"."""
    start, end = 0, len(words)
    if words[0].casefold() in REF_PREFIXES:
        start = 1
    while end > start and words[end - 1].casefold() in REF_NOUNS:
        end -= 1
    core = words[start:end]
    if not core:  # "the deal", "this lead": the one just discussed; a bare "deals" is not
        return [] if start > 0 and end < len(words) else None
    if core[-1].casefold().endswith("'s") and len(core[-1]) > 2:
        core[-1] = core[-1][:-2]
    return core


def _by_id(words: list[str], folded: list[str]) -> ReferralRef | None:
    for prefix in ID_PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(folded) == len(prefix) + 1:
            opaque = _OPAQUE_ID.fullmatch(folded[-1]) or _GUID.fullmatch(folded[-1])
            if opaque and any(ch.isdigit() for ch in opaque.group(1)):
                return ReferralRef(RefKind.ID, words[-1].lstrip("#").strip("{}"))
    if len(folded) != 1:
        return None
    guid = _GUID.fullmatch(folded[0])
    if guid:
        return ReferralRef(RefKind.ID, guid.group(1))
    short = _SHORT_ID.fullmatch(folded[0])
    return ReferralRef(RefKind.ID, short.group(1)) if short else None


def _by_crm(words: list[str], folded: list[str]) -> ReferralRef | None:
    for prefix in CRM_PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(folded) == len(prefix) + 1:
            return ReferralRef(RefKind.CRM, words[-1].strip(_QUOTES))
    if len(folded) == 1 and _CRM_ID.fullmatch(folded[0]):
        return ReferralRef(RefKind.CRM, words[0])
    return None


def _by_name(words: list[str], folded: list[str]) -> ReferralRef | None:
    """ "the Northwind lead" -> Northwind; "the deal with Fabrikam" -> Fabrikam."""
    if len(words) > 2 and folded[0] in REF_NOUNS and folded[1] in ("with", "for"):
        words = words[2:]
    name = " ".join(words)
    return ReferralRef(RefKind.NAME, name) if _plausible_name(name) else None


def _plausible_name(name: str) -> bool:
    words = name.casefold().split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and len(name) <= MAX_NAME_LENGTH
        and any(ch.isalpha() for ch in name)
        and words[0] not in COMMAND_WORDS
        and words[0] not in NOT_NAME_STARTS
        and not FIELD_WORDS.intersection(words)
        and not NEGATIONS.intersection(words)
        and all(_NAME_WORD.fullmatch(word) for word in words)
        and not _hides_an_id(words)
    )


def _hides_an_id(words: list[str]) -> bool:
    """ "123 to nxet", "vaule of 123": an id inside a name means a mistyped command word."""
    if len(words) > 1 and _SHORT_ID.fullmatch(words[0]):
        return True
    return any(word in _LINKS and _SHORT_ID.fullmatch(after) for word, after in pairwise(words))
