"""The lead alert (issue 17): a new incoming lead with its countdown, Accept and Decline.

Three faces, each a pure function of data:
- the open lead, for one recipient: what their own read of the referral shows (customer, lead,
  value, what the customer asked for), when it expires in their time zone, exactly what Accept
  and Decline change, and the buttons, which carry only pending-change ids. Decline opens a form
  asking for the reason (required, length-limited; checked again by the bot).
- the decided lead: "Accepted by Megan Bowen at 10:42", "Declined by … — reason", "Expired",
  "Accepted in Partner Center"; with the lead's details only when the viewer's own read is given.
- the channel card: only what Partner Center's event carries (that a lead arrived, when, a link).
  A channel has viewers with every kind of access, so never the customer's details.
Every face carries `refresh` (verb `leadRefresh`, the referral id, `userIds` = the Teams user
ids whose clients refresh it automatically): each viewer's Teams client asks for their own
current card (Teams' Universal Actions: user-specific and up-to-date views).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from bot.cards import summary
from bot.cards.elements import (
    Element,
    adaptive_card,
    container,
    execute,
    fact_set,
    open_url,
    text_block,
)
from bot.cards.lead_words import (
    Urgency,
    customer_asked,
    decided_title,
    expires_in,
    moment,
    requirements,
    where,
)
from bot.cards.referral import referral_url
from bot.cards.text import inert, shorten
from bot.domain.change import FieldChange
from bot.domain.leads import REASON_LIMIT, LeadDecision, LeadOutcome
from bot.domain.referral import Referral

LEAD_ACCEPT_VERB = "leadAccept"
LEAD_DECLINE_VERB = "leadDecline"
LEAD_REFRESH_VERB = "leadRefresh"
REASON_INPUT = "declineReason"
MAX_REFRESH_USERS = 60  # Teams: at most 60 user-specific views per card
NOTICE_LIMIT = 600
LINE_LIMIT = 200  # our own sentences: inert too, they hold parentheses
FACT_LIMIT = 400
ASKED_LIMIT = 1_200
REASON_SHOWN = 600
IRREVERSIBLE = "Declining can't be undone in Partner Center."
REASON_ROW = FieldChange("Reason", "—", "the reason you give")
TextStyle = Literal["default", "good", "warning", "attention"]
_URGENCY_STYLE: dict[Urgency, TextStyle] = {
    "calm": "default",
    "soon": "warning",
    "now": "attention",
}
_OUTCOME_STYLE: dict[LeadOutcome, TextStyle] = {
    LeadOutcome.ACCEPTED: "good",
    LeadOutcome.DECLINED: "default",
    LeadOutcome.EXPIRED: "warning",
    LeadOutcome.CLOSED: "default",
}


@dataclass(frozen=True)
class LeadView:
    """Who a card is for: their time zone and now, and whose clients refresh it."""

    referral_id: str
    now: datetime  # time-zone aware
    zone: tzinfo
    portal_url: str
    user_ids: tuple[str, ...] = ()  # Teams user ids ("29:…") refreshed automatically
    zone_label: str = ""  # "UTC" where viewers have no single time zone (a channel)


@dataclass(frozen=True)
class LeadButtons:
    """One recipient's Accept and Decline: their pending changes and what each changes."""

    accept_id: str
    decline_id: str
    accept: tuple[FieldChange, ...]
    decline: tuple[FieldChange, ...]


def render_lead_card(
    referral: Referral,
    view: LeadView,
    *,
    buttons: LeadButtons | None = None,
    notice: str | None = None,
) -> Element:
    """The open lead as the viewer's own read shows it; without `buttons` (a viewer with no
    Accept/Decline of their own) only the link."""
    body = _notice(notice)
    body.append(text_block("New lead", heading=True))
    body.append(text_block(summary.deal_name(referral), bold=True))
    body.append(text_block(summary.customer(referral), subtle=True))
    text, urgency = expires_in(referral.expiration_date_time, view.now, view.zone, view.zone_label)
    body.append(text_block(inert(text, limit=LINE_LIMIT), bold=True, style=_URGENCY_STYLE[urgency]))
    body.append(fact_set(_facts(referral)))
    body.extend(_asked(referral))
    actions: list[Element] = []
    if buttons is not None:
        body.extend(_what_changes(buttons))
        actions = [
            _accept(buttons.accept_id),
            _decline_form(buttons.decline_id),
        ]
    actions.append(_link(view))
    card = adaptive_card(body, actions, summary=f"New lead: {summary.deal_name(referral)}")
    return _refreshing(card, view)


def render_lead_decided_card(
    decision: LeadDecision,
    view: LeadView,
    *,
    referral: Referral | None = None,
    notice: str | None = None,
) -> Element:
    """How the lead was decided; the deal and customer only from the viewer's own `referral`."""
    title, subtitle = decided_title(decision, view.now, view.zone, view.zone_label)
    body = _notice(notice)
    heading = inert(title, limit=LINE_LIMIT)
    body.append(text_block(heading, heading=True, style=_OUTCOME_STYLE[decision.outcome]))
    if subtitle:
        body.append(text_block(inert(subtitle, limit=LINE_LIMIT), subtle=True))
    if decision.reason:
        reason = inert(decision.reason, limit=REASON_SHOWN)
        body.append(text_block(f"Reason: {reason}"))
    body.extend(_heading(referral, view.referral_id))
    card = adaptive_card(body, [_link(view)], summary=title)
    return _refreshing(card, view)


def render_lead_channel_card(
    view: LeadView, *, arrived_at: datetime | None, related: bool = False
) -> Element:
    """What a subscribed channel sees of a new lead: only what the event itself carries. Also
    what a viewer whose own access can't read the lead sees (`arrived_at` None: not known)."""
    what = "A related referral" if related else "A new referral"
    when = "" if arrived_at is None else f" ({moment(arrived_at, view.zone, view.zone_label)})"
    body = [
        text_block("New lead in Partner Center", heading=True),
        text_block(inert(f"{what} arrived in Partner Center{when}.", limit=LINE_LIMIT)),
        text_block(
            "Its details are shown only to the sellers on its team. Open it in Partner Center "
            "to see whether you can.",
            subtle=True,
        ),
        text_block(f"Referral {inert(view.referral_id, limit=summary.ID_LIMIT)}", subtle=True),
    ]
    card = adaptive_card(body, [_link(view)], summary="New lead in Partner Center")
    return _refreshing(card, view)


def refresh_user_ids(reference_user_ids: Sequence[str | None]) -> tuple[str, ...]:
    """The Teams user ids to refresh automatically: known, distinct, at most Teams' 60."""
    kept = dict.fromkeys(user_id for user_id in reference_user_ids if user_id)
    return tuple(kept)[:MAX_REFRESH_USERS]


def _refreshing(card: Element, view: LeadView) -> Element:
    card["refresh"] = {
        "action": execute("Refresh", LEAD_REFRESH_VERB, {"referralId": view.referral_id}),
        "userIds": list(view.user_ids[:MAX_REFRESH_USERS]),
    }
    return card


def _notice(notice: str | None) -> list[Element]:
    if not notice:
        return []
    return [container([text_block(inert(notice, limit=NOTICE_LIMIT))], style="warning")]


def _heading(referral: Referral | None, referral_id: str) -> list[Element]:
    if referral is None:
        return [text_block(f"Referral {inert(referral_id, limit=summary.ID_LIMIT)}", subtle=True)]
    return [
        text_block(summary.deal_name(referral), bold=True),
        text_block(
            f"{summary.customer(referral)} · referral {summary.referral_id(referral)}",
            subtle=True,
        ),
    ]


def _facts(referral: Referral) -> list[tuple[str, str]]:
    facts = [
        ("Customer", summary.customer(referral)),
        ("Lead", summary.deal_name(referral)),
        ("Value", summary.deal_value(referral)),
    ]
    place = where(referral)
    if place:
        facts.append(("Where", inert(place, limit=FACT_LIMIT)))
    facts.extend((label, inert(value, limit=FACT_LIMIT)) for label, value in requirements(referral))
    contact = customer_asked(referral)
    if contact:
        facts.append(("Contact", inert(contact, limit=FACT_LIMIT)))
    facts.append(("Referral id", summary.referral_id(referral)))
    return facts


def _asked(referral: Referral) -> list[Element]:
    """What the customer wrote: additional requirements, then the notes (inert, shortened)."""
    blocks: list[Element] = []
    for label, text in _asked_texts(referral):
        shown, cut = shorten(text, limit=ASKED_LIMIT, multiline=True)
        blocks += [text_block(label, bold=True), text_block(shown)]
        if cut:
            blocks.append(text_block("Shortened here: Partner Center has it in full.", subtle=True))
    return blocks


def _asked_texts(referral: Referral) -> list[tuple[str, str]]:
    details = referral.details
    if details is None:
        return []
    extra = details.model_extra or {}
    wanted = extra.get("requirements")
    additional = wanted.get("additionalRequirements") if isinstance(wanted, dict) else None
    texts = [("What the customer asked for", additional), ("Notes", details.notes)]
    return [(label, text) for label, text in texts if isinstance(text, str) and text.strip()]


def _what_changes(buttons: LeadButtons) -> list[Element]:
    return [
        container(
            [
                text_block("What Accept and Decline change in Partner Center", bold=True),
                fact_set(
                    [
                        ("Accept", _rows(buttons.accept)),
                        ("Decline", _rows((*buttons.decline, REASON_ROW))),
                    ]
                ),
                text_block(IRREVERSIBLE, subtle=True),
            ],
            separator=True,
        )
    ]


def _rows(rows: Sequence[FieldChange]) -> str:
    return "; ".join(
        f"{inert(row.label, limit=60)}: {inert(row.before, limit=120)} → "
        f"{inert(row.after, limit=120)}"
        for row in rows
    )


def _accept(pending_id: str) -> Element:
    action = execute("Accept", LEAD_ACCEPT_VERB, {"pendingId": pending_id}, style="positive")
    action["associatedInputs"] = "none"  # the Decline form's required reason is not Accept's
    return action


def _decline_form(pending_id: str) -> Element:
    """Decline asks why on the card: the reason becomes the referral's `statusReason`."""
    reason: Element = {
        "type": "Input.Text",
        "id": REASON_INPUT,
        "label": "Why are you declining this lead?",
        "placeholder": "For example: outside our region, no capacity this quarter",
        "isMultiline": True,
        "isRequired": True,
        "maxLength": REASON_LIMIT,
        "errorMessage": f"Please give a reason (at most {REASON_LIMIT} characters).",
    }
    decline = execute(
        "Decline lead", LEAD_DECLINE_VERB, {"pendingId": pending_id}, style="destructive"
    )
    form = {"type": "AdaptiveCard", "body": [reason], "actions": [decline]}
    return {"type": "Action.ShowCard", "title": "Decline…", "card": form}


def _link(view: LeadView) -> Element:
    return open_url("Open in Partner Center", referral_url(view.portal_url, view.referral_id))
