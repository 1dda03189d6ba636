"""Issue 16 §6, no dead ends: a message nothing else read still gets told what would work.

Asked only after every reading failed, so it costs nothing on a message that is understood.
Every command it offers is checked by parsing it (`understand`): a button or an example never
says something the parser itself would refuse. The referral is recovered the same way: the
message's unreadable tail is replaced by a value that reads ("set stage of Contoso to banana"
-> "… to qualify") and the referral of that reading is the one the seller named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bot.domain.intent import Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar import messages
from dialogs.grammar.commands import (
    Choice,
    Command,
    ParseFailure,
    ReferralRef,
    RefKind,
    ShowReferral,
    UpdateReferral,
)
from dialogs.grammar.engine.tokens import Token
from dialogs.grammar.vocabulary import COMMAND_WORDS, FIELD_CUES, word_set

Understand = Callable[[str], Command | None]
Wanted = Callable[[UpdateReferral], bool]

OUTCOME_WORDS = word_set("mark close closed status flag")
STAGE_WORDS = word_set("stage phase")
VALUE_WORDS = word_set("value amount worth revenue size price")
DATE_WORDS = word_set("date closing closes push slip pull postpone delay reschedule")
# Where a value starts: "set stage of 123 to banana", "value of 123 is lots", "stage: banana".
VALUE_STARTS = word_set("to as into is = :")
# Words after which the rest is taken for a referral's name ("update Ember Cobalt Ltd"): a
# change or a field, never a general verb ("make me a sandwich" names no referral).
NAME_AFTER = FIELD_CUES | word_set("update change edit modify mark set close flag move push")
VALUE_EXAMPLES = ("150k", "2.5 million")
DATE_EXAMPLES = ("next Friday", "30 June")
# Read-only, so a click never starts a change the seller did not mean (bot/cards/help.py).
EXAMPLE_COMMANDS = (
    Choice("My open referrals", "my open referrals"),
    Choice("New leads", "new leads"),
    Choice("Help", "help"),
)


def won_or_lost(ref: ReferralRef) -> tuple[Choice, ...]:
    """ "close 123": won or lost? Each button is the whole command."""
    typed = messages.as_typed(ref)
    return (Choice("Won", f"mark {typed} won"), Choice("Lost", f"mark {typed} lost"))


def specific_refusal(
    cleaned: str, words: tuple[Token, ...], understand: Understand
) -> ParseFailure | None:
    """A field or an outcome the message names but whose value is missing or unreadable:
    asked before any "did you mean" (a typo fix of "mark Lots Road Auctions" is no help)."""
    folded = {token.folded for token in words}
    if not folded.isdisjoint(STAGE_WORDS):
        stage = _unknown_stage(cleaned, words, understand)
        if stage is not None:
            return stage
    if not folded.isdisjoint(VALUE_WORDS):
        value = _unclear(cleaned, words, understand, VALUE_EXAMPLES, _sets_value, "deal value")
        if value is not None:
            return value
    if not folded.isdisjoint(DATE_WORDS):
        day = _unclear(cleaned, words, understand, DATE_EXAMPLES, _sets_date, "close date")
        if day is not None:
            return day
    if not folded.isdisjoint(OUTCOME_WORDS):
        return _missing_outcome(cleaned, words, understand)
    return None


def general_refusal(
    text: str, cleaned: str, words: tuple[Token, ...], understand: Understand
) -> ParseFailure:
    """The referral it names, else the verb or field, else nothing known: each with what
    would work. `text` as typed (echoed back), `cleaned` normalized with `words` its tokens."""
    ref = _any_ref(cleaned, words, understand)
    if ref is not None:
        return _what_to_do(ref, understand)
    if not {token.folded for token in words}.isdisjoint(COMMAND_WORDS | FIELD_CUES):
        return ParseFailure(messages.WHAT_TO_DO, choices=EXAMPLE_COMMANDS)
    return ParseFailure(messages.not_understood(text), choices=EXAMPLE_COMMANDS)


def _sets_stage(command: UpdateReferral) -> bool:
    return command.intent.sales_stage is not None


def _sets_value(command: UpdateReferral) -> bool:
    return command.intent.deal_value is not None


def _sets_date(command: UpdateReferral) -> bool:
    return command.intent.close_date is not None


def _heads(cleaned: str, words: tuple[Token, ...]) -> Iterator[str]:
    """The message without its unreadable value: up to the last "to"/"is", whole (the value
    may be missing altogether: "mark Contoso"), and without its last word."""
    starts = [token.end for token in words if token.folded in VALUE_STARTS]
    if starts:
        yield cleaned[: starts[-1]]
    yield cleaned
    if len(words) > 1:
        yield cleaned[: words[-1].start].rstrip()


def _ref_of(
    cleaned: str, words: tuple[Token, ...], understand: Understand, value: str, wanted: Wanted
) -> ReferralRef | None:
    """An id as typed, else the referral of the first reading with `value` in place of the
    unreadable part; a name must be the seller's words, never the value's ("next Friday")."""
    typed = _typed_id(words)
    if typed is not None:
        return typed
    for head in _heads(cleaned, words):
        command = understand(f"{head} {value}")
        if not isinstance(command, UpdateReferral) or not wanted(command):
            continue
        ref = command.ref
        if ref.kind is RefKind.LAST or ref.text.casefold() in head.casefold():
            return ref
    return None


def _typed_id(words: tuple[Token, ...]) -> ReferralRef | None:
    """A referral id typed somewhere in a message no template read ("move 123 to stage x")."""
    ids = [token.text for token in words if token.text.lstrip("#").isdigit()]
    return ReferralRef(RefKind.ID, ids[0].lstrip("#")) if len(ids) == 1 else None


def _works(understand: Understand, command: str, wanted: Wanted) -> bool:
    reading = understand(command)
    return isinstance(reading, UpdateReferral) and wanted(reading)


def _unknown_stage(
    cleaned: str, words: tuple[Token, ...], understand: Understand
) -> ParseFailure | None:
    ref = _ref_of(cleaned, words, understand, "qualify", _sets_stage) or ReferralRef.last()
    typed = messages.as_typed(ref)
    choices = tuple(
        Choice(stage.value, f"set the stage of {typed} to {stage.value.casefold()}")
        for stage in SalesStage
    )
    if not all(_works(understand, choice.message, _sets_stage) for choice in choices):
        return None
    return ParseFailure(messages.unknown_stage(ref), choices=choices)


def _unclear(
    cleaned: str,
    words: tuple[Token, ...],
    understand: Understand,
    examples: tuple[str, str],
    wanted: Wanted,
    field: str,
) -> ParseFailure | None:
    ref = _ref_of(cleaned, words, understand, examples[0], wanted) or ReferralRef.last()
    typed = messages.as_typed(ref)
    said = tuple(f"set the {field} of {typed} to {example}" for example in examples)
    if not all(_works(understand, example, wanted) for example in said):
        return None
    return ParseFailure(messages.unclear_value(field, said[0], said[1]))


def _has_outcome(command: UpdateReferral) -> bool:
    return command.intent.outcome in (Outcome.WON, Outcome.LOST)


def _missing_outcome(
    cleaned: str, words: tuple[Token, ...], understand: Understand
) -> ParseFailure | None:
    ref = _ref_of(cleaned, words, understand, "won", _has_outcome)
    if ref is None:
        return None
    choices = won_or_lost(ref)
    if not all(_works(understand, choice.message, _has_outcome) for choice in choices):
        return None
    return ParseFailure(messages.close_without_outcome(ref), choices=choices)


def _any_ref(cleaned: str, words: tuple[Token, ...], understand: Understand) -> ReferralRef | None:
    """An id anywhere, or a name after a command or field word ("update Ember Cobalt Ltd")."""
    typed = _typed_id(words)
    if typed is not None:
        return typed
    for index, token in enumerate(words[:-1]):
        if token.folded not in NAME_AFTER:
            continue
        rest = cleaned[words[index + 1].start :]
        reading = understand(f"show {rest}")
        if isinstance(reading, ShowReferral) and reading.ref.kind is not RefKind.LAST:
            return reading.ref
    return None


def _what_to_do(ref: ReferralRef, understand: Understand) -> ParseFailure:
    typed = messages.as_typed(ref)
    show = f"show {typed}"
    reading = understand(show)
    choices = (Choice("Show it", show),) if isinstance(reading, ShowReferral) else ()
    return ParseFailure(messages.what_to_do_with(ref), choices=choices)
