"""The seller's digest: leads about to expire, deals past their close date, deals missing a value
or a close date. Each line is a button that sends "show <id>", so a click answers with the
referral card exactly as a typed "show" does. Sections are capped; what is cut is counted, with
the command that lists it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.cards.elements import Element, action_set, adaptive_card, text_block
from bot.cards.lead_reminder import show_button
from bot.cards.text import inert, plain
from bot.domain.formatting import EMPTY, format_date
from bot.domain.referral import Referral

MAX_LINES = 8  # per section: three full sections stay well under Teams' card size
NAME_LIMIT = 60
LINE_LIMIT = 160
HINT_LIMIT = 200


@dataclass(frozen=True)
class DigestLine:
    referral: Referral
    note: str  # why it is here, in the seller's words: "expires tomorrow", "no deal value"


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: tuple[DigestLine, ...]
    hint: str = ""  # the command that lists them all ("new leads"), said when lines are cut


def render_digest_card(sections: Sequence[DigestSection], *, day: date) -> Element:
    """`day`: the seller's local date the digest is for. Empty sections are left out."""
    heading = inert(f"Your referral digest for {format_date(day)}", limit=HINT_LIMIT)
    body = [text_block(heading, heading=True)]
    for section in sections:
        if section.lines:
            body.extend(_section(section))
    if len(body) == 1:
        body.append(text_block("Nothing needs your attention.", subtle=True))
    return adaptive_card(body, summary=heading)


def _section(section: DigestSection) -> list[Element]:
    count = len(section.lines)
    blocks = [text_block(inert(f"{section.title} ({count})", limit=HINT_LIMIT), bold=True)]
    blocks.extend(
        action_set([show_button(line.referral.id, _title(line))])
        for line in section.lines[:MAX_LINES]
    )
    hidden = count - MAX_LINES
    if hidden > 0:
        more = f"{hidden} more not shown."
        if section.hint:
            more += f' Say "{section.hint}" to see them all.'
        blocks.append(text_block(inert(more, limit=HINT_LIMIT), subtle=True))
    return blocks


def _title(line: DigestLine) -> str:
    """ "Azure migration — Contoso Ltd · expires tomorrow" (a button title: plain text)."""
    referral = line.referral
    profile = referral.customer_profile
    customer = profile.name if profile and profile.name else EMPTY
    name = plain(referral.name or f"Referral {referral.id}", limit=NAME_LIMIT)
    return plain(f"{name} — {plain(customer, limit=NAME_LIMIT)} · {line.note}", limit=LINE_LIMIT)
