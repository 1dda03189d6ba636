"""Every sentence the dialogs say to a seller, in one place, so wording is reviewed together.

Errors are answered from `bot.domain.errors` `user_message`s, never from exception text. The
grammar's own sentences (why a message did not parse) stay in `dialogs.grammar.messages`: the
grammar is a pure sub-layer below this one and imports nothing from it.
Messages are markdown (our own **bold**); everything else in them is plain text that may carry
what a seller typed or what Partner Center holds (deal, customer and member names): the seller's
words, names, and the grammar's and the domain's sentences go through `inert_message`, so they
show literally and nothing in them becomes a link, a tag or formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.cards.text import inert_message
from bot.domain.coverage import Coverage
from bot.domain.errors import AccessDeniedError, ReferralBotError, TooManyRequestsError
from bot.domain.formatting import (
    abbreviate,
    format_date,
    format_money,
    format_stage,
    format_status,
    format_team,
)
from bot.domain.list_kinds import ListKind
from bot.domain.referral import Referral
from dialogs.grammar.commands import (
    AskAboutReferral,
    Asked,
    ParseFailure,
    ReferralRef,
    RefKind,
    Topic,
)
from dialogs.ports import DigestChange

CANCELLED = "OK, cancelled — nothing was changed."
NOTHING_TO_CANCEL = "There's nothing in progress to cancel, so nothing was changed."
SIGN_IN = (
    "Please sign in first, so I can work in Partner Center on your behalf. "
    "Then send your message again."
)
ROLES = (
    "Updating referrals needs one of these Partner Center roles: Referral Admin, Global Admin, "
    "or Referral User on the referral's team. Your Partner Center admin can give you one."
)
NOT_UNDERSTOOD_EMPTY = "I didn't catch that. Type **help** to see what I can do."
WHICH_REFERRAL = (
    "Which referral do you mean? Send its id (like 123), the deal name or the customer."
)
STILL_WHICH_REFERRAL = (
    "I still can't tell which referral you mean, so I've stopped here. "
    "Try again with its id, e.g. **show 123**."
)
PICK_ONE = "I found several referrals that match. Which one do you mean?"
PICK_RETRY = "Please pick one of the buttons, or type its number or its id (or **cancel**)."
PICK_GAVE_UP = (
    "I still couldn't tell which one you meant, so I've stopped here — nothing was changed. "
    "You can always use the referral's id, e.g. **show 123**."
)
NO_LIST_YET = "There's no list to continue. Try **my open referrals** or **new leads**."
END_OF_LIST = "That's all of them — there are no more referrals in that list."
EMAIL_RETRY = (
    "That doesn't look like an e-mail address. Please send one like `jane.doe@contoso.com` "
    "(or **cancel**)."
)
NAME_RETRY = "Please send both a first and a last name, like **Jane Doe** (or **cancel**)."
LAST_NAME_RETRY = "Please send the last name (or **cancel**)."
SIGN_IN_CARD_TITLE = "Sign in"
SIGN_IN_CARD_TEXT = "Sign in so I can work in Partner Center on your behalf."
SIGNED_IN = "Thanks, you're signed in."
SIGNED_OUT = "You're signed out. I'll ask you to sign in again when I need to."
NOT_SIGNED_IN = "You're not signed in, so I didn't do anything. Send your message again to retry."

# Issue 17: who the bot tells about new leads (dialogs.lead_alerts).
POSTING_LEADS_HERE = (
    "Done: I'll post new leads in this channel as they arrive. "
    "Say **stop posting leads here** to end it."
)
STOPPED_POSTING_HERE = "OK, I've stopped posting new leads in this channel."
NOT_POSTING_HERE = "I wasn't posting new leads in this channel, so nothing changed."
CHANNELS_ONLY = (
    "That one is for team channels: @mention me in a channel and say **post new leads here** "
    "(or **stop posting leads here**). For your own alerts here, say **stop lead alerts** or "
    "**turn on lead alerts**."
)
ALERTS_NOW_ON = "Lead alerts are on: I'll message you when a new lead arrives."
ALERTS_NOW_OFF = "Lead alerts are off. Say **turn on lead alerts** to get them again."
ALERTS_ALREADY_ON = "Lead alerts were already on: I'll message you when a new lead arrives."
ALERTS_ALREADY_OFF = "Lead alerts were already off. Say **turn on lead alerts** to get them."
ALERTS_ARE_PERSONAL = (
    "Lead alerts are personal: say that to me in our 1:1 chat. To have new leads posted in "
    "this channel, say **post new leads here**."
)
ALERTS_UNAVAILABLE = "Lead alerts aren't set up on this bot, so nothing changed."

LIST_TITLES = {
    ListKind.MY_OPEN: "Your open referrals",
    ListKind.NEW_LEADS: "New leads waiting for an answer",
    ListKind.CLOSING_THIS_MONTH: "Deals closing this month",
    ListKind.CLOSING_THIS_QUARTER: "Deals closing this quarter",
}
EMPTY_LISTS = {
    ListKind.MY_OPEN: "You have no open referrals right now.",
    ListKind.NEW_LEADS: "There are no new leads waiting for an answer. 🎉",
    ListKind.CLOSING_THIS_MONTH: "No open deals are due to close this month.",
    ListKind.CLOSING_THIS_QUARTER: "No open deals are due to close this quarter.",
}

_OUTCOMES = "Win, lose, accept or decline"
_DETAILS = "Change a deal"
_TEAM = "Who works on it"
_WHICH = "Say which referral"
_READ = "Look things up"
_ANY_TIME = "Any time"
HELP_EXAMPLES: tuple[tuple[str, str], ...] = (
    (_OUTCOMES, "mark 123 won"),
    (_OUTCOMES, "we lost Fabrikam, budget frozen"),
    (_OUTCOMES, "accept the Northwind lead"),
    (_OUTCOMES, "decline the Northwind lead: not our area"),
    (_DETAILS, "set the deal value of 123 to 150k"),
    (_DETAILS, "push the close date of 123 to next Friday"),
    (
        _DETAILS,
        "set the deal value of Contoso Azure to 150k and push the close date to next Friday",
    ),
    (_DETAILS, "note on 123: demo booked"),
    (_DETAILS, "set stage of 123 to propose"),
    (_DETAILS, "rename 123 to Contoso Azure Phase 2"),
    (_DETAILS, "set crm id of 123 to CRM-42"),
    (_TEAM, "add Jane Doe jane.doe@contoso.com to 4711"),
    (_TEAM, "remove jane.doe@contoso.com from 4711"),
    (_WHICH, "show Contoso Azure"),
    (_WHICH, "show CRM-0001"),
    (_WHICH, "mark it won (the referral we just talked about)"),
    (_READ, "show 123"),
    (_READ, "my open referrals"),
    (_READ, "new leads"),
    (_READ, "deals closing this month"),
    (_READ, "more"),
    (_ANY_TIME, "help"),
    (_ANY_TIME, "cancel"),
)


# JSON bytes (as `inert_message` counts them): a name or the seller's words; a whole sentence
# from the grammar or the domain, with the names in it (a team of 500 must not flood the chat).
_ECHO_BYTES = 400
_SENTENCE_BYTES = 2_000


def _echo(text: str) -> str:
    return inert_message(text, limit=_ECHO_BYTES)


def _sentence(text: str) -> str:
    return inert_message(text, limit=_SENTENCE_BYTES)


def parse_failure(failure: ParseFailure) -> str:
    if failure.suggestion and not failure.choices:  # the buttons say what would work
        return f"{_sentence(failure.message)} Did you mean **{_echo(failure.suggestion)}**?"
    return _sentence(failure.message)


def service_error(error: ReferralBotError) -> str:
    """The sentence for a failed call; throttling also says when to try again."""
    said = _sentence(error.user_message)
    if isinstance(error, TooManyRequestsError):
        return f"{said} Please try again {_retry_hint(error.retry_after)}."
    if isinstance(error, AccessDeniedError) and not error.names_roles:
        return f"{said} {ROLES}"
    return said


def _retry_hint(retry_after: float | None) -> str:
    if retry_after is None or retry_after <= 0:
        return "in a minute"
    if retry_after < 90:
        return f"in about {_count(max(1, round(retry_after)), 'second')}"
    return f"in about {_count(round(retry_after / 60), 'minute')}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def not_found_id(referral_id: str) -> str:
    return (
        f"I can't find referral {_echo(referral_id)}, or you can't see it in Partner Center. "
        "Check the id, or say **my open referrals** to see yours."
    )


def not_found_text(text: str, suggestions: Sequence[str] = ()) -> str:
    found = f"I couldn't find a referral matching “{_echo(text)}”."
    if suggestions:
        names = ", ".join(f"**{_echo(name)}**" for name in suggestions)
        return f"{found} Did you mean {names}?"
    return f"{found} Try its id, or say **my open referrals** to see yours."


def failure_choices(failure: ParseFailure) -> list[tuple[str, str]]:
    """Issue 16 §6: the buttons under a refusal, as (label, message the click sends)."""
    return [(choice.label, choice.message) for choice in failure.choices]


def not_found_choices(
    typed: str, names: Sequence[str], original: str | None
) -> list[tuple[str, str]]:
    """Issue 16 §6: a button per close name. The click sends the seller's own message again
    with the name in place of what they typed ("mark Contso won" -> "mark Contoso won"), so
    the request goes on where it stopped (a change still asks for confirmation); when the
    typed words can't be found in the message once, it shows the referral instead."""
    choices = []
    for name in names:
        message = f"show {name}"
        if original is not None and original.casefold().count(typed.casefold()) == 1:
            at = original.casefold().index(typed.casefold())
            message = f"{original[:at]}{name}{original[at + len(typed) :]}"
        choices.append((name, message))
    return choices


def coverage_note(coverage: Coverage | None) -> str | None:
    """Said after a list or a search that did not cover everything the seller can see."""
    if coverage is None or not coverage.partial:
        return None
    if coverage.loading:
        return (
            f"I'm still loading your referrals from Partner Center: this covers the "
            f"{coverage.searched:,} loaded so far. Ask again in a moment for the rest."
        )
    if coverage.stale:
        return "Partner Center didn't answer just now, so this may be a little out of date."
    return f"I searched the {coverage.searched:,} most recently updated referrals you can see."


def change_refused(user_message: str) -> str:
    return f"{_sentence(user_message)} Nothing was changed."


def ask_email(who: str) -> str:
    return f"What's {_echo(who)}'s e-mail address?"


def ask_full_name(email: str) -> str:
    return f"What's the first and last name of {_echo(email)}?"


def ask_last_name(first_name: str) -> str:
    return f"What's {_echo(first_name)}'s last name?"


def pick_prompt(count: int) -> str:
    return f"{PICK_ONE} Click one, or type its number (1–{count}) or its id."


# Issue 16 §1: the one-sentence answer to a question about one referral (the card follows).
_OPEN_STATUSES = frozenset({"New", "Active"})
_TEAM_NAMED = 12
_NOTES_QUOTED = 280


def answer(question: AskAboutReferral, referral: Referral, now: datetime) -> str:
    """`now` is the seller's (their time zone): "in 6 days" counts their calendar days."""
    called = _called(question.ref, referral)
    match question.topic:
        case Topic.STATUS:
            return _status_answer(question.asked, referral, called)
        case Topic.VALUE:
            return _value_answer(referral, called)
        case Topic.CLOSE_DATE:
            return _close_date_answer(referral, called, now.date())
        case Topic.TEAM:
            return _team_answer(referral, called)
        case Topic.STAGE:
            return _stage_answer(referral, called)
        case Topic.NOTES:
            return _notes_answer(referral, called)
        case Topic.EXPIRY:
            return _expiry_answer(referral, called, now)
        case Topic.CRM_ID:
            crm = referral.external_reference_id
            return (
                f"The CRM id of {called} is {_echo(crm)}."
                if crm
                else f"No CRM id is set on {called}."
            )
    return _overview_answer(referral, called, now.date())


def _called(ref: ReferralRef, referral: Referral) -> str:
    """As the seller named it: "4711 (Contoso Azure)" for an id, the deal's name otherwise."""
    name = referral.name.strip() if referral.name else ""
    if ref.kind in (RefKind.ID, RefKind.CRM):
        return f"{_echo(ref.text)} ({_echo(name)})" if name else _echo(ref.text)
    return _echo(name) if name else f"referral {_echo(referral.id)}"


def _is_open(referral: Referral) -> bool:
    return str(referral.status) in _OPEN_STATUSES


def _state(referral: Referral, *, still: bool) -> str:
    """ "still open: Active (Accepted), in Develop" / "closed: Won"."""
    status = _echo(format_status(referral.status, referral.substatus))
    if not _is_open(referral):
        return f"closed: {status}" if str(referral.status) == "Closed" else f"{status}"
    stage = f", in {_echo(str(referral.sales_stage))}" if referral.sales_stage else ""
    return f"{'still open' if still else 'open'}: {status}{stage}"


def _holds(asked: Asked, referral: Referral) -> bool:
    status, substatus = str(referral.status), str(referral.substatus)
    match asked:
        case Asked.OPEN:
            return status in _OPEN_STATUSES
        case Asked.CLOSED:
            return status == "Closed"
        case Asked.NEW:
            return status == "New"
        case Asked.ACCEPTED:
            return status == "Active" or substatus in {"Accepted", "Won", "Lost"}
    return substatus.casefold() == asked.value


def _status_answer(asked: Asked | None, referral: Referral, called: str) -> str:
    if not referral.status:
        return f"Partner Center has no status for {called}."
    if asked is None:
        return f"{called} is {_state(referral, still=False)}."
    yes = _holds(asked, referral)
    return f"{'Yes' if yes else 'No'} — {called} is {_state(referral, still=True)}."


def _value_answer(referral: Referral, called: str) -> str:
    details = referral.details
    if details is None or details.deal_value is None:
        return f"No deal value is set on {called}."
    return f"{called} is worth {_echo(format_money(details.deal_value, details.currency))}."


def _days(day: date, today: date) -> str:
    days = (day - today).days
    if days in (-1, 0, 1):
        return {-1: "yesterday", 0: "today", 1: "tomorrow"}[days]
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def _close_date_answer(referral: Referral, called: str, today: date) -> str:
    closing = referral.details.closing_date_time if referral.details else None
    if closing is None:
        return f"No close date is set on {called}."
    day = closing.date()  # its own calendar day, as the card shows it (bot.domain.formatting)
    when = f"{format_date(day)} ({_days(day, today)})"
    if not _is_open(referral):
        return f"{called} is {_state(referral, still=False)}; its close date is {when}."
    if day < today:
        return f"{called} was expected to close on {when}: that date has passed."
    return f"{called} is expected to close on {when}."


def _team_answer(referral: Referral, called: str) -> str:
    names = [_echo(format_team((member,))) for member in referral.team[:_TEAM_NAMED]]
    more = len(referral.team) - len(names)
    if more > 0:
        names.append(f"{more} more")
    if not names:
        return f"Nobody is on the team of {called} yet."
    if len(names) == 1:
        return f"{names[0]} is on {called}."
    return f"{', '.join(names[:-1])} and {names[-1]} are on {called}."


def _stage_answer(referral: Referral, called: str) -> str:
    if not referral.sales_stage:
        return f"No sales stage is set on {called}."
    return f"{called} is in {_echo(format_stage(referral.sales_stage))}."


def _notes_answer(referral: Referral, called: str) -> str:
    notes = referral.details.notes if referral.details else None
    if not notes or not notes.strip():
        return f"No notes on {called}."
    return f"The notes on {called} say: “{_echo(abbreviate(notes, _NOTES_QUOTED))}”"


def _expiry_answer(referral: Referral, called: str, now: datetime) -> str:
    expires = referral.expiration_date_time
    local = expires.astimezone(now.tzinfo) if expires else None
    on = format_date(local.date()) if local else None
    if str(referral.substatus) == "Expired" or (local is not None and local <= now):
        return f"{called} expired on {on}." if on else f"{called} has expired."
    if str(referral.status) != "New":
        return f"{called} is {_state(referral, still=False)}, so it no longer expires."
    if local is None or on is None:
        return f"No expiry date is set on {called}."
    days = (local.date() - now.date()).days
    when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return f"{called} expires {when} ({on})."


def _overview_answer(referral: Referral, called: str, today: date) -> str:
    parts = [f"{called} is {_state(referral, still=False)}" if referral.status else called]
    details = referral.details
    if details is not None and details.deal_value is not None:
        parts.append(f"worth {_echo(format_money(details.deal_value, details.currency))}")
    if details is not None and details.closing_date_time is not None:
        day = details.closing_date_time.date()
        parts.append(f"close date {format_date(day)} ({_days(day, today)})")
    return "; ".join(parts) + "."


# --- issue 17 §4: the digest ------------------------------------------------------------------

DIGEST_UNAVAILABLE = "Digests aren't switched on for this bot, so nothing was changed."
DIGEST_NEEDS_CHAT = (
    "I send digests in our personal chat, and we don't have one yet, so nothing was changed. "
    "Open a chat with Referral Bot, say hi, and ask me again there."
)
DIGEST_STOPPED = "OK, no more digests. Say **send me a digest every weekday at 9** to start again."
DIGEST_NONE_TO_STOP = "You don't have a digest, so there's nothing to stop."
_DIGEST_SAYS = (
    "It lists leads about to expire, open deals past their close date and open deals without a "
    "value or close date, each with a button to open it; on a day with nothing to say I stay "
    "quiet. Say **stop the digest** to turn it off."
)
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def digest_set(weekdays: frozenset[int], hour: int, minute: int, change: DigestChange) -> str:
    """ "Done: I'll send you a digest every weekday at 09:00 (Europe/Berlin time) …"."""
    verb = "Changed" if change.before is not None else "Done"
    when = f"{digest_days(weekdays)} at {hour:02d}:{minute:02d}"
    text = f"{verb}: I'll send you a digest {when}"
    first = change.next_at
    if first is not None:
        text += f" ({first.tzinfo} time). The first one comes on {format_date(first.date())}."
    else:
        text += "."
    return f"{text} {_DIGEST_SAYS}"


def digest_days(weekdays: frozenset[int]) -> str:
    """ "every day", "every weekday", "every Monday", "on Mondays and Thursdays"."""
    days = sorted(weekdays)
    if len(days) == 7:
        return "every day"
    if days == [0, 1, 2, 3, 4]:
        return "every weekday"
    if len(days) == 1:
        return f"every {_DAY_NAMES[days[0]]}"
    names = [f"{_DAY_NAMES[day]}s" for day in days]
    return f"on {', '.join(names[:-1])} and {names[-1]}"
