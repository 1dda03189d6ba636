"""Phrasings that read, list, help or cancel: each template maps straight to a Command."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.list_kinds import ListKind
from dialogs.grammar.commands import (
    Cancel,
    Command,
    Help,
    ListReferrals,
    ReferralRef,
    RefKind,
    ShowMore,
    ShowReferral,
)
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.templates import rules

Build = Callable[[Bindings], Command | None]

CANCEL = (
    "(cancel|stop|never mind|nevermind|nvm|nm|start over|quit|abort|forget it|forget about it|"
    "exit|reset|cancel that|scratch that|stop it|restart|cancel it|ignore that|ignore it|"
    "let's start over|start again|no thanks|cancel this|stop that)",
)
HELP = (
    "(help|? | ??|commands|command list|menu|usage|instructions|examples|what can you do|"
    "what can i say|what can i do|what do you do|how does this work|how do i use this|"
    "how does it work|hi|hello|hey|howdy|start|get started|guide|tutorial|what are the commands|"
    "help me|help please|what do i say|who are you|what are you)",
)
HELP_TOPIC = (
    "(help|explain|show help|how to|howto) [me] [(with|on|about|for|me with)] [the] {topic}",
    "how (do|can|should|would|to) [(i|we|you)] {topic}",
    "{topic} help",
    "what (does|do|is|are) [the] {topic} [(do|mean|means|for)]",
    "help {anything}",
)
MORE = (
    "(more|next|next page|show more|more please|load more|see more|keep going|continue|go on|"
    "next one|next ones|more results|the rest|show the rest|page 2|show next|next 10|any more|"
    "anything else|what else)",
)
_SHOW_LIST = "[(show|list|get|give|display|view|see|find|pull up|what are|what're|which are|any)] [me] [(all|all of)] [the]"  # noqa: E501
_MINE = "[(my|our|all)]"
MY_OPEN = (
    f"{_SHOW_LIST} {_MINE} [(open|active|current|ongoing|live|in-progress|in progress)] "
    "(referrals|deals|opportunities|opps|pipeline|referral list|engagements)",
    "(what's|whats|what is) (open|active|in my pipeline|on my plate)",
    "(what do i have|what have i got) [open]",
)
NEW_LEADS = (
    f"{_SHOW_LIST} {_MINE} (new|incoming|pending|fresh|unanswered|waiting|inbound|new incoming) "
    "[(incoming)] (leads|lead|referrals|invitations|invites|requests|ones)",
    f"{_SHOW_LIST} {_MINE} leads",
    "(any|got any) (new|incoming) (leads|referrals)",
    "(what's|whats|what is) new",
)
_CLOSING = (
    f"{_SHOW_LIST} {_MINE} [(open)] [(referrals|deals|opportunities|opps|ones)] "
    "[(that are|which are|that|which|are)] (closing|close|closes|due|ending|landing) "
    "[(in|by|before|within)] [(the)] [(end of)] [(the)] (this|current|this calendar) "
)
_WHAT_CLOSES = (
    "(what|what's|whats|what is|which deals|which referrals|what deals|which ones) "
    "(closes|close|is closing|are closing|is due|are due|closing|due) [(in|by)] this "
)
_ANYTHING = (
    "[(is there|are there|got)] (anything|any deals|any referrals|anything that's|something) "
    "(closing|due|closes) "
)
CLOSING_MONTH = (
    _CLOSING + "month",
    f"{_SHOW_LIST} {_WHAT_CLOSES}month",
    _ANYTHING + "this month",
    "this month's (deals|closings)",
)
CLOSING_QUARTER = (
    _CLOSING + "(quarter|qtr|q)",
    f"{_SHOW_LIST} {_WHAT_CLOSES}(quarter|qtr)",
    _ANYTHING + "this (quarter|qtr)",
    "this quarter's (deals|closings)",
)
_SHOW_VERB = (
    "(show|open|view|display|get|details|detail|info|information|status|check|look up|lookup|"
    "find|search|search for|pull up|bring up|see|tell me about|what about|how about|how's|hows|"
    "how is|what's up with|whats up with|what is up with|what's new with|what's happening with|"
    "where are we with|where are we on|where is|where's|what's the status of|"
    "what is the status of|whats the status of|status of|status on|summary of|summarize|"
    "give me|what's going on with|any news on|news on|update on|latest on)"
)
SHOW = (
    "(what's|what is|whats|what are) [the] (<cd>|<value>|<stage>|<name>|<crm>|<note>|team|status) "
    "(of|for|on|in) {ref}",
    f"{_SHOW_VERB} [me] [(the)] [(details|status|info|information|summary|latest|news|update)] "
    "[(of|for|on|about|with)] {ref} [(details|status|info|please|doing|going|looking)]",
    "{ref} (details|status|info|summary|please)",
)
BARE = ("{ref}",)
# "is 123 won?" asks; it must never mark anything.
QUESTIONS = (
    "(is|was|has|have|does) [(we|it)] {ref} [(already|been|really|now)] [(been|closed)] {anything}",
)


def _show(bindings: Bindings) -> Command | None:
    return ShowReferral(bindings.take("ref", ReferralRef))


def _bare(bindings: Bindings) -> Command | None:
    """A bare id, CRM id or "it" shows it; a bare word is too likely a typo to search for."""
    ref = bindings.take("ref", ReferralRef)
    return None if ref.kind is RefKind.NAME else ShowReferral(ref)


def _help_topic(bindings: Bindings) -> Command | None:
    return Help(topic=bindings.maybe("topic", str))


def _always(command: Command) -> Build:
    return lambda _bindings: command


READ_RULES: tuple[tuple[Pattern, Build], ...] = (
    *rules(CANCEL, _always(Cancel())),
    *rules(HELP, _always(Help())),
    *rules(HELP_TOPIC, _help_topic),
    *rules(MORE, _always(ShowMore())),
    *rules(MY_OPEN, _always(ListReferrals(ListKind.MY_OPEN))),
    *rules(NEW_LEADS, _always(ListReferrals(ListKind.NEW_LEADS))),
    *rules(CLOSING_MONTH, _always(ListReferrals(ListKind.CLOSING_THIS_MONTH))),
    *rules(CLOSING_QUARTER, _always(ListReferrals(ListKind.CLOSING_THIS_QUARTER))),
    *rules(QUESTIONS, _show),
)
SHOW_RULES: tuple[tuple[Pattern, Build], ...] = (*rules(SHOW, _show), *rules(BARE, _bare))
