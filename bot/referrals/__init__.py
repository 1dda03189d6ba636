"""Adapters that implement the dialogs' ports over the Partner Center client."""

from bot.domain.errors import ChangeNotAppliedError, ChangeSavedUnreadableError
from bot.referrals.service import PartnerCenterReferrals

__all__ = ["ChangeNotAppliedError", "ChangeSavedUnreadableError", "PartnerCenterReferrals"]
