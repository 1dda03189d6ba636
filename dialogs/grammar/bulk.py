"""Several referrals in one change: "mark 555 and 556 lost", "close 123, 124 and 125 as won",
"push every deal closing this week to next Friday".

Issue 16, section 4. The ids are read as a list only where the rest of the message is a change
the grammar already understands for one referral: the list is replaced by its first id, the
message is read again, and if that reading is a change of exactly that id, the change is meant
for every id of the list. So each phrasing of a single change also works for several referrals,
with no second table of templates, and a list the single reading does not confirm ("move 123 to
March 3, 2027") is left alone. Ids only: names joined by "and" are read as before.

A list as the target ("every deal closing this week", "all my overdue deals") works the same
way: the words after "every"/"all" that read as a list (dialogs/grammar/list_rules.py), longest
first, stand for one referral in a change the grammar understands.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.domain.list_query import Measure
from dialogs.grammar.commands import (
    Command,
    ListReferrals,
    ReferralRef,
    RefKind,
    UpdateReferral,
    UpdateReferrals,
)

# An id, then one or more ", id", " and id", ", and id", " & id". A comma needs a space after it,
# so an amount written "5,000" is never a list of two ids.
_ID = r"#?\d{1,20}"
_JOIN = r"(?:\s*,\s+(?:and\s+)?|\s*,\s*&\s*|\s+and\s+|\s*&\s*)"
_NOUNS = r"(?:(?:the\s+)?(?:referrals|deals|leads|opportunities)\s+)?"  # "mark deals 1 and 2 won"
_ID_LIST = re.compile(
    rf"(?<![\w#.,/-])({_NOUNS}{_ID}(?:{_JOIN}{_ID})+)(?![\w.]|,\d)", re.IGNORECASE
)
_ONE_ID = re.compile(_ID)


def read_id_list(text: str, read_one: Callable[[str], Command | None]) -> UpdateReferrals | None:
    """`read_one` reads a message naming one referral (the parser, without this rule)."""
    if "and" not in text.casefold() and "," not in text and "&" not in text:
        return None  # most messages: no list to look for
    for found in _ID_LIST.finditer(text):
        ids = tuple(dict.fromkeys(m.group().lstrip("#") for m in _ONE_ID.finditer(found.group())))
        if len(ids) < 2:
            continue
        single = text[: found.start()] + ids[0] + text[found.end() :]
        command = read_one(single)
        if (
            isinstance(command, UpdateReferral)
            and command.ref == ReferralRef(RefKind.ID, ids[0])
            and not command.intent.add_members  # people to complete are asked about one by one
        ):
            return UpdateReferrals(tuple(ReferralRef(RefKind.ID, i) for i in ids), command.intent)
    return None


_EVERY = re.compile(r"\b(?:(every|each)|all(?:\s+of)?(?:\s+the)?)\s+", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_QUANTIFIERS = frozenset({"every", "each", "all"})
_PLURALS = {
    "deal": "deals",
    "referral": "referrals",
    "lead": "leads",
    "opportunity": "opportunities",
}
_STAND_IN = "9999999999999"  # an id for the list while the rest of the message is read
MAX_LIST_WORDS = 12


def swallowed_a_list(command: Command) -> bool:
    """ "push each deal closing this month by two weeks" read as a deal called "each deal …"."""
    return (
        isinstance(command, UpdateReferral)
        and command.ref.kind is RefKind.NAME
        and command.ref.text.split()[0].casefold() in _QUANTIFIERS
    )


def read_list_target(
    text: str, read_one: Callable[[str], Command | None]
) -> UpdateReferrals | None:
    """ "push every deal closing this week to next Friday": the change, for a list's referrals."""
    every = _EVERY.search(text)
    # A change names it before the list ("push every …"); "all my deals closing this week" with
    # nothing before is a list, never "close all my deals this week".
    if every is None or not text[: every.start()].strip() or _STAND_IN in text:
        return None
    ends = [word.end() for word in _WORD.finditer(text, every.end())][:MAX_LIST_WORDS]
    for end in reversed(ends):  # the longest list first: "deals closing this week"
        phrase = text[every.end() : end].rstrip(",.;:!")
        if every.group(1):  # "every deal ..." is a list of deals
            first, _, rest = phrase.partition(" ")
            phrase = " ".join(filter(None, (_PLURALS.get(first.casefold(), first), rest)))
        listing = read_one(phrase)
        if not isinstance(listing, ListReferrals) or listing.wanted().measure is not Measure.LIST:
            continue
        command = read_one(text[: every.start()] + _STAND_IN + text[end:])
        if (
            isinstance(command, UpdateReferral)
            and command.ref == ReferralRef(RefKind.ID, _STAND_IN)
            and not command.intent.add_members
        ):
            return UpdateReferrals((), command.intent, query=listing.wanted())
    return None
