"""Order search results the way a seller means them, and find close names for "did you mean".

Pure (rapidfuzz only). Scores are 0-100 over casefolded, punctuation-free text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, utils

from bot.domain.referral import Referral, Status

MATCH_CUTOFF = 60.0  # below this a server-side "contains" hit is noise ("lead" in "Leadership")
SUGGEST_CUTOFF = 75.0
# The scorers, shared with the seller index (bot.referrals.seller_index) so both rank alike.
MATCH_SCORER = fuzz.token_set_ratio
SUGGEST_SCORER = fuzz.WRatio


def _names(referral: Referral) -> list[str]:
    customer = referral.customer_profile.name if referral.customer_profile else None
    return [name for name in (referral.name, customer) if name]


def match_score(text: str, referral: Referral) -> float:
    """How well `text` names this referral: its CRM id exactly, or its deal or customer name."""
    if referral.external_reference_id and (
        referral.external_reference_id.casefold() == text.strip().casefold()
    ):
        return 100.0
    scores = [
        MATCH_SCORER(text, name, processor=utils.default_process) for name in _names(referral)
    ]
    return max(scores, default=0.0)


def rank(text: str, referrals: Iterable[Referral], *, limit: int) -> list[Referral]:
    """Best first; ties put open referrals first, then by deal name."""
    scored = [(match_score(text, referral), referral) for referral in referrals]
    kept = [(score, referral) for score, referral in scored if score >= MATCH_CUTOFF]
    kept.sort(key=lambda pair: (-pair[0], pair[1].status == Status.CLOSED, pair[1].name or ""))
    return [referral for _, referral in kept[:limit]]


def close_names(text: str, referrals: Iterable[Referral], *, limit: int) -> list[str]:
    """Distinct deal or customer names that look like `text` (typos included), best first."""
    scored = (
        (SUGGEST_SCORER(text, name, processor=utils.default_process), name)
        for referral in referrals
        for name in _names(referral)
    )
    return pick_names(scored, limit=limit)


def pick_names(scored: Iterable[tuple[float, str]], *, limit: int) -> list[str]:
    """Names scoring at least SUGGEST_CUTOFF, one per casefolded name (its first best spelling),
    best first, then shortest: the tail of "did you mean", shared with the seller index."""
    best: dict[str, tuple[float, str]] = {}
    for score, name in scored:
        key = name.casefold()
        if score >= SUGGEST_CUTOFF and score > best.get(key, (-1.0, ""))[0]:
            best[key] = (score, name)
    ordered = sorted(best.values(), key=lambda pair: (-pair[0], len(pair[1]), pair[1]))
    return [name for _, name in ordered[:limit]]
