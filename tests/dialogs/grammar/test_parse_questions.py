"""Issue 16 §1: questions about one referral, as ten different sellers would ask them.

Each phrasing is tried with ids, CRM ids, "it" and real company names whose words come close to
our command words ("Ember Cobalt Ltd", "Lots Road Auctions"): every one reads as a question
with its topic, never as a change.
"""

from __future__ import annotations

import pytest

from dialogs.grammar.commands import (
    AskAboutReferral,
    Asked,
    Command,
    ReferralRef,
    ShowReferral,
    Topic,
    UpdateReferral,
)
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, parse

REFS: tuple[tuple[str, ReferralRef], ...] = (
    ("4711", by_id("4711")),
    ("CRM-0042", by_crm("CRM-0042")),
    ("Ember Cobalt Ltd", by_name("Ember Cobalt Ltd")),
    ("Lots Road Auctions", by_name("Lots Road Auctions")),
    ("Wong & Partners", by_name("Wong & Partners")),
    ("Müller & Söhne", by_name("Müller & Söhne")),
    ("O'Brien Logistics", by_name("O'Brien Logistics")),
    ("the Contoso Azure deal", by_name("Contoso Azure")),
)
# (phrasing, topic, asked); {r} is the referral as the seller names it.
PHRASINGS: tuple[tuple[str, Topic, Asked | None], ...] = (
    ("is {r} still open?", Topic.STATUS, Asked.OPEN),
    ("Is {r} open", Topic.STATUS, Asked.OPEN),
    ("is {r} still active?", Topic.STATUS, Asked.OPEN),
    ("are we still working on {r}?", Topic.STATUS, Asked.OPEN),
    ("{r} still open?", Topic.STATUS, Asked.OPEN),
    ("did we win {r}?", Topic.STATUS, Asked.WON),
    ("have we won {r} yet?", Topic.STATUS, Asked.WON),
    ("has {r} been won?", Topic.STATUS, Asked.WON),
    ("was {r} lost?", Topic.STATUS, Asked.LOST),
    ("did we lose {r}", Topic.STATUS, Asked.LOST),
    ("is {r} closed yet?", Topic.STATUS, Asked.CLOSED),
    ("has {r} closed?", Topic.STATUS, Asked.CLOSED),
    ("did we accept {r}?", Topic.STATUS, Asked.ACCEPTED),
    ("was {r} declined?", Topic.STATUS, Asked.DECLINED),
    ("has {r} expired?", Topic.STATUS, Asked.EXPIRED),
    ("is {r} still pending?", Topic.STATUS, Asked.NEW),
    ("is {r} won or lost?", Topic.STATUS, None),
    ("what's the status of {r}?", Topic.STATUS, None),
    ("What is the current status on {r}", Topic.STATUS, None),
    ("whats the state of {r}", Topic.STATUS, None),
    ("what's {r} worth?", Topic.VALUE, None),
    ("What is {r} worth", Topic.VALUE, None),
    ("how much is {r} worth?", Topic.VALUE, None),
    ("how big is {r}?", Topic.VALUE, None),
    ("what's the deal value of {r}?", Topic.VALUE, None),
    ("what is the value on {r} now", Topic.VALUE, None),
    ("what's the deal size for {r}", Topic.VALUE, None),
    ("do you know what {r} is worth", Topic.VALUE, None),
    ("what's the estimated value of {r}", Topic.VALUE, None),
    ("value of {r}?", Topic.VALUE, None),
    ("when is {r} expected to close?", Topic.CLOSE_DATE, None),
    ("when does {r} close?", Topic.CLOSE_DATE, None),
    ("When will {r} close", Topic.CLOSE_DATE, None),
    ("when's {r} closing?", Topic.CLOSE_DATE, None),
    ("when is {r} due to close", Topic.CLOSE_DATE, None),
    ("when do we expect {r} to close?", Topic.CLOSE_DATE, None),
    ("what's the close date of {r}?", Topic.CLOSE_DATE, None),
    ("what is the expected close date for {r}", Topic.CLOSE_DATE, None),
    ("what date does {r} close", Topic.CLOSE_DATE, None),
    ("close date of {r}?", Topic.CLOSE_DATE, None),
    ("who's working on {r}?", Topic.TEAM, None),
    ("who is on {r}", Topic.TEAM, None),
    ("who's on the team for {r}?", Topic.TEAM, None),
    ("who works on {r}", Topic.TEAM, None),
    ("who owns {r}?", Topic.TEAM, None),
    ("who is handling {r}", Topic.TEAM, None),
    ("who's the seller on {r}", Topic.TEAM, None),
    ("what's the deal team for {r}?", Topic.TEAM, None),
    ("which sellers are on {r}?", Topic.TEAM, None),
    ("team on {r}?", Topic.TEAM, None),
    ("what stage is {r} in?", Topic.STAGE, None),
    ("which stage is {r} at", Topic.STAGE, None),
    ("what's the sales stage of {r}?", Topic.STAGE, None),
    ("what is the current stage for {r}", Topic.STAGE, None),
    ("how far along is {r}?", Topic.STAGE, None),
    ("where is {r} in the pipeline?", Topic.STAGE, None),
    ("is {r} in propose yet?", Topic.STAGE, None),
    ("stage of {r}?", Topic.STAGE, None),
    ("any notes on {r}?", Topic.NOTES, None),
    ("are there any notes for {r}", Topic.NOTES, None),
    ("what are the notes on {r}?", Topic.NOTES, None),
    ("what do the notes on {r} say?", Topic.NOTES, None),
    ("show me the notes on {r}", Topic.NOTES, None),
    ("read me the notes for {r}", Topic.NOTES, None),
    ("do we have any comments on {r}?", Topic.NOTES, None),
    ("has anyone written anything on {r}?", Topic.NOTES, None),
    ("the notes on {r}?", Topic.NOTES, None),
    ("when does {r} expire?", Topic.EXPIRY, None),
    ("when will {r} expire", Topic.EXPIRY, None),
    ("when is {r} going to expire?", Topic.EXPIRY, None),
    ("what's the expiry date of {r}?", Topic.EXPIRY, None),
    ("what is the deadline to accept {r}", Topic.EXPIRY, None),
    ("how long until {r} expires?", Topic.EXPIRY, None),
    ("how long do we have to accept {r}?", Topic.EXPIRY, None),
    ("is {r} expiring soon?", Topic.EXPIRY, None),
    ("expiry date for {r}?", Topic.EXPIRY, None),
    ("what's the crm id of {r}?", Topic.CRM_ID, None),
    ("what is the external id for {r}", Topic.CRM_ID, None),
    ("tell me about {r}", Topic.OVERVIEW, None),
    ("tell me more about {r}", Topic.OVERVIEW, None),
    ("what do we know about {r}?", Topic.OVERVIEW, None),
    ("what's the story with {r}?", Topic.OVERVIEW, None),
    ("give me a quick summary of {r}", Topic.OVERVIEW, None),
)
# "it" where a seller would say it.
WITH_IT: tuple[tuple[str, Topic, Asked | None], ...] = (
    ("is it still open?", Topic.STATUS, Asked.OPEN),
    ("did we win it?", Topic.STATUS, Asked.WON),
    ("has it expired?", Topic.STATUS, Asked.EXPIRED),
    ("what's it worth?", Topic.VALUE, None),
    ("how much is it worth", Topic.VALUE, None),
    ("when does it close?", Topic.CLOSE_DATE, None),
    ("when is it expected to close", Topic.CLOSE_DATE, None),
    ("who's on it?", Topic.TEAM, None),
    ("who is working on that one?", Topic.TEAM, None),
    ("what stage is it in?", Topic.STAGE, None),
    ("any notes on it?", Topic.NOTES, None),
    ("notes on it?", Topic.NOTES, None),
    ("when does it expire?", Topic.EXPIRY, None),
    ("tell me about it", Topic.OVERVIEW, None),
)
# Exactly as the issue asks them.
FROM_THE_ISSUE: tuple[tuple[str, Command], ...] = (
    ("is 4711 still open?", AskAboutReferral(by_id("4711"), Topic.STATUS, Asked.OPEN)),
    ("what's Contoso Azure worth?", AskAboutReferral(by_name("Contoso Azure"), Topic.VALUE)),
    (
        "when is the Fabrikam deal expected to close?",
        AskAboutReferral(by_name("Fabrikam"), Topic.CLOSE_DATE),
    ),
    ("who's working on 555?", AskAboutReferral(by_id("555"), Topic.TEAM)),
    ("what stage is Woodgrove in?", AskAboutReferral(by_name("Woodgrove"), Topic.STAGE)),
    ("any notes on 123?", AskAboutReferral(by_id("123"), Topic.NOTES)),
    ("notes on 123?", AskAboutReferral(by_id("123"), Topic.NOTES)),
    (
        "when does the Northwind lead expire?",
        AskAboutReferral(by_name("Northwind"), Topic.EXPIRY),
    ),
    ("did we win 123?", AskAboutReferral(by_id("123"), Topic.STATUS, Asked.WON)),
    ("please, what's 123 worth? thanks", AskAboutReferral(by_id("123"), Topic.VALUE)),
    ("What’s Contoso’s close date?", AskAboutReferral(by_name("Contoso"), Topic.CLOSE_DATE)),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (phrasing.format(r=typed), AskAboutReferral(ref, topic, asked))
        for phrasing, topic, asked in PHRASINGS
        for typed, ref in REFS
    ]
    + [(phrasing, AskAboutReferral(LAST, topic, asked)) for phrasing, topic, asked in WITH_IT]
    + list(FROM_THE_ISSUE),
)
def test_a_question_reads_as_its_topic(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Changes stay changes: the questions' words never take them over.
        ("note on Contoso demo booked", UpdateReferral),
        ("note on 123: demo booked", UpdateReferral),
        ("mark 123 won", UpdateReferral),
        ("we won 123", UpdateReferral),
        ("value of Contoso Azure to 150k", UpdateReferral),
        ("deal value 123 = 150k", UpdateReferral),
        ("123 stage propose", UpdateReferral),
        ("123 closes next friday", UpdateReferral),
        ("stage of 123 to propose", UpdateReferral),
        # Shows stay shows.
        ("show 123", ShowReferral),
        ("status of 123", ShowReferral),
        ("how is Fabrikam doing", ShowReferral),
        ("is 123 looking good?", ShowReferral),
    ],
)
def test_changes_and_shows_keep_their_reading(text: str, expected: type) -> None:
    assert type(parse(text)) is expected
