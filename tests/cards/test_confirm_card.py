from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.cards.confirm_change import (
    CANCEL_VERB,
    CONFIRM_VERB,
    IRREVERSIBLE,
    PATCH_ELEMENT_ID,
    PATCH_SHORTENED,
    REFRESH_VERB,
    Proposer,
    confirm_buttons,
    proposer_view,
    render_confirm_card,
)
from bot.domain.change import plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import ChangeIntent, MemberSpec, Money, NoteEdit, Outcome
from bot.domain.referral import SalesStage
from tests.cards import samples
from tests.support.cards import (
    actions,
    assert_inert,
    assert_valid_card,
    rendered_texts,
    unescape,
    visible_text,
    walk,
)


def _execute_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [action for action in actions(card) if action["type"] == "Action.Execute"]


def test_confirm_and_cancel_carry_only_the_pending_id() -> None:
    card = render_confirm_card(samples.mark_won(), pending_id="pc-7f3a")
    buttons = _execute_actions(card)
    assert [(b["title"], b["verb"]) for b in buttons] == [
        ("Confirm", CONFIRM_VERB),
        ("Cancel", CANCEL_VERB),
    ]
    assert [b["data"] for b in buttons] == [{"pendingId": "pc-7f3a"}] * 2
    assert buttons[0]["style"] == "positive"
    assert card["actions"] == buttons


def test_no_etag_token_or_operation_value_travels_in_action_data() -> None:
    change = samples.value_date_and_note()
    card = render_confirm_card(change, pending_id="pc-1")
    for action in actions(card):
        assert set(action.get("data", {})) <= {"pendingId"}
    assert '"If-Match"' not in str(card)
    assert "eTag" not in str([a.get("data") for a in actions(card)])


def test_each_field_shows_old_and_new_in_the_sellers_words() -> None:
    card = render_confirm_card(samples.value_date_and_note(), pending_id="p")
    shown = visible_text(card)
    for before, after in [
        ("USD 150,000", "EUR 175,000"),
        ("Mon 30 Mar 2026", "Thu 30 Apr 2026"),
        ("Landing zone workshop done.", "[10 Mar 2026] Demo booked."),
    ]:
        assert before in shown
        assert after in shown
    assert "Deal value" in shown
    assert "Close date" in shown
    assert "Notes" in shown


def test_title_names_the_deal_and_the_customer() -> None:
    shown = visible_text(render_confirm_card(samples.mark_won(), pending_id="p"))
    assert "Contoso Azure migration" in shown
    assert "Contoso Ltd" in shown
    assert "Active (Accepted)" in shown
    assert "Won" in shown


def test_irreversible_outcome_says_it_cannot_be_undone() -> None:
    assert IRREVERSIBLE in rendered_texts(render_confirm_card(samples.mark_won(), pending_id="p"))
    reversible = render_confirm_card(samples.value_date_and_note(), pending_id="p")
    assert IRREVERSIBLE not in rendered_texts(reversible)


def test_warnings_are_shown_in_attention_style() -> None:
    card = render_confirm_card(samples.won_too_early(), pending_id="p")
    boxes = [
        n for n in walk(card) if n.get("type") == "Container" and n.get("style") == "attention"
    ]
    assert len(boxes) == 1
    texts = [item["text"] for item in boxes[0]["items"]]
    assert any("72 hours" in text for text in texts)
    assert IRREVERSIBLE in texts


def test_notice_comes_first() -> None:
    notice = "Someone else changed this referral a moment ago: here is the new before/after."
    card = render_confirm_card(samples.mark_won(), pending_id="p", notice=notice)
    first = card["body"][0]
    assert first["style"] == "warning"
    assert (
        first["items"][0]["text"]
        == "Someone else changed this referral a moment ago: here is the new before/after."
    )


def test_a_group_card_has_no_buttons_and_says_whom_it_waits_for() -> None:
    card = render_confirm_card(samples.mark_won(), pending_id="p", proposer=samples.MEGAN)
    texts = rendered_texts(card)
    assert "Megan Bowen proposes this change" in texts
    assert "Waiting for Megan Bowen to confirm — only they can." in texts
    assert [a["verb"] for a in _execute_actions(card)] == [REFRESH_VERB]  # no button at all
    assert "actions" not in card
    assert "Won" in visible_text(card)  # the same before/after rows as the proposer's
    one_to_one = rendered_texts(render_confirm_card(samples.mark_won(), pending_id="p"))
    assert not any("Megan" in text or "Waiting" in text for text in one_to_one)


def test_only_the_proposers_client_refreshes_a_group_card_and_gets_the_buttons() -> None:
    card = render_confirm_card(samples.mark_won(), pending_id="p-9", proposer=samples.MEGAN)
    assert card["refresh"] == {
        "action": {
            "type": "Action.Execute",
            "title": "Refresh",
            "verb": REFRESH_VERB,
            "data": {"pendingId": "p-9"},
        },
        "userIds": ["29:1megan"],
    }
    view = proposer_view(card, confirm_buttons("p-9"))
    assert_valid_card(view)
    assert [(b["verb"], b["data"]) for b in view["actions"]] == [
        (CONFIRM_VERB, {"pendingId": "p-9"}),
        (CANCEL_VERB, {"pendingId": "p-9"}),
    ]
    assert "Only you can confirm or cancel it." in rendered_texts(view)
    assert view["refresh"] == card["refresh"]  # their view refreshes again, to the outcome
    assert "actions" not in card  # the posted card is left as it was


def test_a_proposer_without_a_teams_id_gets_no_automatic_refresh() -> None:
    nameless = Proposer("Megan Bowen", "")
    card = render_confirm_card(samples.mark_won(), pending_id="p", proposer=nameless)
    assert card["refresh"]["userIds"] == []  # Teams then offers "Refresh card" by hand


def test_exact_patch_is_in_a_hidden_section_with_a_toggle() -> None:
    card = render_confirm_card(samples.mark_won(), pending_id="p")
    hidden = next(n for n in walk(card) if n.get("id") == PATCH_ELEMENT_ID)
    assert hidden["isVisible"] is False
    lines = [item["text"] for item in hidden["items"]]
    assert all(item["fontType"] == "Monospace" for item in hidden["items"])
    assert [unescape(line) for line in lines] == [
        '{"op": "replace", "path": "/status", "value": "Closed"}',
        '{"op": "replace", "path": "/substatus", "value": "Won"}',
    ]
    toggles = [a for a in actions(card) if a["type"] == "Action.ToggleVisibility"]
    assert toggles == [
        {
            "type": "Action.ToggleVisibility",
            "title": "Show the exact change (JSON Patch)",
            "targetElements": [PATCH_ELEMENT_ID],
        }
    ]


def test_many_fields_are_capped_and_counted() -> None:
    rows = [(f"Field {i}", f"old {i}", f"new {i}") for i in range(14)]
    change = samples.change(samples.seed_referral("123"), [], rows)
    card = render_confirm_card(change, pending_id="p")
    assert_valid_card(card)
    shown = visible_text(card)
    assert "new 9" in shown
    assert "new 10" not in shown
    assert "…and 4 more, listed in the exact change below." in shown


def test_a_huge_patch_is_shortened_and_says_so() -> None:
    big_note = "Long call notes. " * 6_000
    ops: list[dict[str, Any]] = [{"op": "replace", "path": "/details/notes", "value": big_note}]
    ops += [
        {"op": "add", "path": "/team/-", "value": {"email": f"s{i}@contoso.com"}} for i in range(40)
    ]
    change = samples.change(samples.seed_referral("123"), ops, [("Notes", "short", big_note)])
    card = render_confirm_card(change, pending_id="p")
    assert_valid_card(card)
    assert PATCH_SHORTENED in rendered_texts(card)


def test_every_operation_is_listed_when_the_patch_is_small() -> None:
    change = samples.value_date_and_note()
    card = render_confirm_card(change, pending_id="p")
    hidden = next(n for n in walk(card) if n.get("id") == PATCH_ELEMENT_ID)
    assert len(hidden["items"]) == len(change.operations)
    assert PATCH_SHORTENED not in rendered_texts(card)


INTENTS = (
    ChangeIntent(outcome=Outcome.WON),
    ChangeIntent(outcome=Outcome.LOST, reason="Budget frozen [again](https://evil.example)"),
    ChangeIntent(outcome=Outcome.ACCEPTED),
    ChangeIntent(outcome=Outcome.DECLINED, reason="Outside our practice area"),
    ChangeIntent(
        deal_value=Money(Decimal("1200000"), "EUR"),
        close_date=date(2026, 4, 30),
        note=NoteEdit("Demo booked <at>Megan</at> **asap**"),
        sales_stage=SalesStage.PROPOSE,
    ),
    ChangeIntent(
        add_members=(MemberSpec("jane.doe@contoso.com", "Jane", "Doe"),),
        remove_members=("megan.bowen@contoso.com",),
    ),
)


def test_plans_of_the_real_planner_make_valid_inert_cards() -> None:
    planned = 0
    for referral in samples.seed_referrals():
        for intent in INTENTS:
            try:
                change = plan_change(referral, intent, now=samples.NOW)
            except DomainError:
                continue
            card = render_confirm_card(change, pending_id="p", proposer=samples.MEGAN)
            assert_valid_card(card)
            assert_inert(card)
            shown = visible_text(card)
            for field in change.fields[:10]:
                assert _as_shown(field.before) in shown
                assert _as_shown(field.after) in shown
            planned += 1
    assert planned > 40


def _as_shown(value: str) -> str:
    """Angle brackets are replaced on cards so no tag or mention can form."""
    return value.replace("<", "‹").replace(">", "›")
