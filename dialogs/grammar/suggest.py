""" "Did you mean …": correct unknown words towards the grammar's own vocabulary (rapidfuzz).

A correction is only offered if the corrected message is understood, so a customer name is
never "corrected" into a command word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.grammar.alert_rules import ALERT_RULES
from dialogs.grammar.calendar_words import MONTHS, NUMBER_WORDS, UNITS, WEEKDAYS
from dialogs.grammar.clarify_rules import CLARIFY_RULES
from dialogs.grammar.digest_rules import DIGEST_RULES
from dialogs.grammar.engine.tokens import Token
from dialogs.grammar.read_rules import READ_RULES, SHOW_RULES
from dialogs.grammar.update_rules import UPDATE_PATTERNS
from dialogs.grammar.vocabulary import HELP_TOPICS, OUTCOMES, STAGES, word_set

MIN_SIMILARITY = 0.7
MAX_CANDIDATES = 6
MAX_ALTERNATIVES = 2  # per word (issue 16, section 5: "sett" -> "sept" or "set")
_CUTOFF = 0.66  # below MIN_SIMILARITY only for a swap in a three-letter word
_DATE_WORDS = "today tomorrow next this end start beginning quarter week month year in from now"


def _vocabulary() -> tuple[str, ...]:
    words: set[str] = set(_DATE_WORDS.split())
    rules = (*READ_RULES, *SHOW_RULES, *CLARIFY_RULES, *ALERT_RULES, *DIGEST_RULES)
    for pattern in (*UPDATE_PATTERNS, *(pattern for pattern, _ in rules)):
        words.update(pattern.words)
    for table in (OUTCOMES, STAGES, MONTHS, WEEKDAYS, NUMBER_WORDS, UNITS):
        words.update(word for phrase in table for word in phrase.split())
    words.update(word for phrases in HELP_TOPICS.values() for p in phrases for word in p.split())
    return tuple(
        sorted(word for word in words if len(word) >= 3 and word.replace("'", "").isalpha())
    )


VOCABULARY: tuple[str, ...] = _vocabulary()
# Everyday words are never "corrected" into ours ("there" is not a typo for "three").
_EVERYDAY = word_set(
    "not but our you your are was were has had can did its all one there here they them then "
    "than that with have what when where who why how just very much many some also been being "
    "will would could should does done dont don't isn't wasn't aren't their these those"
)
# Issue 16, section 5: a swap in a three-letter word is corrected now; "own" is not "won".
_EVERYDAY |= word_set("own")
_KNOWN = frozenset(VOCABULARY) | _EVERYDAY


def suggest_correction(
    text: str, tokens: tuple[Token, ...], understood: Callable[[str], bool]
) -> str | None:
    """The message with its unknown words corrected, if that message is understood."""
    fixes = list(_fixes(tokens))[:MAX_CANDIDATES]
    best = list({token: (token, fix) for token, fix in reversed(fixes)}.values())
    attempts = [[fix] for fix in fixes] + ([best] if len(best) > 1 else [])
    for attempt in attempts:
        corrected = _apply(text, attempt)
        if understood(corrected):
            return corrected.rstrip(" .!?")
    return None


def near_miss_fix(word: str) -> str | None:
    """Our word an unknown word is close to ("makr" -> "mark"): a name starting so may be a
    typo. None for a word that is ours, everyday, or close to nothing."""
    found = _candidates(word.casefold())
    return found[0] if found else None


@lru_cache(maxsize=2048)  # the same customer names come back turn after turn
def _candidates(word: str) -> tuple[str, ...]:
    """Our words within reach, fewest edits first: "sett" is tried as "set" and as "sept"."""
    if len(word) < 3 or word in _KNOWN or not word.replace("'", "").isalpha():
        return ()
    found = process.extract(
        word, VOCABULARY, scorer=OSA.normalized_similarity, score_cutoff=_CUTOFF, limit=8
    )
    ranked = sorted(
        (OSA.distance(word, candidate), sorted(candidate) != sorted(word), -score, candidate)
        for candidate, score, _ in found
        if score >= MIN_SIMILARITY or _swapped(word, candidate)
    )
    # "makr" is "mark" with two letters swapped rather than "make" with one changed.
    return tuple(candidate for *_, candidate in ranked[:MAX_ALTERNATIVES])


def _swapped(word: str, candidate: str) -> bool:
    """Two neighbouring letters swapped in a short word ("wno" -> "won", "ste" -> "set")."""
    return (
        len(word) == len(candidate)
        and sorted(word) == sorted(candidate)
        and OSA.distance(word, candidate) == 1
    )


def _fixes(tokens: tuple[Token, ...]) -> Iterator[tuple[Token, str]]:
    """Each unknown word's closest fix first, then its runners-up."""
    alternatives = [(token, _candidates(token.folded)) for token in tokens]
    for rank in range(MAX_ALTERNATIVES):
        for token, found in alternatives:
            if rank < len(found):
                yield token, found[rank]


def corrected_words(original: str, corrected: str) -> frozenset[str]:
    """The words a correction put in (casefolded)."""
    return frozenset(corrected.casefold().split()) - frozenset(original.casefold().split())


def _apply(text: str, fixes: list[tuple[Token, str]]) -> str:
    for token, word in sorted(fixes, key=lambda fix: -fix[0].start):
        text = text[: token.start] + word + text[token.end :]
    return text
