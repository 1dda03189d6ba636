"""Local Partner Center Referrals API and identity provider.

Imports nothing from bot.*: an independent implementation of the spec.
"""
