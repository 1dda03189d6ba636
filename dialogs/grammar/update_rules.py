"""Phrasings that change a referral, one table per field; the slot names say what is set.

Order matters: templates with more fixed words come first, the loosest ("won 123",
"123 won") last, so "take Jane off 123" is a team change before it could be "take 123".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.intent import ChangeIntent, MemberSpec, Money, NoteEdit, Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import ReferralRef
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.relative_rules import (
    RELATIVE,
    RELATIVE_FIRST,
    relative_ref,
    with_relative,
)
from dialogs.grammar.templates import compile_all

NOTES = (
    "(set|replace|overwrite|change|update|edit|rewrite) [the] <note> (of|on|for|to|in) {ref} "
    "(to|with|=|: |by) {replace_note}",
    "(set|replace|overwrite|change|update|rewrite) [the] <note> (to|with|=|:) {replace_note}",
    "(set|replace|overwrite) {ref} <note> (to|with|=|:) {replace_note}",
    "(add|put|append|write|leave|log|post) [(a|the)] [<note>] {quoted_note} (to|on|for|in) "
    "[the] [(notes|note)] [(of|for|on)] {ref}",
    "[(add|put|append|write|leave|log|post|make)] [(a|another|the)] <note> "
    "(on|for|to|about|in|re|regarding|under) {ref} (: | - | , | saying | that says | =) {note}",
    "[(add|put|append|write|leave|log|post|make)] [(a|another|the)] <note> "
    "(on|for|to|about|in|re|regarding|under) {ref} {note}",
    "(add|put|append|write|leave|log|post|make) [(a|another)] <note> "
    "[(: | - | , | saying | that says)] {note}",
    "{ref} <colon> <note> [(: | - | , | =)] {note}",
    "<note> {ref} (: | -) {note}",
    "<note> [(: | -)] {note}",
    "fyi [(: | -)] {note}",
)
TEAM = (
    "(add|invite|include|put) {member} (to|on|onto|in|into) [the] [<team> (of|for|on)] {ref} "
    "[<team>]",
    "(add|invite|include) {member} as [a] [(team member|member|teammate|contact|seller)] "
    "(to|on|of|for|in) {ref} [<team>]",
    "(add|invite|include) {member} [(to|on|onto)] [(the|my)] [<team>]",
    "(remove|drop|delete|kick|take) {who} (from|off|out of) [the] [<team> (of|for|on)] {ref} "
    "[<team>]",
    "(remove|drop|delete|kick|take) {who} [(from|off|out of)] [the] [<team>]",
    # Issue 16, section 4: several people at once ("add Jane and Oscar as team members on 123").
    "(add|invite|include) {member} as (team members|members|teammates|contacts|sellers) "
    "(to|on|of|for|in) {ref} [<team>]",
)
DEAL_VALUE = (
    "<set> [the] <value> <of> {ref} [<to>] {amount}",
    "<set> {ref} [deal] <value> [<to>] {amount}",
    "<set> {ref} (to|=|at) {amount}",
    "<set> [the] <value> [<to>] {amount}",
    "[the] <value> [<to>] {amount}",
    "[the] <value> [<of>] {ref} [<to>] {amount}",
    "<set> [the] <value> [<to>] {amount} (for|of|on) {ref}",
    "{ref} = {amount}",
    "{ref} <colon> [deal] <value> [<to>] {amount}",
    "{ref} <colon> (is worth|worth|is valued at|valued at|is now worth) {amount}",
    "make {ref} {amount}",
)
CLOSE_DATE = (
    "<move> [the] <cd> <of> {ref} [<dateto>] {date}",
    "<move> [the] <cd> [<dateto>] {date}",
    "<move> {ref} [<cd>] [<dateto>] {date}",
    "[the] <cd> [<to>] {date}",
    "[the] <cd> [<of>] {ref} [<to>] {date}",
    "<move> [the] <cd> [<dateto>] {date} (for|of|on) {ref}",
    "{ref} <colon> [deal] <cd> [<to>] {date}",
    "{ref} <colon> <closes> {date}",
    "close {ref} {date}",
    "(it|this|that) <closes> {date}",
)
STAGE = (
    "<set> [the] <stage> <of> {ref} [(<to> | to the)] {stage} [<stage>]",
    "<set> [the] <stage> [(<to> | to the)] {stage} [<stage>]",
    "<set> {ref} [<stage>] (to|=|:|as|in|into) [the] {stage} [<stage>]",
    "(move|advance|progress|bump|push|put|take|bring|get|set) {ref} "
    "(to|into|in|forward to|on to|onto|up to|back to) [the] {stage} [<stage>]",
    "[the] <stage> [(<to> | to the)] {stage} [<stage>]",
    "[the] <stage> [<of>] {ref} [(<to> | to the)] {stage} [<stage>]",
    "<set> [the] <stage> [(<to> | to the)] {stage} [<stage>] (for|of|on) {ref}",
    "{ref} <colon> [deal] <stage> [(<to> | to the)] {stage} [<stage>]",
    "{ref} <colon> (is|is now|now|moved to|is in|is at|in|at|entered|has entered|has moved to|"
    "moved into|moved) [the] {stage} [<stage>]",
    "(move|advance|progress) [it] (to|into) [the] {stage} [<stage>]",
)
DEAL_NAME = (
    "rename {ref} (to|as|: |=) {name}",
    "rename (to|as) {name}",
    "<set> [the] <name> <of> {ref} (to|=|:|as|is) {name}",
    "<set> {ref} [deal] <name> (to|=|:|as) {name}",
    "<set> [the] <name> (to|=|:|as) {name}",
    "{ref} <colon> [deal] <name> [(to|=|:|is|should be)] {name}",
    "call {ref} {name}",
)
CRM_ID = (
    "<set> [the] <crm> <of> {ref} [<to>] {crm}",
    "<set> {ref} [deal] <crm> [<to>] {crm}",
    "<set> [the] <crm> [<to>] {crm}",
    "{ref} <colon> <crm> [<to>] {crm}",
    "[the] <crm> [<of>] {ref} [<to>] {crm}",
    "<set> [the] <crm> [<to>] {crm} (for|of|on) {ref}",
    "link {ref} (to|with) [<crm>] {crm}",
)
OUTCOME = (
    "<set> [the] status <of> {ref} [<to>] [closed] {outcome} [<sep> {reason}]",
    "<set> {ref} <colon> status [<to>] [closed] {outcome} [<sep> {reason}]",
    "{ref} <colon> status [<to>] [closed] {outcome} [<sep> {reason}]",
    "<set> [the] status [<to>] [closed] {outcome} [<sep> {reason}]",
    "(mark|set|flag|update|make|put|move) {ref} [(as|to|=|: |in)] [closed] {outcome} "
    "[<sep> {reason}]",
    "(mark|set|flag) [(as|it)] {outcome} {ref} [<sep> {reason}]",
    "(mark|set|flag) [it] [as] {outcome} [<sep> {reason}]",
    "[(we|we've|we have|i)] [(just|finally)] {lost} {ref} to {competitor}",
    "{ref} <colon> [(was|got|has been|is)] {lost} to {competitor}",
    "(close|close out) {ref} (as|with|: |- |=) [closed] {outcome} [<sep> {reason}]",
    "(close|close out) {ref} {outcome} [<sep> {reason}]",
    "close [it] as {outcome} [(- |: |,)] {ref} [<sep> {reason}]",
    "close as {outcome} [<sep> {reason}]",
    "(we|we've|we have|we just|we've just|i|i've|we're|we are|i'm|i am) "
    "[(have|just|finally|officially|actually)] "
    "{outcome} {ref} [<sep> {reason}]",
    "(we|i) [(just|finally)] {outcome} [<sep> {reason}]",
    "{outcome} <colon> [(the|this)] {ref} [<sep> {reason}]",
    "{ref} <colon> [(is|was|has been|got|is now|now|has|went|just)] [closed] {outcome} "
    "[<sep> {reason}]",
)

UPDATE_PATTERNS: tuple[Pattern, ...] = compile_all(
    NOTES
    + TEAM
    + RELATIVE_FIRST
    + DEAL_VALUE
    + CLOSE_DATE
    + STAGE
    + DEAL_NAME
    + CRM_ID
    + OUTCOME
    + RELATIVE  # issue 16, section 3 (relative_rules.py says why in two parts)
)


@dataclass(frozen=True)
class Clause:
    """One change in a message; `ref` is None when the clause names no referral."""

    ref: ReferralRef | None
    intent: ChangeIntent


def clause_from(bindings: Bindings) -> Clause:
    """Each slot name stands for one field of the intent."""
    note = (
        bindings.maybe("note", NoteEdit)
        or bindings.maybe("replace_note", NoteEdit)
        or bindings.maybe("quoted_note", NoteEdit)
    )
    members = bindings.maybe("member", tuple)
    removed = bindings.maybe("who", tuple)
    intent = ChangeIntent(
        outcome=bindings.maybe("outcome", Outcome) or bindings.maybe("lost", Outcome),
        reason=bindings.maybe("reason", str) or bindings.maybe("competitor", str),
        deal_value=bindings.maybe("amount", Money),
        close_date=bindings.maybe("date", date),
        note=note,
        sales_stage=bindings.maybe("stage", SalesStage),
        deal_name=bindings.maybe("name", str),
        external_reference_id=bindings.maybe("crm", str),
        add_members=tuple(member for member in members or () if isinstance(member, MemberSpec)),
        remove_members=tuple(str(who) for who in removed or ()),
    )
    intent = with_relative(intent, bindings)
    return Clause(bindings.maybe("ref", ReferralRef) or relative_ref(bindings), intent)
