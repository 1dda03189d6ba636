"""Issue 16, section 3: relative changes, as ten different sellers would type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.intent import Money, Percent, Shift, ShiftUnit, ValueDelta
from dialogs.grammar.commands import ParseFailure, ReferralRef, UpdateReferral
from tests.dialogs.grammar.support import LAST, by_id, by_name, money, parse, update

DAYS, WEEKS, MONTHS = ShiftUnit.DAYS, ShiftUnit.WEEKS, ShiftUnit.MONTHS


def shift(ref: ReferralRef, count: int, unit: ShiftUnit) -> UpdateReferral:
    return update(ref, close_date_shift=Shift(count, unit))


def raised(ref: ReferralRef, by: Money | Percent) -> UpdateReferral:
    return update(ref, deal_value_delta=ValueDelta(by, 1))


def cut(ref: ReferralRef, by: Money | Percent) -> UpdateReferral:
    return update(ref, deal_value_delta=ValueDelta(by, -1))


def step(ref: ReferralRef, direction: int) -> UpdateReferral:
    return update(ref, stage_step=direction)


def pct(value: str) -> Percent:
    return Percent(Decimal(value))


CLOSE_DATE_SHIFTS = [
    ("slip 4711 by two weeks", shift(by_id("4711"), 2, WEEKS)),
    ("pull Woodgrove in a month", shift(by_name("Woodgrove"), -1, MONTHS)),
    ("push it out 10 days", shift(LAST, 10, DAYS)),
    ("move the close date of 555 back a week", shift(by_id("555"), 1, WEEKS)),
    ("bring Contoso forward by 3 days", shift(by_name("Contoso"), -3, DAYS)),
    ("push it back a week", shift(LAST, 1, WEEKS)),
    ("push 123 out by a month", shift(by_id("123"), 1, MONTHS)),
    ("push the close date of 123 out by 2 weeks", shift(by_id("123"), 2, WEEKS)),
    ("move 123 forward 3 days", shift(by_id("123"), -3, DAYS)),
    ("slip 123 by 2 weeks", shift(by_id("123"), 2, WEEKS)),
    ("delay the close date by a couple of weeks", shift(LAST, 2, WEEKS)),
    ("delay Lots Road Auctions by a fortnight", shift(by_name("Lots Road Auctions"), 2, WEEKS)),
    ("postpone O'Brien Logistics 3 weeks", shift(by_name("O'Brien Logistics"), 3, WEEKS)),
    ("slip it a quarter", shift(LAST, 3, MONTHS)),
    ("push Ember Cobalt Ltd out two months", shift(by_name("Ember Cobalt Ltd"), 2, MONTHS)),
    ("move Wong & Partners up a week", shift(by_name("Wong & Partners"), -1, WEEKS)),
    ("pull the close date in by 5 days", shift(LAST, -5, DAYS)),
    ("move the closing date of 4711 earlier by 2 weeks", shift(by_id("4711"), -2, WEEKS)),
    ("move it 3 days earlier", shift(LAST, -3, DAYS)),
    ("push 555 two weeks out", shift(by_id("555"), 2, WEEKS)),
    ("shift Müller & Söhne back by 1 month", shift(by_name("Müller & Söhne"), 1, MONTHS)),
    ("give it another week", shift(LAST, 1, WEEKS)),
    ("give 4711 two more weeks", shift(by_id("4711"), 2, WEEKS)),
    ("4711 closes two weeks later", shift(by_id("4711"), 2, WEEKS)),
    ("Contoso closes 3 days earlier", shift(by_name("Contoso"), -3, DAYS)),
    ("please push the close date out a week", shift(LAST, 1, WEEKS)),
    ("extend 123 by 10 days", shift(by_id("123"), 10, DAYS)),
    ("expedite 555 by a week", shift(by_id("555"), -1, WEEKS)),
    ("push the expected close date of Fabrikam back 6 weeks", shift(by_name("Fabrikam"), 6, WEEKS)),
]
VALUE_DELTAS = [
    ("raise 555 by 20k", raised(by_id("555"), money("20000"))),
    ("cut it by 15%", cut(LAST, pct("15"))),
    ("bump the value of Contoso up 10%", raised(by_name("Contoso"), pct("10"))),
    ("drop 123's value by 5,000", cut(by_id("123"), money("5000"))),
    ("increase the deal by a quarter", raised(LAST, pct("25"))),
    ("increase the value of 4711 by 2.5%", raised(by_id("4711"), pct("2.5"))),
    (
        "reduce Lots Road Auctions by $10k",
        cut(by_name("Lots Road Auctions"), money("10000", "USD")),
    ),
    ("lower the deal value by 20 percent", cut(LAST, pct("20"))),
    ("knock 10% off Ember Cobalt Ltd", cut(by_name("Ember Cobalt Ltd"), pct("10"))),
    ("take 5k off the value of 555", cut(by_id("555"), money("5000"))),
    ("add 20k to the value of Wong & Partners", raised(by_name("Wong & Partners"), money("20000"))),
    ("add €5.000 to 4711", raised(by_id("4711"), money("5000", "EUR"))),
    ("boost O'Brien Logistics by 1.2M", raised(by_name("O'Brien Logistics"), money("1200000"))),
    ("cut the deal size by half", cut(LAST, pct("50"))),
    ("up it by 10 pct", raised(LAST, pct("10"))),
    ("555 value up 20k", raised(by_id("555"), money("20000"))),
    ("Contoso: value down by 5%", cut(by_name("Contoso"), pct("5"))),
    ("bring Müller & Söhne down 10%", cut(by_name("Müller & Söhne"), pct("10"))),
    ("decrease the amount by 7,500 for 123", cut(by_id("123"), money("7500"))),
    ("trim 4711's value by 3 %", cut(by_id("4711"), pct("3"))),
]
STAGE_STEPS = [
    ("move 555 to the next stage", step(by_id("555"), 1)),
    ("advance Woodgrove", step(by_name("Woodgrove"), 1)),
    ("back to the previous stage", step(LAST, -1)),
    ("move it back to the previous stage", step(LAST, -1)),
    ("move Contoso to the next sales stage", step(by_name("Contoso"), 1)),
    ("next stage for Müller & Söhne", step(by_name("Müller & Söhne"), 1)),
    ("previous stage for 4711", step(by_id("4711"), -1)),
    ("demote Ember Cobalt Ltd", step(by_name("Ember Cobalt Ltd"), -1)),
    ("progress Lots Road Auctions", step(by_name("Lots Road Auctions"), 1)),
    ("bump 123 up a stage", step(by_id("123"), 1)),
    ("move Wong & Partners back a stage", step(by_name("Wong & Partners"), -1)),
    ("to the next stage", step(LAST, 1)),
    ("advance it to the next phase", step(LAST, 1)),
    ("take O'Brien Logistics on to the following stage", step(by_name("O'Brien Logistics"), 1)),
    ("advance the deal one stage", step(LAST, 1)),
]


@pytest.mark.parametrize(("text", "expected"), CLOSE_DATE_SHIFTS)
def test_close_date_shifts(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), VALUE_DELTAS)
def test_value_deltas(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), STAGE_STEPS)
def test_stage_steps(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Absolute readings stay absolute.
        ("raise 555 to 20k", update(by_id("555"), deal_value=money("20000"))),
        ("push 123 to next Friday", None),
        ("move 123 to propose", None),
        ("123 closes in 3 weeks", None),
        ("note on 123: push it back a week", None),
    ],
)
def test_absolute_phrasings_are_not_read_as_relative(
    text: str, expected: UpdateReferral | None
) -> None:
    result = parse(text)
    assert isinstance(result, UpdateReferral)
    assert not result.intent.is_relative
    if expected is not None:
        assert result == expected


@pytest.mark.parametrize(
    "text",
    ["raise 555 20k", "cut it by lots", "push it by a while", "advance", "cut it by 0%"],
)
def test_what_is_not_guessed(text: str) -> None:
    result = parse(text)
    assert not (isinstance(result, UpdateReferral) and result.intent.is_relative)


def test_a_relative_and_an_absolute_change_combine_in_one_message() -> None:
    result = parse("push 123 out by 2 weeks and raise the value by 10%")
    assert result == update(
        by_id("123"),
        close_date_shift=Shift(2, WEEKS),
        deal_value_delta=ValueDelta(pct("10"), 1),
    )


def test_a_percentage_over_a_thousand_is_refused_with_a_sentence() -> None:
    result = parse("raise 555 by 5000%")
    assert isinstance(result, ParseFailure)
    assert "1000%" in result.message
