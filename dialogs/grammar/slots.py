"""The slot parsers templates can use: which span of tokens is a referral, an amount, a date…

Each returns a value, a Problem (it looked like one but can't be used), or None (not this kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.intent import NoteEdit, Outcome
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.dates import parse_close_date
from dialogs.grammar.members import parse_member, parse_member_names
from dialogs.grammar.patterns import SlotParser, Span
from dialogs.grammar.problems import Problem
from dialogs.grammar.refs import parse_ref
from dialogs.grammar.relative_dates import read_duration
from dialogs.grammar.vocabulary import HELP_TOPICS, NOT_NAME_STARTS, OUTCOMES, STAGES

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


def make_slots(today: date) -> Mapping[str, SlotParser]:
    """Slots for one message; only the date slot depends on the seller's today."""
    return {
        "ref": SlotParser(lambda span: parse_ref(_clean(span.text)), max_tokens=12),
        "outcome": SlotParser(lambda span: OUTCOMES.get(_folded(span)), max_tokens=3),
        "stage": SlotParser(lambda span: STAGES.get(_folded(span)), max_tokens=1),
        "amount": SlotParser(lambda span: parse_amount(span.text), max_tokens=5),
        "date": SlotParser(lambda span: parse_close_date(span.text, today), max_tokens=7),
        "duration": SlotParser(lambda span: read_duration(_folded(span).split()), max_tokens=4),
        "reason": SlotParser(_reason, max_tokens=120),
        "lost": SlotParser(lambda span: _only(OUTCOMES.get(_folded(span)), Outcome.LOST), 2),
        "competitor": SlotParser(_competitor, max_tokens=12),
        "quoted_note": SlotParser(_quoted_note, max_tokens=200),
        "note": SlotParser(lambda span: _note(span, replace=False), max_tokens=2000),
        "replace_note": SlotParser(lambda span: _note(span, replace=True), max_tokens=2000),
        "name": SlotParser(_deal_name, max_tokens=40),
        "crm": SlotParser(_crm_id, max_tokens=1),
        "member": SlotParser(lambda span: parse_member(span.text), max_tokens=12),
        "who": SlotParser(lambda span: parse_member_names(span.text), max_tokens=12),
        "topic": SlotParser(_topic, max_tokens=10),
        "anything": SlotParser(lambda span: span.text, max_tokens=2000),
    }


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
    words = tuple(token.folded for token in span.tokens if not token.is_punctuation)
    for phrase, topic in _TOPIC_PHRASES:
        if any(words[at : at + len(phrase)] == phrase for at in range(len(words))):
            return topic
    return None
