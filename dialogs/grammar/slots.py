"""The slot parsers templates can use: which span of tokens is a referral, an amount, a date…

Each returns a value, a Problem (it looked like one but can't be used), or None (not this kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from bot.domain.intent import NoteEdit, Outcome
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.commands import ReferralRef, RefKind
from dialogs.grammar.dates import parse_close_date
from dialogs.grammar.digest_rules import DIGEST_SLOTS
from dialogs.grammar.engine.patterns import SlotParser, Span
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.members import parse_member_names, parse_members
from dialogs.grammar.refs import parse_ref
from dialogs.grammar.relative_dates import read_duration
from dialogs.grammar.relative_rules import RELATIVE_SLOTS
from dialogs.grammar.vocabulary import HELP_TOPICS, NOT_NAME_STARTS, OUTCOMES, STAGES, STATES

MAX_DEAL_NAME = 200
MAX_CRM_ID = 100
MAX_REASON = 500
_QUOTES = "\"'"
_END_PUNCTUATION = ".!?;:, "
_REASON_LABELS = frozenset({"reason", "because", "reason:"})

_TOPIC_PHRASES = sorted(
    (
        (tuple(phrase.split()), topic)
        for topic, phrases in HELP_TOPICS.items()
        for phrase in phrases
    ),
    key=lambda pair: -len(pair[0]),
)
# Longer phrases first, then table order: a phrase's rank is its first place in that order.
_TOPIC_RANKS: Mapping[tuple[str, ...], int] = {
    phrase: rank for rank, (phrase, _) in reversed(list(enumerate(_TOPIC_PHRASES)))
}
_TOPIC_LENGTHS = frozenset(len(phrase) for phrase in _TOPIC_RANKS)


@lru_cache(maxsize=8)
def make_slots(today: date) -> Mapping[str, SlotParser]:
    """Slots for one seller's day (only the date slot depends on it); built once per day."""
    return MappingProxyType(
        {
            "ref": SlotParser(lambda span: parse_ref(_clean(span.text)), 12, objects=False),
            "outcome": SlotParser(lambda span: OUTCOMES.get(_folded(span)), 3, objects=False),
            "stage": SlotParser(lambda span: STAGES.get(_folded(span)), 1, objects=False),
            "amount": SlotParser(lambda span: parse_amount(span.text), max_tokens=8),
            "date": SlotParser(lambda span: parse_close_date(span.text, today), max_tokens=7),
            "duration": SlotParser(
                lambda span: read_duration(_folded(span).split()), 4, objects=False
            ),
            "reason": SlotParser(_reason, max_tokens=120),
            "lost": SlotParser(
                lambda span: _only(OUTCOMES.get(_folded(span)), Outcome.LOST), 2, objects=False
            ),
            "competitor": SlotParser(_competitor, max_tokens=12),
            "quoted_note": SlotParser(_quoted_note, 200, objects=False),
            "note": SlotParser(lambda span: _note(span, replace=False), 2000, objects=False),
            "replace_note": SlotParser(lambda span: _note(span, replace=True), 2000, objects=False),
            "name": SlotParser(_deal_name, max_tokens=40),
            "crm": SlotParser(_crm_id, 1, objects=False),
            "member": SlotParser(lambda span: parse_members(span.text), 40, objects=False),
            "who": SlotParser(lambda span: parse_member_names(span.text), 12, objects=False),
            "topic": SlotParser(_topic, 10, objects=False),
            "anything": SlotParser(lambda span: span.text, 2000, objects=False),
            # Issue 16 §1: the state a question asks about ("is 123 still open?").
            "state": SlotParser(lambda span: STATES.get(_folded(span)), 3, objects=False),
            # Issue 16, section 5: "we got it", "we got 123", never "we got the budget approved".
            "it": SlotParser(lambda span: _not_a_name(parse_ref(_clean(span.text))), 4, False),
            **RELATIVE_SLOTS,  # issue 16, section 3: relative changes
            **DIGEST_SLOTS,  # issue 17 §4: "every weekday at 9"
        }
    )


def _not_a_name(ref: ReferralRef | None) -> ReferralRef | None:
    return ref if ref is not None and ref.kind is not RefKind.NAME else None


def _folded(span: Span) -> str:
    return " ".join(token.folded for token in span.tokens)


def _clean(text: str) -> str:
    """The seller's words without wrapping quotes or the sentence's final punctuation."""
    text = text.strip().rstrip(_END_PUNCTUATION)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        text = text[1:-1].strip()
    return text


def _reason(span: Span) -> str | Problem | None:
    text = _clean(span.text.lstrip(":-,; "))
    label, _, rest = text.partition(" ")
    if label.casefold().rstrip(":") in _REASON_LABELS and rest:
        text = rest.lstrip(":-, ")
    if not text:
        return None
    if len(text) > MAX_REASON:
        return Problem("That reason is too long; please keep it under 500 characters.")
    return text


def _only(value: Outcome | None, wanted: Outcome) -> Outcome | None:
    return value if value is wanted else None


def _competitor(span: Span) -> str | Problem | None:
    """ "lost 123 to AWS": the reason keeps the words "Lost to"."""
    reason = _reason(span)
    return f"Lost to {reason}" if isinstance(reason, str) else reason


def _quoted_note(span: Span) -> NoteEdit | None:
    text = span.text.strip()
    quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES
    return _note(span, replace=False) if quoted else None


def _note(span: Span, *, replace: bool) -> NoteEdit | None:
    text = span.text.lstrip(":-,;= ").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        text = text[1:-1].strip()
    return NoteEdit(text=text, replace=replace) if text else None


def _deal_name(span: Span) -> str | Problem | None:
    text = _clean(span.text)
    if not text or not any(ch.isalnum() for ch in text):
        return None
    if len(text) > MAX_DEAL_NAME:
        return Problem("That deal name is too long; please keep it under 200 characters.")
    return text


def _crm_id(span: Span) -> str | None:
    text = _clean(span.text)
    first = text.split()[0].casefold() if text else ""
    if not text or first in NOT_NAME_STARTS or len(text) > MAX_CRM_ID:
        return None
    return text if any(ch.isalnum() for ch in text) else None


def _topic(span: Span) -> str | None:
    """The best-ranked help phrase anywhere in the span."""
    words = tuple(token.folded for token in span.tokens if not token.is_punctuation)
    ranks = [
        rank
        for length in _TOPIC_LENGTHS
        for at in range(len(words) - length + 1)
        if (rank := _TOPIC_RANKS.get(words[at : at + length])) is not None
    ]
    return _TOPIC_PHRASES[min(ranks)][1] if ranks else None
