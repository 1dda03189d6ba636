"""The lead fan-out bench's figures (`FanoutResults`, read off the connector, the emulator's
deliveries and recorded requests) and its table and footnote as `python -m bench` prints them."""

from __future__ import annotations

import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.teams_connector import CONVERSATION, TENANT, TeamsConnector

REFERRAL_PATH = "/v1.0/engagements/referrals/"


@dataclass(frozen=True)
class FanoutResults:
    sellers: int
    cards: int  # lead cards posted to the sellers' chats
    missing: int  # sellers with no card
    duplicated: int  # sellers with more than one
    throttled: Mapping[str, int]  # 429s the connector answered, by limit
    seconds: float  # the first event's delivery → the last card
    latencies: tuple[float, ...]  # per lead: its event's delivery → its card, sorted
    cpu_seconds: float
    gets: int  # Partner Center GET of one referral
    other_calls: int  # every other Partner Center request
    identity_calls: int
    max_in_flight: int
    deliveries: int
    failed_attempts: int  # delivery attempts the bot did not answer 2xx

    @classmethod
    def of(
        cls,
        *,
        sellers: Sequence[str],
        leads: Mapping[str, str],
        connector: TeamsConnector,
        deliveries: Sequence[Mapping[str, Any]],
        recorded: Mapping[str, Sequence[Mapping[str, Any]]],
        cpu_seconds: float,
    ) -> FanoutResults:
        """`sellers`: their conversations; `leads`: referral id -> its seller's conversation."""
        per_seller = connector.cards_per_conversation()
        first_card: dict[str, float] = {}
        for posted in connector.posted:
            if posted.method == "POST" and posted.cards:
                first_card.setdefault(posted.conversation, posted.at)
        sent = {d["resourceUri"].rsplit("/", 1)[-1]: _first_attempt(d) for d in deliveries}
        latencies = [
            first_card[conversation] - sent[lead]
            for lead, conversation in leads.items()
            if conversation in first_card and sent.get(lead) is not None
        ]
        starts = [at for at in sent.values() if at is not None]
        seconds = max(first_card.values(), default=0.0) - min(starts, default=0.0)
        referrals = recorded["referrals"]
        gets = [r for r in referrals if r["method"] == "GET" and r["path"].startswith(REFERRAL_PATH)]
        return cls(
            sellers=len(sellers),
            cards=sum(per_seller[c] for c in sellers),
            missing=sum(1 for c in sellers if per_seller[c] == 0),
            duplicated=sum(1 for c in sellers if per_seller[c] > 1),
            throttled=dict(connector.throttled),
            seconds=seconds if first_card and starts else float("nan"),
            latencies=tuple(sorted(latencies)),
            cpu_seconds=cpu_seconds,
            gets=len(gets),
            other_calls=len(referrals) - len(gets),
            identity_calls=len(recorded["identity"]),
            max_in_flight=connector.max_in_flight,
            deliveries=len(deliveries),
            failed_attempts=sum(
                1 for d in deliveries for a in d["attempts"] if not 200 <= (a["status"] or 0) < 300
            ),
        )

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    @property
    def cards_per_second(self) -> float:
        return self.cards / self.seconds if self.seconds > 0 else float("nan")

    def per_card(self, count: int) -> float:
        return count / self.cards if self.cards else float("nan")


def _first_attempt(delivery: Mapping[str, Any]) -> float | None:
    attempts = delivery.get("attempts") or []
    return datetime.fromisoformat(attempts[0]["at"]).timestamp() if attempts else None


def fanout_table(r: FanoutResults) -> str:
    throttled = sum(r.throttled.values())
    kinds = ", ".join(f"{kind} {r.throttled.get(kind, 0)}" for kind in (CONVERSATION, TENANT))
    rows = [
        "| Row | Figure | Target |",
        "|---|---|---|",
        f"| sellers, each with one new lead (signed `referral-created` events) | {r.sellers:,} "
        f"| – |",
        f"| lead cards received at the connector | {r.cards:,} (missing {r.missing}, twice "
        f"{r.duplicated}) | exactly one per seller |",
        f"| 429s answered by the connector | {throttled} ({kinds}) | 0 |",
        f"| first event delivered → last card | {r.seconds:.1f} s ({r.cards_per_second:.1f} "
        "cards/s) | – |",
        f"| event delivered → its card, p50 / p95 | {r.percentile(50):.2f} / "
        f"{r.percentile(95):.2f} s | – |",
        f"| bot CPU over the run | {r.cpu_seconds:.1f} s ({1000 * r.per_card(r.cpu_seconds):.1f} ms per "
        "card) | – |",
        f"| Partner Center per card: GET of the referral · other | {r.per_card(r.gets):.2f} · "
        f"{r.per_card(r.other_calls):.2f} | – |",
        f"| identity calls per card | {r.per_card(r.identity_calls):.2f} | 0 (tokens cached) |",
        f"| most sends in flight at the connector | {r.max_in_flight} | – |",
        f"| event deliveries · attempts not answered 2xx | {r.deliveries:,} · "
        f"{r.failed_attempts} | {r.sellers:,} · 0 |",
    ]
    return "\n".join(rows)


def fanout_footnote(
    plan: Mapping[str, float], r: FanoutResults, setup: float, pinned: bool, seconds: float
) -> str:
    return "\n".join(
        [
            f"{plan['sellers']:.0f} Referral Users of the strict emulators, each installed "
            "(installationUpdate 'add' through the bot's install path, e-mail from the member "
            "lookup) and signed in by one 'new leads' turn (the developer grant; the bot's msal "
            f"cache holds their token): {setup:.0f} s of set-up, {plan['setup_concurrency']:.0f} "
            "posts in flight. Emulator throttle raised to "
            f"{plan['throttle']:,.0f} requests/min per caller (not the bottleneck); webhook "
            "deliveries at the emulator's defaults (8 in flight per URL).",
            f"Leads created at the emulator's control, {plan['creators']:.0f} at a time; each "
            "delivery signed and verified. Connector (bench.teams_connector): Teams' limits per "
            "conversation (7/1 s, 8/2 s, 60/30 s, 1,800/h) and per tenant (50/s), counted by "
            f"arrival; answers after {1000 * plan['latency']:.0f} ms.",
            "Bot: `python -m bot`, demo settings, SQLite state, pinned to one core, the bench "
            f"and emulators on the other: {'yes' if pinned else 'NO'}. Latency: the event's "
            "first delivery attempt (emulator) → the card's arrival (connector), one clock.",
            f"{os.cpu_count()} CPUs; load average at the end: "
            + "/".join(f"{load:.1f}" for load in os.getloadavg())
            + f" (the machine may be shared). took {seconds:.0f} s.",
        ]
    )
