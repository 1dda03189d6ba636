"""Deal values as sellers type them: 150000, 150k, $1.2M, 30 000, 95,000, €140.000, CHF 80'000.

Decisions (documented for sellers in docs/sellers.md):
- "," and "." followed by exactly three digits group thousands ("95,000", "€140.000", "1.234.567");
  with both, the last one is the decimal mark ("1.234,56", "1,234.56").
- A single "," followed by one or two digits is a decimal comma ("1,5M" = 1,500,000).
- A single "." is a decimal point, except before exactly three digits without a suffix.
- k / m / bn / mln (and thousand / million / billion) multiply; at most two decimals remain.
- Amounts in words ("half a million", "fifty k") are read by dialogs/grammar/amount_words.py.
- No currency given means "keep the referral's currency" (Money.currency is None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from bot.domain.intent import Money
from dialogs.grammar.amount_words import read_amount_words, spoken_number_words
from dialogs.grammar.engine.problems import Problem, shorten
from dialogs.grammar.vocabulary import word_set

LIMIT = Decimal(10) ** 12

_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("us$", "USD"), ("ca$", "CAD"), ("c$", "CAD"), ("au$", "AUD"), ("a$", "AUD"),
    ("nz$", "NZD"), ("r$", "BRL"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"),
    ("₹", "INR"), ("₩", "KRW"), ("₪", "ILS"), ("zł", "PLN"),
)  # fmt: skip
_WORDS: Mapping[str, str] = {
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "francs": "CHF", "yen": "JPY", "rupees": "INR",
}  # fmt: skip
CURRENCY_CODES = word_set(
    "USD EUR GBP CHF JPY CAD AUD NZD SEK NOK DKK PLN CZK HUF INR BRL MXN ZAR SGD HKD CNY "
    "KRW ILS TRY AED SAR RON BGN ISK THB MYR IDR PHP TWD CLP COP ARS PEN"
)
_MULTIPLIERS: Mapping[str, int] = {
    "k": 3, "thousand": 3, "grand": 3, "m": 6, "mm": 6, "mn": 6, "mio": 6, "million": 6,
    "mil": 6, "mill": 6, "b": 9, "bn": 9, "billion": 9,
    # Issue 16, section 5: more abbreviations sellers type ("1.2 mln", "2 millions").
    "mln": 6, "millions": 6, "thousands": 3, "bln": 9, "billions": 9,
}  # fmt: skip
_MINUS_WORDS = ("minus ", "negative ")
_SUFFIX = re.compile(r"^(?P<number>\d[\d ',.]*?)\s*(?P<suffix>[a-z]+)?$")


def parse_amount(text: str) -> Money | Problem:
    """A positive amount below a trillion, or a Problem saying why not."""
    raw = " ".join(text.split()).rstrip(".!?,;:")
    if not any(ch.isdecimal() for ch in raw) and not _may_be_words(raw):
        return Problem(f"I couldn't read “{shorten(raw)}” as an amount.", specific=False)
    rest, negative = _take_sign(raw.casefold())
    found = _take_currency(rest)
    if isinstance(found, Problem):
        return found
    currency, rest = found
    rest, negative_inside = _take_sign(rest)
    value = _read_scaled(rest.strip())
    if value is None:
        value = read_amount_words(rest.strip())
    if value is None and not any(ch.isdecimal() for ch in raw):
        return Problem(f"I couldn't read “{shorten(raw)}” as an amount.", specific=False)
    if value is None:
        return Problem(f"I couldn't read “{shorten(raw)}” as an amount. Try 150000 or 150k.", False)
    if isinstance(value, Problem):
        return value
    return _checked(value, currency, negative or negative_inside)


def _may_be_words(text: str) -> bool:
    """Cheap gate before the word reader: a number word somewhere ("fifty k", "a million")."""
    return not spoken_number_words().isdisjoint(text.casefold().replace("-", " ").split())


def _take_sign(text: str) -> tuple[str, bool]:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip(), True
    for word in _MINUS_WORDS:
        if text.startswith(word):
            return text[len(word) :].strip(), True
    if text.startswith(("-", "+")):
        return text[1:].strip(), text.startswith("-")
    return text, False


def _take_currency(text: str) -> tuple[str | None, str] | Problem:
    """At most one currency, before or after the number."""
    found: list[str] = []
    while (step := _currency_at_edge(text)) is not None:
        code, text = step
        found.append(code)
    if len(set(found)) > 1:
        return Problem("That amount has two currencies; which one did you mean?")
    return (found[0] if found else None), text


def _currency_at_edge(text: str) -> tuple[str, str] | None:
    text = text.strip()
    for symbol, code in _SYMBOLS:
        if text.startswith(symbol):
            return code, text[len(symbol) :]
        if text.endswith(symbol):
            return code, text[: -len(symbol)]
    head, _, tail = text.partition(" ")
    if head.upper() in CURRENCY_CODES or head in _WORDS:
        return _WORDS.get(head, head.upper()), tail
    body, _, last = text.rpartition(" ")
    if body and (last.upper() in CURRENCY_CODES or last in _WORDS):
        return _WORDS.get(last, last.upper()), body
    if head[:3].upper() in CURRENCY_CODES and head[3:4].isdecimal():
        return head[:3].upper(), text[3:]
    glued = re.fullmatch(r"(.*\d[km]?)([a-z]{3})", text)
    if glued and glued.group(2).upper() in CURRENCY_CODES:
        return glued.group(2).upper(), glued.group(1)
    return None


def _read_scaled(text: str) -> Decimal | Problem | None:
    found = _SUFFIX.match(text)
    if found is None:
        return None
    suffix = found.group("suffix")
    if suffix is not None and suffix not in _MULTIPLIERS:
        if len(suffix) == 3:
            return Problem(f"I don't know the currency “{suffix.upper()}”.", specific=False)
        return None
    number = _read_number(found.group("number").strip(), has_suffix=suffix is not None)
    if number is None:
        return None
    return number.scaleb(_MULTIPLIERS[suffix]) if suffix else number


def _read_number(text: str, *, has_suffix: bool) -> Decimal | None:
    digits = _ungroup(text, has_suffix=has_suffix)
    if digits is None:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _ungroup(text: str, *, has_suffix: bool) -> str | None:
    """Turn the seller's separators into a plain decimal string, or None if they don't fit."""
    for grouping in (" ", "'"):
        if grouping in text:
            if not _grouped(text.split(grouping), decimal_tail=True):
                return None
            text = text.replace(grouping, "")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        if not _grouped(whole.split(grouping)) or grouping in fraction:
            return None
        return whole.replace(grouping, "") + "." + fraction
    mark = "," if commas else "." if dots else ""
    if not mark:
        return text
    parts = text.split(mark)
    thousands = _grouped(parts) and not (mark == "." and len(parts) == 2 and has_suffix)
    if thousands:
        return "".join(parts)
    if (
        len(parts) == 2
        and parts[0].isdecimal()
        and parts[1].isdecimal()
        and (mark == "." or len(parts[1]) <= 2)
    ):
        return f"{parts[0]}.{parts[1]}"
    return None


def _grouped(parts: list[str], *, decimal_tail: bool = False) -> bool:
    """1-3 leading digits (not a lone 0), then groups of exactly three."""
    if len(parts) < 2 or not all(parts):
        return False
    last = parts[-1]
    if decimal_tail:
        last = re.split(r"[.,]", last, maxsplit=1)[0]
    groups = [*parts[:-1], last]
    first, *others = groups
    return (
        first.isdecimal()
        and 1 <= len(first) <= 3
        and first != "0"
        and all(group.isdecimal() and len(group) == 3 for group in others)
    )


def _checked(value: Decimal, currency: str | None, negative: bool) -> Money | Problem:
    if negative and value != 0:
        return Problem("A deal value can't be negative.")
    if value <= 0:
        return Problem("A deal value has to be more than zero.")
    if value > LIMIT:
        return Problem("That deal value is over a trillion; please check the amount.")
    if value != value.quantize(Decimal("0.01")):
        return Problem("A deal value can have at most two decimals (cents).")
    exact = (
        value.quantize(Decimal(1))
        if value == value.to_integral_value()
        else value.quantize(Decimal("0.01"))
    )
    return Money(amount=exact, currency=currency)
