"""The referral as it is now: the answer to "show 123" and the result card after a change.

After a confirm, this card replaces the confirm card in place, so it carries the whole story: the
values the seller cares about and a link to the referral in Partner Center.
"""

from __future__ import annotations

from urllib.parse import quote

from bot.cards import summary
from bot.cards.elements import Element, adaptive_card, container, fact_set, open_url, text_block
from bot.cards.text import inert, shorten
from bot.domain.referral import Referral

TITLE_LIMIT = 200
NOTICE_LIMIT = 600
NOTES_LIMIT = 1_500
TEAM_SHOWN = 12
TEAM_LIMIT = 800
MAX_QUOTED_ID = 600
NOTES_SHORTENED = "Notes shortened here: Partner Center has them in full."


def render_referral_card(
    referral: Referral, *, portal_url: str, title: str | None = None, notice: str | None = None
) -> Element:
    """`title` says what just happened ("Marked as won"); without it the deal name leads."""
    name = summary.deal_name(referral)
    body: list[Element] = []
    if notice:
        body.append(container([text_block(inert(notice, limit=NOTICE_LIMIT))], style="warning"))
    if title:
        body.append(text_block(inert(title, limit=TITLE_LIMIT), heading=True, style="good"))
    body.append(text_block(name, heading=not title, bold=bool(title)))
    body.append(text_block(summary.customer(referral), subtle=True))
    body.append(fact_set(_facts(referral)))
    body.extend(_notes(referral))
    link = open_url("Open in Partner Center", referral_url(portal_url, referral.id))
    return adaptive_card(body, [link], summary=name)


def referral_url(portal_url: str, referral_id: str) -> str:
    """The referral's page: the id is opaque (GUIDs, numbers, anything), so it is quoted whole.
    JSON can carry lone surrogates, which UTF-8 can't: they become U+FFFD rather than crash.
    An id too long for any real referral links to the referrals list instead of bloating the card.
    """
    base = portal_url.rstrip("/")
    quoted = quote(referral_id, safe="", errors="replace")
    return f"{base}/{quoted}" if len(quoted) <= MAX_QUOTED_ID else base


def _facts(referral: Referral) -> list[tuple[str, str]]:
    return [
        ("Status", summary.status(referral)),
        ("Deal value", summary.deal_value(referral)),
        ("Close date", summary.close_date(referral)),
        ("Sales stage", summary.sales_stage(referral)),
        ("Team", summary.team(referral, shown=TEAM_SHOWN, limit=TEAM_LIMIT)),
        ("CRM id", summary.crm_id(referral)),
        ("Referral id", summary.referral_id(referral)),
    ]


def _notes(referral: Referral) -> list[Element]:
    notes = referral.details.notes if referral.details else None
    if not notes or not notes.strip():
        return []
    text, shortened = shorten(notes, limit=NOTES_LIMIT, multiline=True)
    blocks = [text_block("Notes", bold=True), text_block(text)]
    if shortened:
        blocks.append(text_block(NOTES_SHORTENED, subtle=True))
    return blocks
