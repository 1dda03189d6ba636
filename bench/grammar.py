"""Micro-benchmark of `parse_command`: CPU per parse over what sellers typically type.

Issue 6 budgets a whole bot turn at 1.5x an echo turn (about 5 ms here); the grammar must be a
small part of that. The commands come from README.md's "What sellers can say" and the grammar
test tables; one mistyped command exercises the "did you mean" path.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from dialogs.grammar.parser import parse_command

TODAY = date(2026, 11, 25)
COMMANDS: tuple[str, ...] = (
    "mark 123 won",
    "we won 123 🎉",
    "close 123 as lost",
    "we lost Fabrikam, budget frozen",
    "accept the Northwind lead",
    "decline the Northwind lead: not our area",
    "reject 123",
    "pass on 123",
    "set the deal value of Contoso Azure to 150k",
    "deal value 123 = $1.2M",
    "123 value 95,000 EUR",
    "set value of 4711 to €140.000",
    "push the close date of 123 to next Friday",
    "move 123 to 2026-12-04",
    "123 closes in 3 weeks",
    "close date of 123 to end of Q1",
    "set the deal value of Contoso Azure to 150k and push the close date to next Friday",
    "note on 123: demo booked",
    "set notes of 123 to call back in January",
    "set stage of 123 to propose",
    "123 stage negotiated",
    "rename 123 to Contoso Azure Phase 2",
    "set crm id of 123 to CRM-42",
    "add Jane Doe jane.doe@contoso.com to 4711",
    "remove jane.doe@contoso.com from 4711",
    "show 123",
    "show Contoso",
    "my open referrals",
    "new leads",
    "deals closing this month",
    "help",
    "cancel",
    "please mark 123 as won thanks",
    "makr 123 won",
)


def parse_figures(repeats: int) -> dict[str, float]:
    """Median and p95 microseconds per parse; every command is parsed `repeats` times.

    One untimed pass first, as a running bot has done: the per-day slot table and the
    "did you mean" cache of names already seen are warm (tables compile at import).
    """
    for text in COMMANDS:
        parse_command(text, today=TODAY)
    timings: list[float] = []
    for _ in range(repeats):
        for text in COMMANDS:
            started = time.perf_counter_ns()
            parse_command(text, today=TODAY)
            timings.append((time.perf_counter_ns() - started) / 1000)
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    return {"median_us": statistics.median(timings), "p95_us": cuts[-1]}
