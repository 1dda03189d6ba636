"""Issue 16, section 5: one-letter typos (insertion, deletion, substitution, transposition) in
command words and field names. A change about an id or "it" is read as corrected (the confirm
card is the safety net); a read, or a change about a name, is offered as "did you mean"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.intent import NoteEdit, Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from tests.dialogs.grammar.support import LAST, by_id, money, parse, update

WON, LOST = Outcome.WON, Outcome.LOST
FRIDAY = date(2026, 11, 27)

APPLIED = [
    # the verb
    ("makr 123 won", update(by_id("123"), outcome=WON)),
    ("mrak 123 won", update(by_id("123"), outcome=WON)),
    ("marrk 123 won", update(by_id("123"), outcome=WON)),
    ("mrk 123 won", update(by_id("123"), outcome=WON)),
    ("makr 123 as won", update(by_id("123"), outcome=WON)),
    ("cloes 123 as won", update(by_id("123"), outcome=WON)),
    ("clsoe 4711 as lost", update(by_id("4711"), outcome=LOST)),
    ("psuh 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("puhs 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("sett value of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("ste value of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("rejcet 123", update(by_id("123"), outcome=Outcome.DECLINED)),
    ("accpet 123", update(by_id("123"), outcome=Outcome.ACCEPTED)),
    ("renmae 4711 to Contoso Phase 2", update(by_id("4711"), deal_name="Contoso Phase 2")),
    ("ntoe on 123: demo booked", update(by_id("123"), note=NoteEdit("demo booked"))),
    # the outcome
    ("mark 123 wno", update(by_id("123"), outcome=WON)),
    ("mark 123 wonn", update(by_id("123"), outcome=WON)),
    ("mark 123 lsot", update(by_id("123"), outcome=LOST)),
    ("mark 123 losst", update(by_id("123"), outcome=LOST)),
    ("we wno 123", update(by_id("123"), outcome=WON)),
    ("we lsot 123", update(by_id("123"), outcome=LOST)),
    ("close 123 as wno", update(by_id("123"), outcome=WON)),
    # the field, one word or two
    ("set the vlaue of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set vaule of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set valeu of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set valu of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set the valuee of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set the deal vlaue of 123 to 50k", update(by_id("123"), deal_value=money("50000"))),
    ("set the vlaue to fifty k", update(LAST, deal_value=money("50000"))),
    ("set the clsoe date of 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("set the close dtae of 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("set the cloose date of 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("push clsoe date of 123 to friday", update(by_id("123"), close_date=FRIDAY)),
    ("123 clsoe date friday", update(by_id("123"), close_date=FRIDAY)),
    ("push 123 to firday", update(by_id("123"), close_date=FRIDAY)),
    ("set stgae of 123 to propose", update(by_id("123"), sales_stage=SalesStage.PROPOSE)),
    ("set the satge of 123 to develop", update(by_id("123"), sales_stage=SalesStage.DEVELOP)),
    ("123 stgae develop", update(by_id("123"), sales_stage=SalesStage.DEVELOP)),
    ("set stage of 123 to porpose", update(by_id("123"), sales_stage=SalesStage.PROPOSE)),
    ("set stage of 123 to qualfy", update(by_id("123"), sales_stage=SalesStage.QUALIFY)),
    ("makr it won", update(LAST, outcome=WON)),
]


@pytest.mark.parametrize(("text", "expected"), APPLIED)
def test_a_mistyped_change_goes_on_to_the_confirm_card(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


# Reads, and changes about a customer name (whose first word may be the customer's own), ask.
ASKED = [
    ("cancle", "cancel"),
    ("cancl", "cancel"),
    ("hlep", "help"),
    ("shwo 123", "show 123"),
    ("sohw 123", "show 123"),
    ("lsit my deals", "list my deals"),
    ("makr Ember Cobalt Ltd won", "mark Ember Cobalt Ltd won"),
    ("makr O'Brien Logistics lost", "mark O'Brien Logistics lost"),
    ("set the vlaue of Müller & Söhne to 10k", "set the value of Müller & Söhne to 10k"),
    ("mrak Wong & Partners won", "mark Wong & Partners won"),
]


@pytest.mark.parametrize(("text", "suggestion"), ASKED)
def test_a_mistyped_read_or_named_change_is_offered(text: str, suggestion: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure), result
    assert result.suggestion == suggestion


# A corrected word never lands in free text: the note and reason keep the seller's spelling.
@pytest.mark.parametrize(
    ("text", "field", "kept"),
    [
        ("mark 123 lost, reason: makr ting", "reason", "makr ting"),
        ("note on 123: makr sure to call", "note", "makr sure to call"),
    ],
)
def test_free_text_keeps_its_spelling(text: str, field: str, kept: str) -> None:
    result = parse(text)
    assert isinstance(result, UpdateReferral)
    value = getattr(result.intent, field)
    assert (value if isinstance(value, str) else value.text) == kept


@pytest.mark.parametrize("text", ["we own 123", "now 123", "two 123", "set 123 to noon"])
def test_everyday_words_are_not_corrected_into_a_change(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferral)


# Property: a text that names a referral or a field never gets the bare "didn't understand";
# it is understood, asked about, or offered a correction.
_NAMES = ["123", "4711", "it", "Ember Cobalt Ltd", "O'Brien Logistics", "Contoso Azure"]
_SAYINGS = [
    "makr {} won", "mark {} wno", "set the vlaue of {} to 5k", "set the clsoe date of {} to "
    "friday", "set stgae of {} to propose", "{} is worth half a million", "we won {}",
    "{} signed", "mark {} won, value fifty k", "cloes {} as lost", "psuh {} to friday",
    "{} is a no go", "close {}",
]  # fmt: skip


@pytest.mark.parametrize("saying", _SAYINGS)
@pytest.mark.parametrize("name", _NAMES)
def test_naming_a_referral_or_field_never_gets_the_bare_not_understood(
    saying: str, name: str
) -> None:
    result = parse(saying.format(name))
    if isinstance(result, ParseFailure):
        assert result.suggestion is not None or "didn't understand" not in result.message
