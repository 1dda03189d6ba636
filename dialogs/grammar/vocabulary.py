"""The words sellers use, as tables: outcomes, stages, help topics, fillers, reference words."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.intent import Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import Asked


def word_set(text: str) -> frozenset[str]:
    """Long word lists read better as one string."""
    return frozenset(text.split())


OUTCOMES: Mapping[str, Outcome] = {
    **dict.fromkeys(
        ("won", "win", "a win", "closed won", "closed-won", "closedwon", "closed as won",
         "close won", "close as won"),
        Outcome.WON,
    ),
    **dict.fromkeys(
        ("lost", "lose", "a loss", "loss", "closed lost", "closed-lost", "closedlost",
         "close lost", "close as lost"),
        Outcome.LOST,
    ),
    **dict.fromkeys(
        ("declined", "decline", "rejected", "reject", "refused", "refuse", "pass on",
         "passed on", "pass", "passed", "turn down", "turned down", "not taking",
         "not accepting", "won't take", "won't accept", "can't take", "cannot take",
         "will not take", "not pursuing", "not interested in"),
        Outcome.DECLINED,
    ),
    **dict.fromkeys(
        ("accepted", "accept", "take", "taken", "take on", "took", "took on"), Outcome.ACCEPTED
    ),
}  # fmt: skip

STAGES: Mapping[str, SalesStage] = {
    **dict.fromkeys(("qualify", "qualified", "qualification", "qualifying"), SalesStage.QUALIFY),
    **dict.fromkeys(("develop", "developed", "development", "developing"), SalesStage.DEVELOP),
    **dict.fromkeys(("propose", "proposed", "proposal", "proposing"), SalesStage.PROPOSE),
    **dict.fromkeys(
        ("close", "closing", "negotiate", "negotiated", "negotiation", "negotiating"),
        SalesStage.CLOSE,
    ),
}

# Help topics: the key is what Help.topic carries; the values are what sellers type.
HELP_TOPICS: Mapping[str, tuple[str, ...]] = {
    "outcomes": ("outcome", "outcomes", "won", "win", "lost", "lose", "decline", "declined",
                 "accept", "reject", "status", "mark"),
    "deal value": ("deal value", "value", "amount", "amounts", "money", "price", "currency"),
    "close date": ("close date", "closing date", "date", "dates", "close"),
    "notes": ("note", "notes", "comment", "comments"),
    "stage": ("stage", "stages", "sales stage"),
    "deal name": ("deal name", "name", "rename"),
    "crm id": ("crm", "crm id", "external id", "external reference"),
    "team": ("team", "member", "members", "add", "remove", "people"),
    "lists": ("list", "lists", "leads", "my referrals", "my deals", "closing", "more"),
    "referrals": ("which referral", "referral", "referrals", "id", "ids", "find", "show"),
}  # fmt: skip

# Said before or after a command without changing it.
LEADING_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "please", "pls", "plz", "kindly", "can you", "could you", "would you", "can u",
        "could u", "will you", "hey", "hi", "hello", "ok", "okay", "so", "now", "let's", "lets",
        "i want to", "i'd like to", "i would like to", "i need to", "go ahead and", "just",
        "bot", "yo", "quick", "also", "and",
    )
)  # fmt: skip
TRAILING_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in ("please", "pls", "plz", "thanks", "thank you", "thx", "ty", "for me",
                   "cheers")
)  # fmt: skip

# A referral reference: "it", "that one", "this deal" mean the last one discussed.
LAST_WORDS = frozenset({"it", "this", "that", "same", "this one", "that one", "the same one",
                        "the same", "same one", "the last one", "last one"})  # fmt: skip
REF_PREFIXES = ("the", "our", "my", "this", "that")
# A name never starts with a preposition: "pass on 123" is not a referral called "on 123".
# Nor with a word of politeness: "please mark 123 won" is not about "please mark 123".
NOT_NAME_STARTS = word_set(
    "on to of for with from as at in by off and or into onto out please pls plz hi hey hello "
    "can could would will i i'd i've let's lets kindly ok okay so just yo also now what's "
    "whats what which anything any where who why when how should shall do does did is was "
    "are has have had may might must there here closed all every"
)
# Issue 16, section 5: "they passed", "they went with AWS" are about the customer, not a deal
# called "They".
NOT_NAME_STARTS |= word_set("they they've they're")
REF_NOUNS = frozenset({"lead", "leads", "deal", "deals", "opportunity", "opportunities", "opp",
                       "opps", "oppty", "referral", "referrals", "one", "account", "customer",
                       "team", "engagement"})  # fmt: skip
ID_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("referral", "id"), ("referral", "number"), ("referral", "no"), ("referral", "#"),
    ("referral",), ("ref",), ("id",), ("number",), ("no",), ("lead",), ("deal",),
)  # fmt: skip
CRM_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("crm", "id"), ("crm", "number"), ("crm", "ref"), ("crm",), ("external", "reference", "id"),
    ("external", "reference"), ("external", "id"), ("external", "ref"),
)  # fmt: skip
# A free-text referral name never starts with these words or contains the field words:
# they mean the message is a command we did not understand, not a customer called "Set".
COMMAND_WORDS = word_set(
    "mark set show add remove close move push rename note notes accept decline reject take "
    "pass we help cancel list update change delete drop open view display get find search "
    "what how where make put replace overwrite append invite include kick advance progress "
    "flag call link won lost declined accepted deal details status info tell"
)
# "Contoso not won", "don't mark 123 won": a negation is never part of a name, so the
# message is not understood rather than read as the opposite of what was meant.
NEGATIONS = word_set("not no never don't dont didn't didnt do not cannot can't won't isn't")
FIELD_WORDS = word_set("value stage note notes crm comment comments date status")

# Issue 16 §1 (questions): the states a yes/no question names ("is 123 still open?", "did we
# win 123?"); verbs in their plain form too, for "did we …".
STATES: Mapping[str, Asked] = {
    **dict.fromkeys(
        ("open", "active", "live", "alive", "in progress", "ongoing", "going", "in play",
         "still going", "still on", "still alive"),
        Asked.OPEN,
    ),
    **dict.fromkeys(
        ("closed", "close", "done", "over", "finished", "dead", "closed out", "close out"),
        Asked.CLOSED,
    ),
    **dict.fromkeys(
        ("won", "win", "a win", "closed won", "closed-won", "signed", "in the bag"), Asked.WON
    ),
    **dict.fromkeys(("lost", "lose", "a loss", "closed lost", "closed-lost"), Asked.LOST),
    **dict.fromkeys(
        ("declined", "decline", "rejected", "reject", "passed on", "pass on", "turned down",
         "turn down"),
        Asked.DECLINED,
    ),
    **dict.fromkeys(("accepted", "accept", "taken", "take", "took"), Asked.ACCEPTED),
    **dict.fromkeys(
        ("new", "pending", "a new lead", "unanswered", "waiting", "still new", "still pending"),
        Asked.NEW,
    ),
    **dict.fromkeys(("expired", "expire", "lapsed", "timed out"), Asked.EXPIRED),
}  # fmt: skip

# Issue 16, section 5: "change the amount to 1.2m" names the field, not a referral "amount".
FIELD_WORDS |= word_set("amount")
# Issue 16, section 5: words that start a field's clause; a reason or note holding one after a
# separator is tried as several changes ("won, final value 118k"), never kept as text whole.
FIELD_CUES = FIELD_WORDS | word_set(
    "amount worth size revenue close closing closes phase crm name title rename final total"
)
