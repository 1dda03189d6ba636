from __future__ import annotations

from datetime import date

import pytest

from bot.domain.intent import NoteEdit
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import UpdateReferral
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, money, parse, update

CONTOSO_AZURE = by_name("Contoso Azure")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "set the deal value of Contoso Azure to 150k",
            update(CONTOSO_AZURE, deal_value=money("150000")),
        ),
        (
            "set deal value of Contoso Azure to 150000",
            update(CONTOSO_AZURE, deal_value=money("150000")),
        ),
        ("deal value 123 = $1.2M", update(by_id("123"), deal_value=money("1200000", "USD"))),
        ("123 value 95,000 EUR", update(by_id("123"), deal_value=money("95000", "EUR"))),
        ("set value of 4711 to €140.000", update(by_id("4711"), deal_value=money("140000", "EUR"))),
        ("set the value of 123 to 30 000", update(by_id("123"), deal_value=money("30000"))),
        (
            "change the deal value for 123 to 1,5M",
            update(by_id("123"), deal_value=money("1500000")),
        ),
        ("update value of 123 to USD 10k", update(by_id("123"), deal_value=money("10000", "USD"))),
        ("set 123 value to £5k", update(by_id("123"), deal_value=money("5000", "GBP"))),
        ("set 123 deal value to 10k EUR", update(by_id("123"), deal_value=money("10000", "EUR"))),
        ("set 123 to 150k", update(by_id("123"), deal_value=money("150000"))),
        ("value of 123 is 80'000 CHF", update(by_id("123"), deal_value=money("80000", "CHF"))),
        ("deal value for 123: 42k", update(by_id("123"), deal_value=money("42000"))),
        ("123 deal value is 5k", update(by_id("123"), deal_value=money("5000"))),
        ("Contoso Azure value 150k", update(CONTOSO_AZURE, deal_value=money("150000"))),
        ("123 is worth 2.5M", update(by_id("123"), deal_value=money("2500000"))),
        ("bump the value of 123 to 200k", update(by_id("123"), deal_value=money("200000"))),
        ("set the deal value to 150k", update(LAST, deal_value=money("150000"))),
        ("value 150k", update(LAST, deal_value=money("150000"))),
        ("make it 150k", update(LAST, deal_value=money("150000"))),
        ("set value=150k", update(LAST, deal_value=money("150000"))),
        (
            "deal value of the Contoso deal = 1.2M",
            update(by_name("Contoso"), deal_value=money("1200000")),
        ),
        ("set the amount of 123 to 75,000.50", update(by_id("123"), deal_value=money("75000.50"))),
    ],
)
def test_deal_values(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("close date of 123 to next Friday", update(by_id("123"), close_date=date(2026, 11, 27))),
        (
            "push the close date of 123 to end of Q1",
            update(by_id("123"), close_date=date(2027, 3, 31)),
        ),
        ("move 123 to 2026-12-04", update(by_id("123"), close_date=date(2026, 12, 4))),
        ("123 closes in 3 weeks", update(by_id("123"), close_date=date(2026, 12, 16))),
        ("close it next Friday", update(LAST, close_date=date(2026, 11, 27))),
        ("close 123 next Friday", update(by_id("123"), close_date=date(2026, 11, 27))),
        ("close 123 on Dec 4", update(by_id("123"), close_date=date(2026, 12, 4))),
        ("set the close date of 123 to 4 Dec", update(by_id("123"), close_date=date(2026, 12, 4))),
        (
            "change the closing date for 123 to December 4th 2026",
            update(by_id("123"), close_date=date(2026, 12, 4)),
        ),
        ("push 123 to end of next month", update(by_id("123"), close_date=date(2026, 12, 31))),
        ("push 123 out to January", update(by_id("123"), close_date=date(2027, 1, 31))),
        ("push Contoso Azure to next week", update(CONTOSO_AZURE, close_date=date(2026, 12, 4))),
        (
            "move the close date of 123 to tomorrow",
            update(by_id("123"), close_date=date(2026, 11, 26)),
        ),
        ("123 close date 2026-12-04", update(by_id("123"), close_date=date(2026, 12, 4))),
        ("123 close date: end of year", update(by_id("123"), close_date=date(2026, 12, 31))),
        ("close date for 123 = 04.12.2026", update(by_id("123"), close_date=date(2026, 12, 4))),
        ("123 will close end of quarter", update(by_id("123"), close_date=date(2026, 12, 31))),
        ("123 closing in 10 days", update(by_id("123"), close_date=date(2026, 12, 5))),
        (
            "the Contoso deal closes on Friday",
            update(by_name("Contoso"), close_date=date(2026, 11, 27)),
        ),
        ("push the close date to next Friday", update(LAST, close_date=date(2026, 11, 27))),
        ("close date next Friday", update(LAST, close_date=date(2026, 11, 27))),
        ("it closes in 2 months", update(LAST, close_date=date(2027, 1, 25))),
        ("move 123 to 2026-01-10", update(by_id("123"), close_date=date(2026, 1, 10))),
        (
            "set expected close date of 123 to in 2 months",
            update(by_id("123"), close_date=date(2027, 1, 25)),
        ),
    ],
)
def test_close_dates(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


def _note(text: str) -> NoteEdit:
    return NoteEdit(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("note on 123: demo booked", update(by_id("123"), note=_note("demo booked"))),
        (
            "Note on 123: Demo booked with the CFO.",
            update(by_id("123"), note=_note("Demo booked with the CFO.")),
        ),
        (
            "add note to 123: Pricing sent, waiting",
            update(by_id("123"), note=_note("Pricing sent, waiting")),
        ),
        (
            "add a note to 123: call back on Monday",
            update(by_id("123"), note=_note("call back on Monday")),
        ),
        ("123 note: POC starts 1 Dec", update(by_id("123"), note=_note("POC starts 1 Dec"))),
        ("123 notes - met the IT lead", update(by_id("123"), note=_note("met the IT lead"))),
        ("note for Contoso Azure: kickoff done", update(CONTOSO_AZURE, note=_note("kickoff done"))),
        (
            "note on the Northwind lead: intro call",
            update(by_name("Northwind"), note=_note("intro call")),
        ),
        ("comment on 123: looks good", update(by_id("123"), note=_note("looks good"))),
        ("add a comment to 123 saying great call", update(by_id("123"), note=_note("great call"))),
        ("note on 123 \u201cquoted text\u201d", update(by_id("123"), note=_note("quoted text"))),
        (
            "note on 123: mark 123 won and close it",
            update(by_id("123"), note=_note("mark 123 won and close it")),
        ),
        ("note: called them, no answer", update(LAST, note=_note("called them, no answer"))),
        ("add a note: follow up next week", update(LAST, note=_note("follow up next week"))),
        ("note 123: demo booked", update(by_id("123"), note=_note("demo booked"))),
        ("note on 123: 50% discount?", update(by_id("123"), note=_note("50% discount?"))),
        (
            "set notes of 123 to Fresh start",
            update(by_id("123"), note=NoteEdit("Fresh start", replace=True)),
        ),
        (
            "replace the notes of 123 with Only this",
            update(by_id("123"), note=NoteEdit("Only this", replace=True)),
        ),
        (
            "set the note on 123 to: new text",
            update(by_id("123"), note=NoteEdit("new text", replace=True)),
        ),
        (
            "overwrite notes for Contoso Azure with x",
            update(CONTOSO_AZURE, note=NoteEdit("x", replace=True)),
        ),
        ("set notes to Clean slate", update(LAST, note=NoteEdit("Clean slate", replace=True))),
    ],
)
def test_notes_keep_the_sellers_text(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("set stage of 123 to propose", SalesStage.PROPOSE),
        ("set the sales stage of 123 to Develop", SalesStage.DEVELOP),
        ("123 stage qualified", SalesStage.QUALIFY),
        ("123 stage developed", SalesStage.DEVELOP),
        ("123 stage proposed", SalesStage.PROPOSE),
        ("123 stage negotiated", SalesStage.CLOSE),
        ("123 stage: close", SalesStage.CLOSE),
        ("123 stage = qualify", SalesStage.QUALIFY),
        ("move 123 to Develop stage", SalesStage.DEVELOP),
        ("move 123 to the propose stage", SalesStage.PROPOSE),
        ("move 123 to negotiation", SalesStage.CLOSE),
        ("advance 123 to proposal", SalesStage.PROPOSE),
        ("set 123 to qualified", SalesStage.QUALIFY),
        ("123 is in the develop stage", SalesStage.DEVELOP),
        ("123 is now negotiating", SalesStage.CLOSE),
        ("stage of 123 to proposed", SalesStage.PROPOSE),
        ("set sales stage for 123 = Qualified", SalesStage.QUALIFY),
        ("SET STAGE OF 123 TO PROPOSE", SalesStage.PROPOSE),
    ],
)
def test_sales_stages_in_api_and_ui_words(text: str, stage: SalesStage) -> None:
    assert parse(text) == update(by_id("123"), sales_stage=stage)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("set stage to develop", update(LAST, sales_stage=SalesStage.DEVELOP)),
        ("move it to proposed", update(LAST, sales_stage=SalesStage.PROPOSE)),
        ("Contoso Azure stage develop", update(CONTOSO_AZURE, sales_stage=SalesStage.DEVELOP)),
    ],
)
def test_sales_stages_for_other_references(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rename 123 to Contoso Azure Phase 2",
            update(by_id("123"), deal_name="Contoso Azure Phase 2"),
        ),
        (
            "set the deal name of 123 to Contoso Azure Phase 2",
            update(by_id("123"), deal_name="Contoso Azure Phase 2"),
        ),
        (
            'rename 123 to "Azure & Teams rollout"',
            update(by_id("123"), deal_name="Azure & Teams rollout"),
        ),
        (
            "rename 123 to Johnson and Johnson renewal",
            update(by_id("123"), deal_name="Johnson and Johnson renewal"),
        ),
        ("rename it to Phase 3.", update(LAST, deal_name="Phase 3")),
        (
            "rename the Contoso deal to Contoso EMEA",
            update(by_name("Contoso"), deal_name="Contoso EMEA"),
        ),
        ("set name of 123 to X1", update(by_id("123"), deal_name="X1")),
        ("123 deal name: Big one", update(by_id("123"), deal_name="Big one")),
        (
            "change the title of 123 to Windows 11 refresh",
            update(by_id("123"), deal_name="Windows 11 refresh"),
        ),
        ("rename to Contoso Next", update(LAST, deal_name="Contoso Next")),
    ],
)
def test_deal_names_keep_their_casing(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("set crm id of 123 to CRM-42", update(by_id("123"), external_reference_id="CRM-42")),
        ("123 crm CRM-42", update(by_id("123"), external_reference_id="CRM-42")),
        ("123 crm id: OPP-0042", update(by_id("123"), external_reference_id="OPP-0042")),
        (
            "set the CRM ID for 123 = D365-7781",
            update(by_id("123"), external_reference_id="D365-7781"),
        ),
        (
            "set external reference id of 123 to SF-1",
            update(by_id("123"), external_reference_id="SF-1"),
        ),
        ("crm id of 123 is 0060000abc", update(by_id("123"), external_reference_id="0060000abc")),
        ("link 123 to CRM-9", update(by_id("123"), external_reference_id="CRM-9")),
        ("set crm id to CRM-77", update(LAST, external_reference_id="CRM-77")),
        ("set Contoso Azure crm id to CRM-5", update(CONTOSO_AZURE, external_reference_id="CRM-5")),
    ],
)
def test_crm_ids(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


def test_crm_id_itself_can_name_the_referral() -> None:
    assert parse("set value of CRM-0001 to 5k") == update(
        by_crm("CRM-0001"), deal_value=money("5000")
    )
