"""Every text reply that repeats a seller's words or Partner Center's names is inert markdown.

The real dialogs run (DialogHarness); each reply is rendered by a markdown renderer with raw
HTML and auto-linking on (tests/support/teams_markdown.py) and must hold no link, image or tag.
A "didn't understand" echoes what the seller typed, escaped, never the normaliser's reading of it
(which decodes entities and full-width forms into real markup), and never all of a long message.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botbuilder.schema import Activity
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dialogs.harness import DialogHarness
from tests.dialogs.seed import referral_document, seed_documents
from tests.support.fakes import FakeReferralsService
from tests.support.hostile_text import hostile_text
from tests.support.teams_markdown import live_markup, shown_text

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# What the seller says around the hostile text, one per kind of reply that repeats it.
SAYINGS = (
    "{}",  # didn't understand (or whatever it reads as)
    "show {}",  # no referral matches that name
    "makr {} won",  # did you mean …
    "set the deal value of 123 to {}",  # couldn't read that as an amount
    "set the deal value of 123 to 5 {}",  # unknown currency
    "push the close date of 123 to {}",  # couldn't read that as a date
    "close {}",  # won or lost?
    "add {} to 123",  # what's their e-mail address?
    "add jane.doe@contoso.com {} to 123",  # what's their name?
    "add Jane {} to 4711",
    "remove {} from 4711",  # not on the team: the team is …
    "mark 123 won and mark 4711 lost {}",
    "decline 777: {}",
    "set crm id of 900 to {}",  # closed referral: refused, named
)


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def assert_inert_texts(activities: list[Activity]) -> None:
    for activity in activities:
        if activity.text:
            assert activity.text_format == "markdown", activity.text
            assert live_markup(activity.text) == [], activity.text


async def _conversation(bot: DialogHarness, *messages: str) -> list[Activity]:
    said: list[Activity] = []
    for message in messages:
        said.extend((await bot.say(message)).activities)
    return said


@pytest.mark.slow  # Hypothesis through the dialogs (about 1.5 s)
@SETTINGS
@given(saying=st.sampled_from(SAYINGS), text=hostile_text())
def test_a_sellers_words_never_come_back_live(saying: str, text: str) -> None:
    bot = DialogHarness()

    said = _run(_conversation(bot, saying.format(text), text))  # the second answers a question

    assert_inert_texts(said)


def _hostile_world(name: str, customer: str, first: str, last: str) -> list[dict[str, Any]]:
    """The seed, plus a closed and an open referral whose names and team came from elsewhere."""
    member = {"firstName": first, "lastName": last, "email": "eve@evil.com"}
    return [
        *seed_documents(),
        referral_document("950", name, customer, "Closed/Won", team=(member,)),
        referral_document("951", name, customer, team=(member, member)),
        referral_document("952", f"{name} 2", customer, "New/Received", direction="Outgoing"),
    ]


# What the seller says about those referrals (`{}`: the hostile deal name).
ABOUT_HOSTILE = (
    "mark 950 lost",  # closed: "<name> is closed"
    "mark 950 won",  # already won
    "accept 952",  # only incoming leads: "<name> is one your organisation sent"
    "remove nobody@contoso.com from 951",  # "<team> is: <hostile members>"
    "remove eve@evil.com from 951",  # two members match
    "show {}zz",  # not found: "did you mean <hostile names>"
    "show {}",
    "note on 950: {}",
)


@SETTINGS
@given(
    saying=st.sampled_from(ABOUT_HOSTILE),
    name=hostile_text(max_pieces=3),
    customer=hostile_text(max_pieces=3),
    first=hostile_text(max_pieces=2),
    last=hostile_text(max_pieces=2),
)
def test_partner_center_names_never_come_back_live(
    saying: str, name: str, customer: str, first: str, last: str
) -> None:
    bot = DialogHarness(referrals=FakeReferralsService(_hostile_world(name, customer, first, last)))

    said = _run(_conversation(bot, saying.format(name), "1"))

    assert_inert_texts(said)


@pytest.mark.parametrize(
    "typed",
    [
        "&#91;Open&#93;&#40;https&#58;//evil.example&#41;",
        "［Approve］（ｈｔｔｐｓ：／／evil.example）",
        "&lt;a href=https://evil.example&gt;Approve&lt;/a&gt;",
        "[Reset your password](https://evil.example/reset)",
    ],
)
async def test_didnt_understand_echoes_what_was_typed_not_its_decoded_form(typed: str) -> None:
    bot = DialogHarness()

    answer = await bot.say(typed)

    [text] = answer.texts
    assert live_markup(text) == []
    assert f"“{typed}”" in shown_text(text)


@pytest.mark.parametrize(
    "typed",
    [
        "[Reset your password](https://evil.example/reset) " * 80,  # 4,000 characters
        "show " + "evil.com " * 440,
        "add " + "Eve " * 900 + "to 4711",
    ],
)
async def test_a_long_message_is_not_echoed_whole(typed: str) -> None:
    bot = DialogHarness()

    answer = await bot.say(typed.strip())

    [text] = answer.texts
    assert len(text) < 300
    assert live_markup(text) == []


# Each reply that repeats someone's words, reached for sure: (what Partner Center holds as the
# deal name, the seller's messages, what the last reply must show literally).
ECHOES = [
    pytest.param("Deal", ["show www.evil.org"], "“www.evil.org”", id="not-found"),
    pytest.param(
        "www.evil.com Deal",
        ["show www.evil.com Dael"],
        "Did you mean www.evil.com Deal,",
        id="not-found-suggests-names",
    ),
    pytest.param(
        "Deal", ["makr evil.com won"], "Did you mean mark evil.com won?", id="did-you-mean"
    ),
    pytest.param("Deal", ["close evil.com"], "Should I close evil.com as won", id="won-or-lost"),
    pytest.param("Deal", ["add evil.com to 4711"], "What's evil.com's e-mail", id="ask-email"),
    pytest.param(
        "Deal", ["add phish@evil.com to 4711"], "name of phish@evil.com?", id="ask-full-name"
    ),
    pytest.param(
        "Deal",
        ["add evil.com to 4711", "eve@contoso.com"],
        "What's evil.com's last name?",
        id="ask-last-name",
    ),
    pytest.param(
        "Deal", ["remove www.evil.com from 4711"], "www.evil.com isn't on the team", id="refused"
    ),
    pytest.param(
        "[Approve](https://evil.com/a) Deal",
        ["mark 950 lost"],
        "[Approve](https://evil.com/a) Deal (950) is closed",
        id="refused-names-the-referral",
    ),
    pytest.param(
        "Deal",
        ["remove nobody@contoso.com from 951"],
        "The team is: <b>Eve</b> evil.com",
        id="refused-names-the-team",
    ),
    pytest.param(
        "Deal",
        ["&#91;Open&#93;&#40;https&#58;//evil.example&#41;"],
        "“&#91;Open&#93;&#40;https&#58;//evil.example&#41;”",
        id="didnt-understand",
    ),
]


@pytest.mark.parametrize(("deal_name", "messages", "shown"), ECHOES)
async def test_each_echo_shows_the_words_literally_and_nothing_live(
    deal_name: str, messages: list[str], shown: str
) -> None:
    world = _hostile_world(deal_name, "www.evil.com", "<b>Eve</b>", "evil.com")
    bot = DialogHarness(referrals=FakeReferralsService(world))

    said = await _conversation(bot, *messages[:-1])
    answer = await bot.say(messages[-1])

    assert_inert_texts([*said, *answer.activities])
    [text] = answer.texts
    assert shown.replace("<", "‹").replace(">", "›") in shown_text(text)
