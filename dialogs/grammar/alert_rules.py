"""Phrasings that say who the bot tells about new leads (issue 17): a channel ("post new leads
here", "stop posting leads here") and the seller's own alerts ("stop lead alerts").

Each template spans the whole message and is made only of these words, so no referral or
customer name ("show Lead Alerts Ltd", "mark Post Office Ltd won") can be read as one of them.
A channel is named ("here", "in this channel"); without it, alerts are the seller's own.
"""

from __future__ import annotations

from collections.abc import Callable

from dialogs.grammar.commands import Command, LeadAlerts, PostLeadsHere
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.templates import rules

Build = Callable[[Bindings], Command | None]

_LEADS = (
    "[(all|the|our|every)] [(new|incoming|fresh)] "
    "(leads|lead alerts|lead cards|lead notifications|referrals)"
)
_HERE = (
    "(here|in here|to here|in this channel|to this channel|into this channel|on this channel|"
    "this channel)"
)
_ALERTS = (
    "[(my|the)] [(new)] (lead alerts|lead-alerts|lead notifications|lead messages|"
    "alerts about new leads|alerts for new leads|new lead alerts)"
)
_POSTING = "(posting|sending|sharing|putting|delivering|forwarding|pushing)"
_POST = "(post|send|share|put|drop|deliver|forward|push)"
_TELLING = "(alerting|notifying|telling|messaging|pinging|updating)"
_TELL = "(alert|notify|tell|message|ping|update)"

_THANKS = "[(please|pls|thanks|thank you|thx)]"  # else "… please" reads as "show …"

POST_HERE = (
    f"{_POST} {_LEADS} {_HERE}",
    f"{_TELL} this channel (about|of|on|for|when there are|when we get) {_LEADS}",
    f"(subscribe|sign up) this channel (to|for) {_LEADS} [{_HERE}]",
    f"(subscribe|sign up) (to|for) {_LEADS} {_HERE}",
    f"(turn on|enable|start|switch on) {_ALERTS} {_HERE}",
)
STOP_POSTING = (
    f"(stop|quit|cease|pause) {_POSTING} {_LEADS} {_HERE}",
    f"(don't|do not|dont|no longer) {_POST} {_LEADS} {_HERE} [(anymore|any more)]",
    f"no more {_LEADS} {_HERE}",
    f"(stop|quit) {_TELLING} this channel [(about|of|on|for)] {_LEADS}",
    f"unsubscribe this channel [from] {_LEADS} [{_HERE}]",
    f"unsubscribe [from] {_LEADS} {_HERE}",
    f"(turn off|disable|stop|switch off|mute) {_ALERTS} {_HERE}",
)
ALERTS_ON = (
    f"(turn on|enable|start|resume|unmute|switch on|restart|reactivate) {_ALERTS}",
    "[(my|the)] (lead alerts|lead-alerts|lead notifications) (on|back on)",
    f"{_TELL} me (about|of|when there are|when i get|when there's|on) {_LEADS}",
    f"(subscribe|sign up) [me] (to|for) {_LEADS}",
)
ALERTS_OFF = (
    f"(stop|turn off|disable|pause|mute|switch off|silence|no more|cancel|end) {_ALERTS}",
    "[(my|the)] (lead alerts|lead-alerts|lead notifications) off",
    f"(stop|quit) {_TELLING} me [(about|of|on)] {_LEADS}",
    f"(don't|do not|dont) {_TELL} me [(about|of|on)] {_LEADS} [(anymore|any more)]",
    f"unsubscribe [me] [from] {_LEADS}",
)


def _always(command: Command) -> Build:
    return lambda _bindings: command


def _polite(templates: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{template} {_THANKS}" for template in templates)


ALERT_RULES: tuple[tuple[Pattern, Build], ...] = (
    *rules(_polite(POST_HERE), _always(PostLeadsHere(on=True))),
    *rules(_polite(STOP_POSTING), _always(PostLeadsHere(on=False))),
    *rules(_polite(ALERTS_ON), _always(LeadAlerts(on=True))),
    *rules(_polite(ALERTS_OFF), _always(LeadAlerts(on=False))),
)
