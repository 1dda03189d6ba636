"""What one benchmark run does: pairs, levels, turn counts, warm-up, idle chats, state backend.

The counts decide how long the run takes (≤ 12 minutes by default on the 2-core machine) and how
many referrals the emulator must hold: every "mark … won", warm-up ones included, needs a fresh
referral, because a won referral cannot be marked won again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import StateBackend

LEVELS = (1, 8, 64)


@dataclass(frozen=True)
class Plan:
    pairs: int
    turns: int  # measured turns per run at c > 1
    warmup: int  # turns of the same kind, same concurrency, just before each measured run
    idle: int  # idle conversations for the RSS row (last pair only)
    state: StateBackend
    grammar_repeats: int
    levels: tuple[int, ...] = LEVELS

    def turns_at(self, concurrency: int) -> int:
        """c=1 runs a quarter of the turns: it is latency-bound and would dominate the time."""
        return max(1, self.turns // 4) if concurrency == 1 else self.turns

    def changes_per_pair(self) -> int:
        """Referrals one bot process marks won: warm-up and measured, at every level."""
        return sum(self.warmup + self.turns_at(c) for c in self.levels)
