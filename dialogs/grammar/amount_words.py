"""Amounts in words: "three hundred thousand", "two and a half million", "half a million",
"a million", "twelve hundred", "fifty k", "2 and a half million", "one point two million".

Issue 16, section 5. A small left-to-right reader rather than a library: the amounts sellers
say are a handful of shapes, and the reader must refuse everything else cheaply (it sees every
span the amount slot is offered). Digits alone stay with `dialogs/grammar/amounts.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

_UNITS: Mapping[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS: Mapping[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES: Mapping[str, int] = {
    "thousand": 3, "thousands": 3, "grand": 3, "k": 3,
    "million": 6, "millions": 6, "mln": 6, "mil": 6, "mill": 6, "mio": 6, "mn": 6, "m": 6,
    "billion": 9, "billions": 9, "bn": 9, "bln": 9,
}  # fmt: skip
_FRACTIONS: Mapping[str, Decimal] = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}
_DIGITS = re.compile(r"\d{1,12}(\.\d{1,6})?")
_ONE = frozenset({"a", "an", "one"})


def read_amount_words(text: str) -> Decimal | None:
    """The number a seller wrote in words (with digits allowed for the count), or None."""
    words = text.replace("-", " ").split()
    if not words or not _looks_spoken(words):
        return None
    return _Reader(words).read()


def _looks_spoken(words: list[str]) -> bool:
    """At least one number word or scale, so "a" or "half" alone is never an amount."""
    return any(
        word in _UNITS or word in _TENS or word in _SCALES or word == "hundred" for word in words
    )


class _Reader:
    """total (closed scales) + current (the count before the next scale word)."""

    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._total = Decimal(0)
        self._current: Decimal | None = None
        self._last_scale = 0  # the last scale's exponent, for "a million and a half"

    def read(self) -> Decimal | None:
        at = 0
        while at < len(self._words):
            step = self._step(at)
            if step is None:
                return None
            at = step
        value = self._total + (self._current or 0)
        return value if value > 0 else None

    def _step(self, at: int) -> int | None:
        word = self._words[at]
        if word == "and":
            return self._and(at)
        if word in _ONE and self._current is None and self._next_is_count_word(at):
            self._current = Decimal(1)
            return at + 1
        if word in _FRACTIONS:
            return self._fraction(at, _FRACTIONS[word])
        if word == "point":
            return self._decimals(at + 1)
        if word == "hundred":
            if self._current is None:
                return None  # "hundred" alone is not an amount; "a hundred" is
            self._current *= 100
            return at + 1
        if word in _SCALES:
            return self._scale(at, _SCALES[word])
        number = _small_number(word)
        if number is None:
            return None
        if self._current is not None and not _may_follow(self._current, number):
            return None  # "two three": two numbers in a row
        self._current = (self._current or Decimal(0)) + number
        return at + 1

    def _next_is_count_word(self, at: int) -> bool:
        following = self._words[at + 1 : at + 2]
        return bool(following) and (
            following[0] in _SCALES or following[0] in _FRACTIONS or following[0] == "hundred"
        )

    def _and(self, at: int) -> int | None:
        """ "three hundred and fifty", "two and a half million", "a million and a half"."""
        rest = self._words[at + 1 : at + 3]
        if rest[:1] == ["a"] and len(rest) == 2 and rest[1] in _FRACTIONS:
            fraction = _FRACTIONS[rest[1]]
            if self._current is not None:
                self._current += fraction
            elif self._last_scale:
                self._total += fraction * Decimal(10) ** self._last_scale
            else:
                return None
            return at + 3
        return at + 1 if self._current is not None else None

    def _fraction(self, at: int, fraction: Decimal) -> int | None:
        """ "half a million", "a quarter million"."""
        if self._current not in (None, Decimal(1)):
            return None
        self._current = fraction
        at += 1
        if self._words[at : at + 1] == ["of"]:
            at += 1
        return at + 1 if self._words[at : at + 1] in (["a"], ["an"]) else at

    def _decimals(self, at: int) -> int | None:
        digits = ""
        while at < len(self._words) and self._words[at] in _UNITS and _UNITS[self._words[at]] < 10:
            digits += str(_UNITS[self._words[at]])
            at += 1
        if not digits or self._current is None:
            return None
        self._current += Decimal(f"0.{digits}")
        return at

    def _scale(self, at: int, exponent: int) -> int | None:
        if self._last_scale and exponent >= self._last_scale:
            return None  # "a million thousand"
        if self._current is None:
            return None  # "million" alone is not an amount; "a million" is
        self._total += self._current.scaleb(exponent)
        self._current = None
        self._last_scale = exponent
        return at + 1


def _may_follow(current: Decimal, number: Decimal) -> bool:
    """ "three hundred fifty", "twenty five", but not "two three" or "fifty twenty"."""
    low = current % 100
    if low == 0:
        return number < 100 and current > 0
    return low % 10 == 0 and low >= 20 and number < 10


def _small_number(word: str) -> Decimal | None:
    if word in _UNITS:
        return Decimal(_UNITS[word])
    if word in _TENS:
        return Decimal(_TENS[word])
    return Decimal(word) if _DIGITS.fullmatch(word) else None


def spoken_number_words() -> frozenset[str]:
    """The words that make a text worth reading as a spoken amount (see `_looks_spoken`)."""
    return _NUMBER_WORDS


_NUMBER_WORDS = frozenset((*_UNITS, *_TENS, *_SCALES, "hundred", "half", "quarter"))
