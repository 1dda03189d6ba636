"""The bot speaks first (issue 17): lead alerts, reminders and digests, and their card updates."""
