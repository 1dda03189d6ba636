"""The Partner Center Referrals API emulator: what the spec documents, refusals for the rest."""
