"""What an answer from the seller's referral index covered, so the dialogs can say it honestly.

The index (bot.referrals) fills it; the dialogs turn it into a sentence ("I searched the 5,000
most recently updated referrals"). It lives here because both layers need it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    searched: int  # referrals in the index that answered
    complete: bool = True  # False: a cap (entries or pages) cut the index short
    stale: bool = False  # the last refresh failed: the answer may be out of date
    loading: bool = False  # the first sync is still running: only part of it was searched

    @property
    def partial(self) -> bool:
        return not self.complete or self.stale or self.loading
