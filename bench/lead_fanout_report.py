"""The lead fan-out bench's figures (`FanoutResults`, read off the connector, the emulator's
deliveries and recorded requests) and its table and footnote as `python -m bench` prints them."""

from __future__ import annotations

import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.teams_connector import CONVERSATION, PER_TENANT_RPS, TENANT, TeamsConnector

REFERRAL_PATH = "/v1.0/engagements/referrals/"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"  # on-behalf-of
CERTIFICATE_PATH = "/cert/"  # the signing certificate, served by the identity emulator


@dataclass
class Setup:
    seconds: float
    people: int  # who installed and spoke once (the sellers and the admin)
    signed_in: int = 0  # on-behalf-of grants the identity emulator answered meanwhile


def on_behalf_of_grants(recorded: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
    """Token requests exchanging a seller's sign-in for a Partner Center token (each leaves
    that seller's token in the bot's cache)."""
    return sum(
        1
        for r in recorded["identity"]
        if r["method"] == "POST"
        and isinstance(r["body"], Mapping)
        and r["body"].get("grant_type") == JWT_BEARER
    )


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
    identity_calls: int  # token requests (OBO, discovery, keys): not the certificate
    certificate_downloads: int
    max_in_flight: int
    deliveries: int
    failed_attempts: int  # delivery attempts the bot did not answer 2xx
    setup_throttled: int  # 429s during the installs and first turns (not in `throttled`)

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
        setup_throttled: int,
    ) -> FanoutResults:
        """`sellers`: their conversations; `leads`: referral id -> its seller's conversation."""
        per_seller = connector.cards_per_conversation()
        first_card: dict[str, float] = {}
        for posted in connector.posted:
            if posted.method == "POST" and posted.cards:
                first_card.setdefault(posted.conversation, posted.at)
        sent = {
            d["resourceUri"].rsplit("/", 1)[-1]: _first_attempt(d)
            for d in deliveries
            if d["attempts"]
        }
        latencies = [
            first_card[conversation] - sent[lead]
            for lead, conversation in leads.items()
            if conversation in first_card and lead in sent
        ]
        starts = list(sent.values())
        seconds = max(first_card.values(), default=0.0) - min(starts, default=0.0)
        referrals = recorded["referrals"]
        gets = [r for r in referrals if r["method"] == "GET" and _names_one(r["path"])]
        downloads = sum(1 for r in recorded["identity"] if r["path"].startswith(CERTIFICATE_PATH))
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
            identity_calls=len(recorded["identity"]) - downloads,
            certificate_downloads=downloads,
            max_in_flight=connector.max_in_flight,
            deliveries=len(deliveries),
            failed_attempts=sum(
                1 for d in deliveries for a in d["attempts"] if not 200 <= (a["status"] or 0) < 300
            ),
            setup_throttled=setup_throttled,
        )

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    @property
    def cards_per_second(self) -> float:
        return self.cards / self.seconds if self.seconds > 0 else float("nan")

    def per_card(self, count: float) -> float:
        return count / self.cards if self.cards else float("nan")


def _names_one(path: str) -> bool:
    return path.startswith(REFERRAL_PATH) and len(path) > len(REFERRAL_PATH)


def _first_attempt(delivery: Mapping[str, Any]) -> float:
    return datetime.fromisoformat(delivery["attempts"][0]["at"]).timestamp()


def fanout_table(r: FanoutResults, setup: Setup) -> str:
    throttled = sum(r.throttled.values())
    kinds = ", ".join(f"{kind} {r.throttled.get(kind, 0)}" for kind in (CONVERSATION, TENANT))
    cpu_ms = 1000 * r.per_card(r.cpu_seconds)
    rows = [
        ("sellers, each with one new lead (signed `referral-created` events)", f"{r.sellers:,}",
         "–"),
        ("lead cards received at the connector",
         f"{r.cards:,} (missing {r.missing}, twice {r.duplicated})", "exactly one per seller"),
        ("429s answered by the connector", f"{throttled} ({kinds})", "0"),
        ("first event delivered → last card",
         f"{r.seconds:.1f} s ({r.cards_per_second:.1f} cards/s)",
         f"≥ {r.sellers / PER_TENANT_RPS:.1f} s (50/s per tenant)"),
        ("event delivered → its card, p50 / p95",
         f"{r.percentile(50):.2f} / {r.percentile(95):.2f} s", "–"),
        ("bot CPU over the run", f"{r.cpu_seconds:.1f} s ({cpu_ms:.1f} ms per card)", "–"),
        ("Partner Center per card: GET of the referral · other requests",
         f"{r.per_card(r.gets):.2f} · {r.per_card(r.other_calls):.2f}", "–"),
        ("identity per card: token requests · signing-certificate downloads in all",
         f"{r.per_card(r.identity_calls):.2f} · {r.certificate_downloads}", "0 (cached) · –"),
        ("most sends in flight at the connector", f"{r.max_in_flight}", "–"),
        ("event deliveries · attempts not answered 2xx", f"{r.deliveries:,} · {r.failed_attempts}",
         f"{r.sellers:,} · 0"),
        ("set-up: people whose first turn cached a token (on-behalf-of grants)",
         f"{setup.signed_in:,} of {setup.people:,}", "all"),
        ("429s during the set-up (installs' hellos, first turns' answers)",
         f"{r.setup_throttled}", "0"),
    ]  # fmt: skip
    lines = ["| Row | Figure | Target |", "|---|---|---|"]
    lines += [f"| {label} | {figure} | {target} |" for label, figure, target in rows]
    return "\n".join(lines)


def _admin(plan: Mapping[str, Any]) -> str:
    if plan["admin"] == "none":
        return "No Referral Admin has the bot."
    named = "named" if plan["named_reader"] else "NOT named"
    return (
        f"A Referral Admin installed the bot {plan['admin']} (signed in likewise), {named} in "
        "REFERRAL_BOT_ALERTS__READERS: the read that learns each lead's team is theirs."
    )


def _state(plan: Mapping[str, Any]) -> str:
    if str(plan["state"]) == "blob":
        return "Blob state on a local Azurite (a Node process, not pinned)"
    return "SQLite state"


def fanout_footnote(plan: Mapping[str, Any], setup: Setup, pinned: bool, seconds: float) -> str:
    return "\n".join(
        [
            f"{plan['sellers']:,} Referral Users of the strict emulators, each installed "
            "(installationUpdate 'add' through the bot's install path, e-mail from the member "
            "lookup) and signed in by one 'new leads' turn (the developer grant; the bot's msal "
            f"cache holds their token): {setup.seconds:.0f} s of set-up, "
            f"{plan['setup_concurrency']} posts in flight. {_admin(plan)} Emulator throttle "
            "raised to "
            f"{plan['throttle']:,} requests/min per caller (not the bottleneck); webhook "
            "deliveries at the emulator's defaults (8 in flight per URL).",
            f"Leads created at the emulator's control, {plan['creators']} at a time; each "
            "delivery signed and verified. Connector (bench.teams_connector): Teams' limits per "
            "conversation (7/1 s, 8/2 s, 60/30 s, 1,800/h) and per app and tenant (50/s), "
            f"counted by arrival; answers after {1000 * plan['latency']:.0f} ms.",
            f"Bot: `python -m bot`, demo settings, {_state(plan)}, pinned to one core, the bench "
            f"and emulators on the other: {'yes' if pinned else 'NO'}. Latency: the event's "
            "first delivery attempt (emulator) → the card's arrival (connector), one clock.",
            f"{os.cpu_count()} CPUs; load average at the end: "
            + "/".join(f"{load:.1f}" for load in os.getloadavg())
            + f" (the machine may be shared). took {seconds:.0f} s.",
        ]
    )
