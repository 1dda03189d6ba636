"""Several referrals in one change: "mark 555 and 556 lost", "close 123, 124 and 125 as won".

Issue 16, section 4. The ids are read as a list only where the rest of the message is a change
the grammar already understands for one referral: the list is replaced by its first id, the
message is read again, and if that reading is a change of exactly that id, the change is meant
for every id of the list. So each phrasing of a single change also works for several referrals,
with no second table of templates, and a list the single reading does not confirm ("move 123 to
March 3, 2027") is left alone. Ids only: names joined by "and" are read as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dialogs.grammar.commands import Command, ReferralRef, RefKind, UpdateReferral, UpdateReferrals

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
