"""parse_command: a seller's message -> a Command. Pure, and never raises on any input.

Order of readings: help, cancel, more, lists and questions; then one change; then phrasings
that need a question back ("close 123": won or lost?); then "show …"; then several changes
joined by "and". A message nobody understands gets a "did you mean …" when a corrected
spelling is understood.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TypeVar

from dialogs.grammar import messages
from dialogs.grammar.alert_rules import ALERT_RULES
from dialogs.grammar.bulk import read_id_list, read_list_target, swallowed_a_list
from dialogs.grammar.clarify_rules import CLARIFY_RULES
from dialogs.grammar.commands import (
    Command,
    Help,
    ListReferrals,
    ParseFailure,
    ReferralRef,
    RefKind,
    ShowReferral,
    UpdateReferral,
)
from dialogs.grammar.compound import SEPARATORS, combine, parse_clauses
from dialogs.grammar.dead_ends import general_refusal, specific_refusal
from dialogs.grammar.digest_rules import DIGEST_RULES
from dialogs.grammar.engine.matchers import FirstWordIndex
from dialogs.grammar.engine.patterns import Bindings, Pattern, Subject, match
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.engine.tokens import Token, tokenize
from dialogs.grammar.list_rules import read_list
from dialogs.grammar.messages import not_understood
from dialogs.grammar.normalize import DEFAULT_BOT_NAMES, normalize
from dialogs.grammar.question_rules import LATE_QUESTION_RULES, QUESTION_RULES
from dialogs.grammar.read_rules import READ_RULES, SHOW_RULES
from dialogs.grammar.slots import make_slots
from dialogs.grammar.spoken_outcomes import (
    CLAUSE_ONLY_RULES,
    OUTCOME_ENDINGS,
    SPOKEN_CLARIFY_RULES,
    SPOKEN_RULES,
    Build,
    is_question,
)
from dialogs.grammar.suggest import corrected_words, near_miss_fix, suggest_correction
from dialogs.grammar.update_rules import (
    UPDATE_PATTERNS,
    Clause,
    clause_from,
)
from dialogs.grammar.vocabulary import (
    FIELD_CUES,
    FIELD_WORDS,
    LEADING_FILLERS,
    TRAILING_FILLERS,
)

T = TypeVar("T")


def _by_first_word(rules: tuple[tuple[Pattern, T], ...]) -> FirstWordIndex[tuple[Pattern, T]]:
    return FirstWordIndex((rule, rule[0].starts) for rule in rules)


MAX_CHARACTERS = 4000
# The rule tables in order, by the words their templates can start with: a message's first
# token rules most templates out without trying them.
_READ = _by_first_word((*ALERT_RULES, *READ_RULES))  # issue 17: whole-message phrasings only
_UPDATE = FirstWordIndex((pattern, pattern.starts) for pattern in UPDATE_PATTERNS)
_CLARIFY = _by_first_word(CLARIFY_RULES)
_SHOW = _by_first_word(SHOW_RULES)
# Issue 16 §1: questions come before everything ("did we win 123?" never marks it won).
_QUESTION = _by_first_word(QUESTION_RULES)
_LATE_QUESTION = _by_first_word(LATE_QUESTION_RULES)
# Issue 16, section 5 (dialogs/grammar/spoken_outcomes.py): never for a question.
_SPOKEN = _by_first_word(SPOKEN_RULES)
_SPOKEN_CLARIFY = _by_first_word(SPOKEN_CLARIFY_RULES)
_CLAUSE_ONLY = _by_first_word(CLAUSE_ONLY_RULES)
# Issue 17 §4: every digest template names the digest, so they are read first.
_DIGEST = _by_first_word(DIGEST_RULES)


def parse_command(
    text: str, *, today: date, bot_names: Sequence[str] = DEFAULT_BOT_NAMES
) -> Command:
    """`today` is the seller's calendar day (their time zone); relative dates count from it."""
    if len(text) > 4 * MAX_CHARACTERS:
        return ParseFailure(messages.TOO_LONG)
    cleaned = normalize(text, bot_names=bot_names)
    if len(cleaned) > MAX_CHARACTERS:
        return ParseFailure(messages.TOO_LONG)
    words = _trim_punctuation(tokenize(cleaned))
    if not words:
        return Help() if "?" in cleaned else ParseFailure(messages.EMPTY)
    read_one = _Understood(today).command  # issue 16 §4: several ids, or a list as the target
    bulk = read_id_list(cleaned, read_one)
    if bulk is not None:
        return bulk
    problems: list[Problem] = []
    command = _understand(cleaned, words, today, problems)
    if command is None or swallowed_a_list(command):  # "show all my deals …" costs as before
        bulk = read_list_target(cleaned, read_one)
        if bulk is not None:
            return bulk
    if command is not None and not _names_a_mistyped_word(command, cleaned):
        return command
    suggestion = suggest_correction(cleaned, words, _Understood(today))
    if command is not None and (suggestion is None or _only_renames(command, suggestion, today)):
        return command
    applied = _applied_correction(cleaned, suggestion, today) if suggestion else None
    if applied is not None:
        return applied
    if command is not None:
        return ParseFailure(not_understood(text), suggestion)
    specific = [problem for problem in problems if problem.specific]
    if specific:
        return ParseFailure(specific[0].reason, suggestion)
    # Issue 16 §6: say what would work (dialogs/grammar/dead_ends.py).
    asked = specific_refusal(cleaned, words, read_one)
    if asked is not None:
        return asked
    if suggestion:
        return ParseFailure(not_understood(text), suggestion)
    return general_refusal(text, cleaned, words, read_one)


class _Understood:
    """Does a corrected message read as a command? (The check behind "did you mean".)"""

    def __init__(self, today: date) -> None:
        self._today = today

    def __call__(self, text: str) -> bool:
        return self.command(text) is not None

    def command(self, text: str) -> Command | None:
        return _read(text, self._today)


def _read(text: str, today: date) -> Command | None:
    words = _trim_punctuation(tokenize(text))
    return _understand(text, words, today, []) if words else None


def _names_a_mistyped_word(command: Command, text: str) -> bool:
    """ "makr 123 won" reads as a referral called "makr 123"; offer "mark 123 won" instead.
    After a command word the name is the customer's, unless its first word is a mistyped field
    ("set the vlaue of 123 …"): "mark Lots Road Auctions won" keeps "Lots", and "show Ember
    Cobalt Ltd" keeps "Ember" (neither "lost" nor "member" names a field)."""
    if not isinstance(command, UpdateReferral | ShowReferral):
        return False
    ref = command.ref
    if ref.kind is not RefKind.NAME:
        return False
    first = ref.text.split()[0]
    fix = near_miss_fix(first)
    if fix is None:
        return False
    return text.casefold().startswith(first.casefold()) or fix in FIELD_WORDS


def _applied_correction(text: str, corrected: str, today: date) -> UpdateReferral | None:
    """A mistyped change is read as corrected ("makr 123 won", "set the vlaue of 4711 to 5k"):
    the confirm card shows what will change, so asking "did you mean" first is one turn too
    many (issue 16, section 5). Only when the referral is an id, a CRM id or "it", never a
    name (whose first word may be the customer's, "Lots Road Auctions won"), and only when no
    corrected word landed in free text (a reason, note, deal name or team member)."""
    command = _read(corrected, today)
    if not isinstance(command, UpdateReferral) or command.ref.kind is RefKind.NAME:
        return None
    intent = command.intent
    free = [
        intent.reason,
        intent.note.text if intent.note is not None else None,
        intent.deal_name,
        intent.external_reference_id,
        *intent.remove_members,
        *(
            part
            for member in intent.add_members
            for part in (member.email, member.first_name, member.last_name)
        ),
    ]
    free_words = {word for text in free if text for word in _separator_words(text)}
    return None if free_words & corrected_words(text, corrected) else command


def _only_renames(command: Command, corrected: str, today: date) -> bool:
    """The correction reads as the same command about a referral whose name only has the
    corrected word in it ("show Ember Cobalt Ltd" -> "show member Cobalt Ltd"): the word was
    part of the name, not a mistyped command word, so the name is kept as written."""
    other = _read(corrected, today)
    if type(other) is not type(command) or not isinstance(other, UpdateReferral | ShowReferral):
        return False
    assert isinstance(command, UpdateReferral | ShowReferral)
    same_intent = not isinstance(command, UpdateReferral) or (
        isinstance(other, UpdateReferral) and other.intent == command.intent
    )
    return (
        same_intent
        and other.ref.kind is RefKind.NAME
        and len(other.ref.text.split()) == len(command.ref.text.split())
    )


def _understand(
    text: str, words: tuple[Token, ...], today: date, problems: list[Problem]
) -> Command | None:
    reader = _Reader(text, today, problems, words)
    for variant in _variants(words):  # "is 123 still open? thanks" asks, whatever follows
        question = reader.question(variant)
        if question is not None:
            # A composed list accounts for every word, so it wins: "what's my pipeline worth"
            # totals the pipeline, never asks about a referral called "my pipeline".
            listing = reader.whole(variant) if read_list(variant, text, today) else None
            return listing if isinstance(listing, ListReferrals) else question
    for variant in _variants(words):
        command = reader.whole(variant)
        if isinstance(command, UpdateReferral) and _may_hide_changes(command):
            clauses = parse_clauses(variant, reader.clause)
            return combine(clauses) if clauses is not None else command
        if command is not None:
            return command
    for variant in _variants(words):
        clauses = parse_clauses(variant, reader.clause)
        if clauses is not None:
            return combine(clauses)
    return None


def _may_hide_changes(command: UpdateReferral) -> bool:
    """A name or reason running over "and" may have swallowed further changes.

    Notes are exempt from that: a note is the rest of the message, whatever it says, unless
    a field's name follows a separator in it (issue 16, section 5: "won, value 50k", "note on
    123: demo booked, close date Friday"). The split is kept only if every piece reads as a
    change of its own.
    """
    ref_name = command.ref.text if command.ref.kind is RefKind.NAME else None
    texts = (ref_name, command.intent.reason, command.intent.deal_name)
    if any(
        text is not None and not SEPARATORS.isdisjoint(_separator_words(text)) for text in texts
    ):
        return True
    if ref_name is not None and ref_name.split()[-1].casefold() in OUTCOME_ENDINGS:
        return True  # "mark Ember Cobalt Ltd won, value 50k": the name ran over the outcome
    note = command.intent.note.text if command.intent.note is not None else None
    return any(
        text is not None and not FIELD_CUES.isdisjoint(_separator_words(text))
        for text in (command.intent.reason, note)
    )


def _separator_words(text: str) -> set[str]:
    return {token.folded for token in tokenize(text)}


class _Reader:
    """Matches rule tables against token views of one message."""

    def __init__(self, text: str, today: date, problems: list[Problem], words: tuple[Token, ...]):
        self._text = text
        self._today = today
        self._slots = make_slots(today)
        self._problems = problems
        self._last_word = words[-1]
        self._question = is_question(text, words)

    def whole(self, tokens: tuple[Token, ...]) -> Command | None:
        subject = self._subject(tokens)
        command = _first(_DIGEST.at(tokens, 0), subject) or _first(_READ.at(tokens, 0), subject)
        if command is not None:
            return command
        listing = read_list(tokens, self._text, self._today)  # issue 16 §2: composed lists
        if listing is not None:
            return ListReferrals(query=listing)
        clause = self._clause(subject)
        if clause is not None:
            return UpdateReferral(clause.ref or ReferralRef.last(), clause.intent)
        return (
            _first(_CLARIFY.at(tokens, 0), subject)
            or _first(_LATE_QUESTION.at(tokens, 0), subject)
            or (None if self._question else _first(_SPOKEN_CLARIFY.at(tokens, 0), subject))
            or _first(_SHOW.at(tokens, 0), subject)
        )

    def question(self, tokens: tuple[Token, ...]) -> Command | None:
        """Issue 16 §1: a question is read before anything else ("did we win 123?")."""
        return _first(_QUESTION.at(tokens, 0), self._subject(tokens))

    def clause(self, tokens: tuple[Token, ...]) -> Clause | None:
        """One clause of several: a bare outcome counts here ("won, final value 118k")."""
        if not tokens:
            return None
        subject = self._subject(tokens)
        return self._clause(subject) or self._built(_CLAUSE_ONLY, subject)

    def _clause(self, subject: Subject) -> Clause | None:
        for pattern in _UPDATE.at(subject.tokens, 0):
            bindings = match(pattern, subject)
            if bindings is not None:
                return clause_from(bindings)
        return self._built(_SPOKEN, subject)

    def _built(
        self, rules: FirstWordIndex[tuple[Pattern, Build]], subject: Subject
    ) -> Clause | None:
        return None if self._question else _first(rules.at(subject.tokens, 0), subject)

    def _subject(self, tokens: tuple[Token, ...]) -> Subject:
        """Text slots that reach the message's end keep its final punctuation ("booked.")."""
        end = len(self._text) if tokens and tokens[-1] == self._last_word else tokens[-1].end
        return Subject(tokens, self._text, end, self._slots, self._problems)


def _first(
    rules: tuple[tuple[Pattern, Callable[[Bindings], T]], ...], subject: Subject
) -> T | None:
    """The first rule whose template matches and whose build accepts the match."""
    for pattern, build in rules:
        bindings = match(pattern, subject)
        built = build(bindings) if bindings is not None else None
        if built is not None:
            return built
    return None


def _variants(words: tuple[Token, ...]) -> Iterator[tuple[Token, ...]]:
    """The message as typed, then without politeness ("please", "thanks", "hi,")."""
    yield words
    trimmed = _trim_fillers(words)
    if trimmed and trimmed != words:
        yield trimmed


def _trim_fillers(words: tuple[Token, ...]) -> tuple[Token, ...]:
    """Fillers are tried in table order; the first/last word rules most out cheaply."""
    changed = True
    while changed and words:
        changed = False
        for filler in LEADING_FILLERS:
            if (
                len(words) > len(filler)
                and words[0].folded == filler[0]
                and _starts_with(words, filler)
            ):
                words, changed = _trim_punctuation(words[len(filler) :]), True
        for filler in TRAILING_FILLERS:
            if (
                len(words) > len(filler)
                and words[-1].folded == filler[-1]
                and _ends_with(words, filler)
            ):
                words, changed = _trim_punctuation(words[: -len(filler)]), True
    return words


def _starts_with(words: tuple[Token, ...], phrase: tuple[str, ...]) -> bool:
    return tuple(token.folded for token in words[: len(phrase)]) == phrase


def _ends_with(words: tuple[Token, ...], phrase: tuple[str, ...]) -> bool:
    return tuple(token.folded for token in words[-len(phrase) :]) == phrase


def _trim_punctuation(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].is_punctuation and tokens[start].text != "#":
        start += 1
    while end > start and tokens[end - 1].is_punctuation:
        end -= 1
    return tokens[start:end]
