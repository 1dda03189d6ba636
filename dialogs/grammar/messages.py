"""Every sentence the grammar says to a seller, in one place (dialogs add "Did you mean …").

Sentences are plain text with the seller's words in them; the dialogs make them inert before
they go into a markdown message (dialogs.replies).
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.grammar.commands import ReferralRef, RefKind
from dialogs.grammar.engine.problems import shorten

EMPTY = "I didn't catch any words there. Say help to see what I can do."
TOO_LONG = "That message is too long for me; please send one change at a time."
TWO_REFERRALS = (
    "That message mentions more than one referral; please change one referral per message."
)
SHIFT_BY = (
    "Should the close date move later or earlier? Say “push it out by 2 weeks” or "
    "“pull it in by 2 weeks”, or tell me the new date."
)
# Issue 17 §4: the digest.
DIGEST_WHEN = (
    "When should I send your digest? Say the days and the time, like "
    "“send me a digest every weekday at 9”."
)
DIGEST_EXAMPLE = "send me a digest every weekday at 9"
DIGEST_TIME = "I can't read that time. Say it like 9am, 8:30, 5pm or 17:00."
_FIELD_LABELS: Mapping[str, str] = {
    "outcome": "outcomes",
    "reason": "reasons",
    "deal_value": "deal values",
    "close_date": "close dates",
    "note": "notes",
    "sales_stage": "sales stages",
    "deal_name": "deal names",
    "external_reference_id": "CRM ids",
}
CONFLICTING_FIELDS = tuple(_FIELD_LABELS)


def not_understood(text: str) -> str:
    """`text` as the seller typed it, not normalised: the normaliser decodes entities and
    full-width forms, which would echo `&#91;x&#93;(…)` back as a real `[x](…)`."""
    return f"Sorry, I didn't understand “{shorten(text)}”. Say help to see what I can do."


def conflicting(field: str) -> str:
    label = _FIELD_LABELS.get(field, field)
    return f"That message asks for two different {label}; which one do you mean?"


def close_without_outcome(ref: ReferralRef) -> str:
    return f"Should I close {describe(ref)} as won or as lost?"


def describe(ref: ReferralRef) -> str:
    """How the seller referred to it, for echoing back ("referral 123", "Contoso", "it")."""
    if ref.kind is RefKind.LAST:
        return "it"
    if ref.kind is RefKind.ID:
        return f"referral {ref.text}"
    return ref.text


def as_typed(ref: ReferralRef) -> str:
    """The reference as a seller would type it again in a suggested command."""
    return "it" if ref.kind is RefKind.LAST else ref.text


# Issue 16 §6 (no dead ends, dialogs/grammar/dead_ends.py): every refusal says what would work.
WHAT_TO_DO = (
    "I couldn't tell which referral you mean or what should change. Say it like "
    "“mark 123 won” or “set the deal value of Contoso Azure to 150k”, or pick one of these."
)


def unknown_stage(ref: ReferralRef) -> str:
    return (
        f"I don't know that sales stage. Which stage should {describe(ref)} be in: "
        "Qualify, Develop, Propose or Close?"
    )


def unclear_value(field: str, first: str, second: str) -> str:
    return f"I couldn't read the new {field}. Say it like “{first}” or “{second}”."


def what_to_do_with(ref: ReferralRef) -> str:
    typed = as_typed(ref)
    return (
        f"I can tell you mean {describe(ref)}, but not what should change. Say it like "
        f"“mark {typed} won” or “set the deal value of {typed} to 150k”."
    )
