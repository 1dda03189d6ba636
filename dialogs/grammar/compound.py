"""Several changes in one message ("set the value to 150k and push the close date to Friday").

The message is split at "and", commas, semicolons, full stops and "then", left to right, only
when it does not read as one change as a whole (so "Johnson and Johnson" and notes stay whole).
All clauses must be about one referral; the clauses' intents merge into one UpdateReferral.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.intent import ChangeIntent
from dialogs.grammar import messages
from dialogs.grammar.commands import ParseFailure, ReferralRef, RefKind, UpdateReferral
from dialogs.grammar.engine.tokens import Token
from dialogs.grammar.update_rules import Clause

ClauseParser = Callable[[tuple[Token, ...]], Clause | None]

SEPARATORS = frozenset({"and", "&", ",", ";", ".", "then", "also", "plus"})
_CONNECTORS = SEPARATORS | {"please", "pls", "too"}
MAX_SPLITS = 8


def parse_clauses(tokens: tuple[Token, ...], parse_clause: ClauseParser) -> list[Clause] | None:
    """Two or more clauses covering all tokens, or None."""
    splits = [at for at, token in enumerate(tokens) if token.folded in SEPARATORS][:MAX_SPLITS]
    if not splits:
        return None
    known: dict[int, list[Clause] | None] = {}

    def clauses_from(start: int) -> list[Clause] | None:
        if start not in known:
            known[start] = _clauses_from(start, tokens, splits, parse_clause, clauses_from)
        return known[start]

    found = clauses_from(0)
    return found if found and len(found) > 1 else None


def _clauses_from(
    start: int,
    tokens: tuple[Token, ...],
    splits: list[int],
    parse_clause: ClauseParser,
    clauses_from: Callable[[int], list[Clause] | None],
) -> list[Clause] | None:
    if start > 0:
        whole = parse_clause(tokens[start:])
        if whole is not None:
            return [whole]
    for split in (at for at in splits if at > start):
        head = parse_clause(tokens[start:split])
        following = _skip_connectors(tokens, split)
        if head is None or following >= len(tokens):
            continue
        rest = clauses_from(following)
        if rest is not None:
            return [head, *rest]
    return None


def _skip_connectors(tokens: tuple[Token, ...], at: int) -> int:
    while at < len(tokens) and (tokens[at].folded in _CONNECTORS or tokens[at].is_punctuation):
        at += 1
    return at


def combine(clauses: list[Clause]) -> UpdateReferral | ParseFailure:
    """One referral, one merged intent; two different values for one field are refused."""
    named = {
        (clause.ref.kind, clause.ref.text.casefold()): clause.ref
        for clause in clauses
        if clause.ref is not None and clause.ref.kind is not RefKind.LAST
    }
    if len(named) > 1:
        return ParseFailure(messages.TWO_REFERRALS)
    intent = ChangeIntent()
    for clause in clauses:
        clash = _clash(intent, clause.intent)
        if clash is not None:
            return ParseFailure(messages.conflicting(clash))
        intent = intent.merged(clause.intent)
    return UpdateReferral(next(iter(named.values()), ReferralRef.last()), intent)


def _clash(before: ChangeIntent, after: ChangeIntent) -> str | None:
    for field in messages.CONFLICTING_FIELDS:
        old, new = getattr(before, field), getattr(after, field)
        if old is not None and new is not None and old != new:
            return field
    return None
