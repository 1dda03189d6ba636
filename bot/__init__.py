"""Referral Bot: importing this package must not start or read anything."""
