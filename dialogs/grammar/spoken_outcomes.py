"""Outcomes as sellers say them in passing: "it's a done deal", "we got it", "no go", "they
passed", "we didn't get Contoso" (issue 16, section 5).

A table of phrasings, each with the outcome it means, read after the field tables of
`dialogs/grammar/update_rules.py` (which already read "we won it", "it's a win"). Decisions:
- Only phrasings with one sales meaning are here. "closed it" may be closed-won or closed-lost,
  so it asks "won or lost?" as "close 123" does (`dialogs/grammar/clarify_rules.py`).
- "got", "landed", "signed" only take "it", "the deal" or an id after them, never a free name:
  "we got the budget approved" is not a referral called "budget approved".
- A negation is never a change (tests/dialogs/grammar/test_parse_variants.py): "we didn't get
  it" may mean "not yet", so it is not read as lost.
- A question is never a change: the parser skips these tables for a message that ends in "?"
  or starts like one ("did we win 123", "is it dead") (`is_question`).
- A bare outcome ("won") is a clause only inside a message with other clauses ("won, final
  value 118k"); alone it stays the help topic it is today.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.intent import ChangeIntent, Outcome
from dialogs.grammar import messages
from dialogs.grammar.clarify_rules import Ask
from dialogs.grammar.commands import ParseFailure, ReferralRef
from dialogs.grammar.dead_ends import won_or_lost
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.engine.tokens import Token
from dialogs.grammar.templates import rules
from dialogs.grammar.update_rules import Clause
from dialogs.grammar.vocabulary import word_set

# Where a free name may stand ({ref}) and where only "it", "the deal" or an id may ({it}).
_WE = "[(we|we've|we have|i|i've|i have|we just|we've just|i just)] [(just|finally|officially)]"
_WE_SAID = "(we|we've|we have|i|i've|i have) [(just|finally|officially)]"  # not "got it"
_THEY = "(they|they've|they have|the customer|customer|the client|client)"
_IT = (
    "(it|it's|it is|that's|that is|this is|this one's|this one is|the deal is|the deal's|"
    "deal's|deal is)"
)
_WIN_VERBS = "(got|landed|closed-won|bagged|secured|signed|booked|nailed down)"

WON = (
    f"{_WE_SAID} {_WIN_VERBS} {{it}}",
    f"{_THEY} [(just|finally|have|has)] signed [(it|the contract|the deal|the order|on)]",
    f"{_IT} [(a|now a)] done deal",
    "done deal",
    "deal done",
    "(deal|contract|order|po|sow) signed",
    "signed [(it|the deal|the contract)]",
    "{ref} <colon> [(is|has|just|finally|has just)] signed",
    "{ref} <colon> (is|is now|was) a done deal",
    "{ref} (deal done|done deal)",
)
LOST = (
    f"{_IT} [(a|now a)] (no go|no-go|nogo|dead|dead in the water|a dead deal|gone|over)",
    "(no go|no-go|nogo)",
    "(dead deal|deal's dead|deal dead|deal is dead)",
    "{ref} <colon> (is|was|is now) [a] (no go|no-go|nogo|dead|dead in the water)",
    "(it|the deal|deal|{ref}) (died|fell through|fell apart|went away|is off|was cancelled|"
    "was canceled|got cancelled|got canceled)",
    f"{_THEY} (passed|walked away|backed out|pulled out|went another way|went elsewhere|"
    "said no|chose someone else|picked someone else|declined) [(on it|on us|on the deal|on {ref})]",
    f"{_THEY} (went with|chose|picked|signed with|bought from) {{competitor}}",
    "[(we|we've|we have|i)] [(just|finally)] {lost} [(it|this one|that one|the deal)] to "
    "{competitor}",
)
# "closed it": closed-won or closed-lost? Asked, as "close 123" is.
CLOSED = (f"{_WE} closed {{it}}", "closed {it}", "we closed {ref}")
# Clause-only: a bare outcome, when other clauses of the message name fields.
BARE = ("[(closed|close|close as|closed as|mark|mark as|mark it|mark it as)] {outcome}",)

# A name that ends in one of these may have swallowed an outcome ("it's a win, value 90k").
OUTCOME_ENDINGS = word_set(
    "won win lost loss signed done deal dead go no-go nogo through passed declined accepted"
)
_QUESTION_STARTS = word_set(
    "did didn't is isn't was wasn't has hasn't have haven't does do are were will would can "
    "could should shall what when who why how which any anything"
)


def is_question(text: str, tokens: tuple[Token, ...]) -> bool:
    """ "did we win 123?", "is it dead": a question about a deal, never a change."""
    return text.rstrip().endswith("?") or (bool(tokens) and tokens[0].folded in _QUESTION_STARTS)


Build = Callable[[Bindings], Clause | None]


def _outcome(outcome: Outcome) -> Build:
    def build(bindings: Bindings) -> Clause | None:
        ref = bindings.maybe("ref", ReferralRef) or bindings.maybe("it", ReferralRef)
        reason = bindings.maybe("competitor", str)
        return Clause(ref, ChangeIntent(outcome=outcome, reason=reason))

    return build


def _bare(bindings: Bindings) -> Clause | None:
    return Clause(None, ChangeIntent(outcome=bindings.take("outcome", Outcome)))


def _which_outcome(bindings: Bindings) -> ParseFailure:
    ref = bindings.maybe("ref", ReferralRef) or bindings.maybe("it", ReferralRef)
    ref = ref or ReferralRef.last()
    return ParseFailure(
        messages.close_without_outcome(ref),
        f"close {messages.as_typed(ref)} as won",
        won_or_lost(ref),  # issue 16 §6: "Won" / "Lost" buttons
    )


SPOKEN_RULES: tuple[tuple[Pattern, Build], ...] = (
    *rules(WON, _outcome(Outcome.WON)),
    *rules(LOST, _outcome(Outcome.LOST)),
)
CLAUSE_ONLY_RULES: tuple[tuple[Pattern, Build], ...] = rules(BARE, _bare)
SPOKEN_CLARIFY_RULES: tuple[tuple[Pattern, Ask], ...] = rules(CLOSED, _which_outcome)
