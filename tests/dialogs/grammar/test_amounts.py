from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.intent import Money
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.engine.problems import Problem


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("150000", "150000", None),
        ("150k", "150000", None),
        ("150K", "150000", None),
        ("150 k", "150000", None),
        ("1.2M", "1200000", None),
        ("1.2m", "1200000", None),
        ("$1.2M", "1200000", "USD"),
        ("30 000", "30000", None),
        ("1 250 000", "1250000", None),
        ("95,000", "95000", None),
        ("1,234,567", "1234567", None),
        ("€140.000", "140000", "EUR"),
        ("1.234.567", "1234567", None),
        ("1,5M", "1500000", None),
        ("2,75k", "2750", None),
        ("USD 10k", "10000", "USD"),
        ("usd 10k", "10000", "USD"),
        ("USD10k", "10000", "USD"),
        ("10k EUR", "10000", "EUR"),
        ("10keur", "10000", "EUR"),
        ("10 euros", "10", "EUR"),
        ("£5k", "5000", "GBP"),
        ("5k GBP", "5000", "GBP"),
        ("CHF 80'000", "80000", "CHF"),
        ("80'000 CHF", "80000", "CHF"),
        ("¥2,000,000", "2000000", "JPY"),
        ("₹50 lakh", None, None),  # not understood: see the refusals table
        ("1.234,56", "1234.56", None),
        ("1,234.56", "1234.56", None),
        ("10.5", "10.50", None),
        ("10,50", "10.50", None),
        ("99.99", "99.99", None),
        ("10.555", "10555", None),
        ("1.200M", "1200000", None),
        ("1,200k", "1200000", None),
        ("1.2 million", "1200000", None),
        ("3 thousand", "3000", None),
        ("2bn", "2000000000", None),
        ("1.5 billion USD", "1500000000", "USD"),
        ("5 dollars", "5", "USD"),
        ("$ 5,000", "5000", "USD"),
        ("US$5k", "5000", "USD"),
        ("C$5k", "5000", "CAD"),
        ("A$5k", "5000", "AUD"),
        ("+5k", "5000", None),
        ("5k.", "5000", None),
        ("999999999999", "999999999999", None),
        ("1000000000000", "1000000000000", None),
        ("0.5", "0.50", None),
    ],
)
def test_amounts_sellers_type_are_read(text: str, amount: str | None, currency: str | None) -> None:
    result = parse_amount(text)
    if amount is None:
        assert isinstance(result, Problem)
    else:
        assert result == Money(Decimal(amount), currency)


def test_whole_amounts_come_back_without_decimals() -> None:
    result = parse_amount("1.2M")
    assert isinstance(result, Money)
    assert str(result.amount) == "1200000"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5k", "negative"),
        ("- 5000", "negative"),
        ("minus 5000", "negative"),
        ("(5,000)", "negative"),
        ("$-5k", "negative"),
        ("-$1.2M", "negative"),
        ("0", "more than zero"),
        ("0k", "more than zero"),
        ("$0", "more than zero"),
        ("0.00", "more than zero"),
        ("1000000000001", "trillion"),
        ("2000bn", "trillion"),
        ("5000000M", "trillion"),
        ("0.001", "two decimals"),
        ("10.5555", "two decimals"),
        ("$5 EUR", "two currencies"),
        ("abc", "couldn't read"),
        ("", "couldn't read"),
        ("lots", "couldn't read"),
        ("1.2.3", "couldn't read"),
        ("1 2", "couldn't read"),
        ("12,34,56", "couldn't read"),
        ("5k5", "couldn't read"),
        ("5 XYZ", "currency"),
        ("1e6", "couldn't read"),
    ],
)
def test_nonsense_negative_zero_and_absurd_amounts_are_refused_with_a_reason(
    text: str, reason: str
) -> None:
    result = parse_amount(text)
    assert isinstance(result, Problem)
    assert reason in result.reason


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 .,'-+$€£kKmMbnUSDEUR()", max_size=25))
def test_an_amount_is_never_zero_or_negative(text: str) -> None:
    result = parse_amount(text)
    if isinstance(result, Money):
        assert Decimal(0) < result.amount <= Decimal(10) ** 12
        assert result.amount == result.amount.quantize(Decimal("0.01"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_money_or_a_problem(text: str) -> None:
    assert isinstance(parse_amount(text), Money | Problem)
