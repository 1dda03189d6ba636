from __future__ import annotations

from typing import Any

from bot.cards.referral import NOTES_SHORTENED, referral_url, render_referral_card
from bot.domain.referral import Referral
from tests.cards import samples
from tests.support.cards import actions, assert_inert, assert_valid_card, visible_text, walk


def _facts(card: dict[str, Any]) -> dict[str, str]:
    fact_set = next(node for node in walk(card) if node.get("type") == "FactSet")
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}


def _with(referral: Referral, **changes: Any) -> Referral:
    document = referral.to_document()
    document.update(changes)
    return Referral.from_document(document)


def test_shows_what_the_seller_cares_about_in_their_words() -> None:
    card = render_referral_card(samples.seed_referral("4711"), portal_url=samples.PORTAL_URL)
    assert card["body"][0]["text"] == "Contoso Pharma data platform"
    assert card["body"][1]["text"] == "Contoso Pharmaceuticals"
    facts = _facts(card)
    assert facts["Status"] == r"Active \(Accepted\)"
    assert facts["Deal value"] == "CHF 480,000"
    assert facts["Close date"] == "Tue 14 Apr 2026"
    assert facts["Sales stage"] == r"Propose \(60%\)"
    assert facts["Team"] == "Megan Bowen, Alex Wilber"
    assert facts["CRM id"] == "CRM-0002"
    assert facts["Referral id"] == "4711"


def test_links_to_the_referral_in_partner_center() -> None:
    card = render_referral_card(samples.seed_referral("123"), portal_url=samples.PORTAL_URL)
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open in Partner Center",
            "url": f"{samples.PORTAL_URL}/123",
        }
    ]


def test_the_id_in_the_link_is_quoted_whole() -> None:
    assert referral_url("https://p.example/leads/", "a/b?c=d#e f") == (
        "https://p.example/leads/a%2Fb%3Fc%3Dd%23e%20f"
    )


def test_an_absurdly_long_id_links_to_the_referrals_list() -> None:
    assert referral_url("https://p.example/leads", "9" * 5_000) == "https://p.example/leads"


def test_title_and_notice_lead_the_result_card() -> None:
    card = render_referral_card(
        samples.mark_won().after,
        portal_url=samples.PORTAL_URL,
        title="Marked as won",
        notice="It was already won: nothing more to do.",
    )
    assert card["body"][0]["style"] == "warning"
    assert card["body"][1]["text"] == "Marked as won"
    assert _facts(card)["Status"] == "Won"


def test_empty_values_read_as_a_dash() -> None:
    lead = samples.seed_referral("Northwind Traders analytics")
    facts = _facts(render_referral_card(lead, portal_url=samples.PORTAL_URL))
    assert facts["Deal value"] == "—"
    assert facts["Close date"] == "—"
    assert facts["Sales stage"] == "—"
    assert facts["CRM id"] == "—"


def test_notes_are_shown_and_long_notes_are_shortened_with_a_word() -> None:
    referral = samples.seed_referral("123")
    assert "Landing zone workshop done." in visible_text(
        render_referral_card(referral, portal_url=samples.PORTAL_URL)
    )
    details = referral.to_document()["details"] | {"notes": "Weekly sync. " * 8_000}
    card = render_referral_card(_with(referral, details=details), portal_url=samples.PORTAL_URL)
    assert_valid_card(card)
    assert NOTES_SHORTENED in visible_text(card)


def test_a_team_of_hundreds_is_shortened() -> None:
    team = [
        {"firstName": f"Seller{i}", "lastName": "Contoso", "email": f"s{i}@contoso.com"}
        for i in range(500)
    ]
    card = render_referral_card(
        _with(samples.seed_referral("123"), team=team), portal_url=samples.PORTAL_URL
    )
    assert_valid_card(card)
    assert _facts(card)["Team"].endswith("Seller11 Contoso and 488 more")


def test_every_seed_referral_renders() -> None:
    for referral in samples.seed_referrals():
        card = render_referral_card(referral, portal_url=samples.PORTAL_URL)
        assert_valid_card(card)
        assert_inert(card, allowed_urls=frozenset(a["url"] for a in actions(card)))
