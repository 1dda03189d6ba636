"""Bot state: pending changes (single use, expiring, bound to their proposer)."""
