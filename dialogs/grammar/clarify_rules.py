"""Phrasings understood well enough to know that guessing would be wrong: the parser asks."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.grammar import messages
from dialogs.grammar.commands import ParseFailure, ReferralRef
from dialogs.grammar.dead_ends import won_or_lost
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.templates import rules

Ask = Callable[[Bindings], ParseFailure]

# "close 123": won or lost?
CLOSE_WITHOUT_OUTCOME = ("(close|close out) {ref}",)
# "move it by a week": later or earlier? ("push it back a week" is read: relative_rules.py)
SHIFT_BY = (
    "<move> [{ref}] [(out|back|forward|ahead|up)] by {duration}",
    "<move> {ref} (out|back|forward|ahead|up) [by] {duration}",
    "<move> [the] <cd> [<of> {ref}] [(out|back|forward|ahead|up)] by {duration}",
    "<move> [the] <cd> [<of> {ref}] (out|back|forward|ahead|up) [by] {duration}",
)


def _which_outcome(bindings: Bindings) -> ParseFailure:
    ref = bindings.take("ref", ReferralRef)
    return ParseFailure(
        messages.close_without_outcome(ref),
        f"close {messages.as_typed(ref)} as won",
        won_or_lost(ref),  # issue 16 §6: "Won" / "Lost" buttons
    )


def _shift_by(bindings: Bindings) -> ParseFailure:
    ref = bindings.maybe("ref", ReferralRef) or ReferralRef.last()
    count, unit = bindings.take("duration", tuple)
    amount = f"{count} {unit[:-1] if count == 1 else unit}"
    return ParseFailure(messages.SHIFT_BY, f"push {messages.as_typed(ref)} out by {amount}")


CLARIFY_RULES: tuple[tuple[Pattern, Ask], ...] = (
    *rules(CLOSE_WITHOUT_OUTCOME, _which_outcome),
    *rules(SHIFT_BY, _shift_by),
)
