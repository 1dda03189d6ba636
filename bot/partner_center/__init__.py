"""Typed async client of the Partner Center Referrals API."""
