"""The sentence the sign-in layer gives a seller when the sign-in (token) service fails.

It is the `user_message` of the ServiceUnavailableError raised for it; the dialogs say it.
"""

from __future__ import annotations

UNAVAILABLE = "The sign-in service isn't answering right now. Please try again in a minute."
