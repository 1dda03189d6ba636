"""The commands a seller's message can mean: the parser's output, the dialogs' input."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.intent import ChangeIntent
from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, preset


class RefKind(StrEnum):
    ID = "id"  # an opaque referral id as typed: "123", "4711", a GUID
    NAME = "name"  # free text: a deal name or customer name ("Contoso", "Northwind lead")
    CRM = "crm"  # the partner's CRM id (externalReferenceId), e.g. "CRM-0001"
    LAST = "last"  # "it", "that one": the last referral discussed with this seller


@dataclass(frozen=True)
class ReferralRef:
    kind: RefKind
    text: str = ""  # empty for LAST

    @classmethod
    def last(cls) -> ReferralRef:
        return cls(RefKind.LAST)


@dataclass(frozen=True)
class UpdateReferral:
    ref: ReferralRef
    intent: ChangeIntent


@dataclass(frozen=True)
class ShowReferral:
    ref: ReferralRef


@dataclass(frozen=True)
class ListReferrals:
    """A preset list (`kind`) or a composed one (`query`, dialogs/grammar/list_rules.py)."""

    kind: ListKind | None = None
    query: ListQuery | None = None

    def wanted(self) -> ListQuery:
        if self.query is not None:
            return self.query
        return preset(self.kind or ListKind.MY_OPEN)


@dataclass(frozen=True)
class ShowMore:
    """'more', 'next page': the next page of the last list."""


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Cancel:
    pass


@dataclass(frozen=True)
class ParseFailure:
    message: str  # a friendly sentence (from replies of the grammar) saying what was not understood
    suggestion: str | None = None  # "did you mean …": a corrected command the seller can send
    choices: tuple[Choice, ...] = ()  # issue 16 §6: buttons, each a command to send as typed


# Issue 16 §1: questions about one referral ("is 4711 still open?", "what's Contoso worth?").
class Topic(StrEnum):
    OVERVIEW = "overview"  # "tell me about 123"
    STATUS = "status"
    VALUE = "value"
    CLOSE_DATE = "close date"
    TEAM = "team"
    STAGE = "stage"
    NOTES = "notes"
    EXPIRY = "expiry"
    CRM_ID = "crm id"


class Asked(StrEnum):
    """The state a yes/no question names: "is 123 still open?", "did we win 123?"."""

    OPEN = "open"
    CLOSED = "closed"
    WON = "won"
    LOST = "lost"
    DECLINED = "declined"
    ACCEPTED = "accepted"
    NEW = "new"
    EXPIRED = "expired"


@dataclass(frozen=True)
class AskAboutReferral:
    """A question: answered in one sentence plus the referral card; it never changes anything."""

    ref: ReferralRef
    topic: Topic
    asked: Asked | None = None  # with Topic.STATUS only: the state asked about


# Issue 16 §4: one change for several referrals ("mark 555 and 556 lost", "push every deal
# closing this week to next Friday"), dialogs/grammar/bulk.py.
@dataclass(frozen=True)
class UpdateReferrals:
    refs: tuple[ReferralRef, ...]  # two or more, each named once, in the order typed
    intent: ChangeIntent
    query: ListQuery | None = None  # instead of `refs`: every referral of this list


# Issue 17 §4: the opt-in digest ("send me a digest every weekday at 9", "stop the digest").
@dataclass(frozen=True)
class SetDigest:
    """Days 0=Monday..6 and a time of day, both in the seller's own time zone."""

    weekdays: frozenset[int]
    hour: int
    minute: int = 0


@dataclass(frozen=True)
class StopDigest:
    pass


# Issue 17: who the bot tells about new leads (dialogs/grammar/alert_rules.py).
@dataclass(frozen=True)
class PostLeadsHere:
    """ "post new leads here" (`on`) / "stop posting leads here": a channel's subscription."""

    on: bool


@dataclass(frozen=True)
class LeadAlerts:
    """ "turn on lead alerts" (`on`) / "stop lead alerts": the seller's own, in personal chat."""

    on: bool


Command = (
    UpdateReferral
    | ShowReferral
    | AskAboutReferral
    | ListReferrals
    | ShowMore
    | Help
    | Cancel
    | ParseFailure
    | UpdateReferrals
    | SetDigest
    | StopDigest
    | PostLeadsHere
    | LeadAlerts
)


# Issue 16 §6 (no dead ends): a refusal offers what would work.
@dataclass(frozen=True)
class Choice:
    """A button under a refusal: its click sends `message` as if the seller had typed it."""

    label: str
    message: str
