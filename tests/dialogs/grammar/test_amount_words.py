"""Issue 16, section 5: amounts in words and the abbreviations sellers type, as amounts alone
and inside the change commands that carry a deal value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.intent import Money
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from dialogs.grammar.engine.problems import Problem
from tests.dialogs.grammar.support import LAST, by_id, by_name, money, parse, update

WORDS = [
    ("three hundred thousand", "300000", None),
    ("two and a half million", "2500000", None),
    ("2.5 million", "2500000", None),
    ("1.2 mln", "1200000", None),
    ("1.2m", "1200000", None),
    ("400 grand", "400000", None),
    ("fifty k", "50000", None),
    ("a million", "1000000", None),
    ("half a million", "500000", None),
    ("twelve hundred", "1200", None),
    ("one million", "1000000", None),
    ("One Million", "1000000", None),
    ("ten thousand", "10000", None),
    ("a hundred grand", "100000", None),
    ("a hundred thousand", "100000", None),
    ("an even million", None, None),
    ("three hundred and fifty thousand", "350000", None),
    ("three hundred fifty thousand", "350000", None),
    ("twenty-five thousand", "25000", None),
    ("twenty five thousand", "25000", None),
    ("seventy five k", "75000", None),
    ("ninety-nine thousand nine hundred and ninety-nine", "99999", None),
    ("one point two million", "1200000", None),
    ("two point five million", "2500000", None),
    ("2 and a half million", "2500000", None),
    ("a million and a half", "1500000", None),
    ("one and a half million", "1500000", None),
    ("a quarter million", "250000", None),
    ("a quarter of a million", "250000", None),
    ("half a mil", "500000", None),
    ("two million five hundred thousand", "2500000", None),
    ("eighteen hundred", "1800", None),
    ("twenty five hundred", "2500", None),
    ("forty thousand", "40000", None),
    ("sixty grand", "60000", None),
    ("eleven k", "11000", None),
    ("3 billion", "3000000000", None),
    ("two billion", "2000000000", None),
    ("1.5 bln", "1500000000", None),
    ("2 millions", "2000000", None),
    ("5 thousands", "5000", None),
    ("three hundred thousand dollars", "300000", "USD"),
    ("two and a half million euros", "2500000", "EUR"),
    ("EUR two million", "2000000", "EUR"),
    ("$ half a million", "500000", "USD"),
    ("fifty k GBP", "50000", "GBP"),
    ("1.2 mln CHF", "1200000", "CHF"),
    ("400 grand USD", "400000", "USD"),
    ("€1.2 mln", "1200000", "EUR"),
    ("twenty thousand pounds", "20000", "GBP"),
    ("a million bucks", "1000000", "USD"),
    ("sixty thousand euros", "60000", "EUR"),
]
NOT_AMOUNTS = [
    "million", "thousand", "hundred", "k", "a", "half", "two three", "fifty twenty",
    "the deal", "a lot", "half of it", "twelve twelve", "million million", "point five",
    "and a half", "two thousand million", "zero",
]  # fmt: skip


@pytest.mark.parametrize(("text", "amount", "currency"), WORDS)
def test_amounts_in_words_and_abbreviations(
    text: str, amount: str | None, currency: str | None
) -> None:
    found = parse_amount(text)
    if amount is None:
        assert isinstance(found, Problem), found
    else:
        assert found == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_words_that_are_not_an_amount_are_refused(text: str) -> None:
    assert isinstance(parse_amount(text), Problem)


# How ten sellers set a value in words: the value slot reads each of them.
IN_COMMANDS = [
    ("set value of 123 to three hundred thousand",
     update(by_id("123"), deal_value=money("300000"))),
    ("set the deal value of 4711 to two and a half million dollars",
     update(by_id("4711"), deal_value=money("2500000", "USD"))),
    ("123 is worth half a million", update(by_id("123"), deal_value=money("500000"))),
    ("make 555 a million", update(by_id("555"), deal_value=money("1000000"))),
    ("deal value 555 = twelve hundred", update(by_id("555"), deal_value=money("1200"))),
    ("value fifty k", update(LAST, deal_value=money("50000"))),
    ("value 400 grand", update(LAST, deal_value=money("400000"))),
    ("set the value to 1.2 mln", update(LAST, deal_value=money("1200000"))),
    ("change the amount to 1.2m", update(LAST, deal_value=money("1200000"))),
    ("update deal size of 4711 to 2.5 million",
     update(by_id("4711"), deal_value=money("2500000"))),
    ("set the value of Contoso Azure to three hundred and fifty thousand euros",
     update(by_name("Contoso Azure"), deal_value=money("350000", "EUR"))),
    ("set the deal value of Ember Cobalt Ltd to one point two million",
     update(by_name("Ember Cobalt Ltd"), deal_value=money("1200000"))),
    ("Ember Cobalt Ltd: value a quarter million",
     update(by_name("Ember Cobalt Ltd"), deal_value=money("250000"))),
    ("set O'Brien Logistics to twenty five thousand",
     update(by_name("O'Brien Logistics"), deal_value=money("25000"))),
    ("set the value of Wong & Partners to sixty grand",
     update(by_name("Wong & Partners"), deal_value=money("60000"))),
    ("Müller & Söhne: worth eighty thousand euros",
     update(by_name("Müller & Söhne"), deal_value=money("80000", "EUR"))),
    ("raise 123 to a million and a half", update(by_id("123"), deal_value=money("1500000"))),
    ("bump the value to seventy five k", update(LAST, deal_value=money("75000"))),
    ("please set 4711 value to two million thanks",
     update(by_id("4711"), deal_value=money("2000000"))),
    ("it's worth three hundred k", update(LAST, deal_value=money("300000"))),
    ("the value is ninety thousand", update(LAST, deal_value=money("90000"))),
    ("set value of 123 to EUR two million",
     update(by_id("123"), deal_value=money("2000000", "EUR"))),
    ("123 value one million GBP", update(by_id("123"), deal_value=money("1000000", "GBP"))),
    ("set value of #4711 to 2 and a half million",
     update(by_id("4711"), deal_value=money("2500000"))),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), IN_COMMANDS)
def test_values_in_words_inside_commands(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["set value of 123 to a lot", "set value of 123 to million", "value hundred"]
)
def test_a_value_that_is_no_amount_is_still_refused(text: str) -> None:
    assert isinstance(parse(text), ParseFailure)
