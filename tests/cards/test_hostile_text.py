"""Property tests: whatever Partner Center or other people put in a referral, every card stays
schema-valid, under 28 KB, and renders it as inert text (no link, mention, markup, control or
bidi character, no URL but the portal link)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards.confirm_change import Proposer, confirm_buttons, proposer_view, render_confirm_card
from bot.cards.help import render_help_card
from bot.cards.notice import render_notice_card
from bot.cards.pick_list import render_pick_list_card
from bot.cards.referral import referral_url, render_referral_card
from bot.cards.referral_list import render_referral_list_card
from bot.domain.change import FieldChange, ReferralChange
from bot.domain.intent import ChangeIntent
from bot.domain.referral import Referral
from tests.cards import samples
from tests.support.cards import BIDI, actions, assert_inert, assert_valid_card

FRAGMENTS = (
    "[click me](https://evil.example/login)",
    "](javascript:alert(1))",
    "<at>Megan Bowen</at>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;at&gt;Bob&lt;/at&gt;",
    "**bold** __bold__ _it_ ~~gone~~ `code`",
    "\u202egnp.exe",
    "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f",
    "\x00\x07\x1b[31m\x7f\x85\r\n\t",
    "{{DATE(2017-02-14T06:00:00Z, SHORT)}}",
    "http://evil.example www.evil.example ftp://x mailto:a@b",
    "\n- item\n1. one\n# head\n> quote\n---\n===\n|a|b|\n",
    "\\[escaped\\](not really)",
    "\ud800 lone surrogate \udfff",
    "Café Zürich 東京 🚀👩‍👩‍👧",
)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=8).map(
    "".join
)
huge = st.sampled_from(FRAGMENTS).map(lambda fragment: (fragment * 5_000)[:100_000])
notes = st.one_of(hostile, huge)


@st.composite
def referrals(draw: st.DrawFn) -> Referral:
    document = samples.seed_documents()[0]
    document["id"] = draw(st.one_of(st.just("123"), hostile.filter(bool), huge))
    document["name"] = draw(hostile)
    document["customerProfile"]["name"] = draw(hostile)
    document["externalReferenceId"] = draw(hostile)
    document["statusReason"] = draw(hostile)
    document["details"]["notes"] = draw(notes)
    document["details"]["currency"] = draw(st.one_of(st.just("USD"), hostile))
    if draw(st.booleans()):
        document["status"], document["substatus"] = draw(hostile), draw(hostile)
        document["salesStage"] = draw(hostile)
    document["team"] = _team(draw(hostile), draw(st.integers(0, 500)))
    return Referral.from_document(document)


def _team(name: str, size: int) -> list[dict[str, Any]]:
    return [
        {"firstName": f"{name}{i}", "lastName": name, "email": f"{name}{i}@contoso.com"}
        for i in range(size)
    ]


@st.composite
def changes(draw: st.DrawFn) -> ReferralChange:
    referral = draw(referrals())
    fields = draw(st.lists(st.tuples(hostile, notes, notes), max_size=14))
    values = draw(st.lists(notes, max_size=30))
    return ReferralChange(
        referral_id=referral.id,
        intent=ChangeIntent(),
        operations=tuple({"op": "add", "path": "/team/-", "value": value} for value in values),
        before=referral,
        after=referral,
        fields=tuple(FieldChange(*row) for row in fields),
        warnings=tuple(draw(st.lists(hostile, max_size=6))),
        irreversible=draw(st.booleans()),
    )


def _check(card: dict[str, Any], *, portal_links: frozenset[str] = frozenset()) -> None:
    assert_valid_card(card)
    assert_inert(card, allowed_urls=portal_links)


@SETTINGS
@given(referral=referrals(), title=st.one_of(st.none(), hostile), notice=st.none() | notes)
def test_referral_card_stays_valid_and_inert(
    referral: Referral, title: str | None, notice: str | None
) -> None:
    card = render_referral_card(referral, portal_url=samples.PORTAL_URL, title=title, notice=notice)
    link = referral_url(samples.PORTAL_URL, referral.id)
    _check(card, portal_links=frozenset({link}))
    assert [action["url"] for action in actions(card)] == [link]


@pytest.mark.slow  # Hypothesis with schema validation (about 0.8 s)
@SETTINGS
@given(change=changes(), proposer=st.none() | hostile, notice=st.none() | notes)
def test_confirm_card_stays_valid_and_inert(
    change: ReferralChange, proposer: str | None, notice: str | None
) -> None:
    group = None if proposer is None else Proposer(proposer, "29:1hostile")
    card = render_confirm_card(change, pending_id="pc-1", proposer=group, notice=notice)
    _check(card)
    for action in actions(card):
        if action["type"] == "Action.Execute":
            assert action["data"] == {"pendingId": "pc-1"}
    if group is not None:
        assert card["refresh"]["action"]["data"] == {"pendingId": "pc-1"}
        _check(proposer_view(card, confirm_buttons("pc-1"), notice=notice))


@SETTINGS
@given(candidates=st.lists(referrals(), max_size=12), prompt=hostile)
def test_pick_list_card_stays_valid_and_inert(candidates: list[Referral], prompt: str) -> None:
    card = render_pick_list_card(candidates, prompt=prompt)
    _check(card)
    for action in actions(card):
        value = action["data"]["msteams"]["value"]
        assert not any(char in BIDI or ord(char) < 32 for char in value)


@pytest.mark.slow  # Hypothesis with schema validation (about 0.7 s)
@SETTINGS
@given(
    rows=st.lists(referrals(), max_size=20),
    title=hostile,
    page=st.integers(1, 1_000),
    has_more=st.booleans(),
)
def test_referral_list_card_stays_valid_and_inert(
    rows: list[Referral], title: str, page: int, has_more: bool
) -> None:
    _check(render_referral_list_card(rows, title=title, page=page, has_more=has_more))


@SETTINGS
@given(title=notes, text=notes, style=st.sampled_from(["default", "good", "warning", "attention"]))
def test_notice_card_stays_valid_and_inert(title: str, text: str, style: Any) -> None:
    _check(render_notice_card(title, text, style=style))


@SETTINGS
@given(examples=st.lists(st.tuples(hostile, notes), max_size=80))
def test_help_card_stays_valid_and_inert(examples: list[tuple[str, str]]) -> None:
    _check(render_help_card(examples))
