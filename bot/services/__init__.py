"""Adapters that implement the dialogs' ports over the Partner Center client."""

from bot.services.errors import ChangeNotAppliedError, ChangeSavedUnreadableError
from bot.services.referrals import PartnerCenterReferrals

__all__ = ["ChangeNotAppliedError", "ChangeSavedUnreadableError", "PartnerCenterReferrals"]
