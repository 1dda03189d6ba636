"""The pure domain: referrals, transitions, changes. No I/O."""
