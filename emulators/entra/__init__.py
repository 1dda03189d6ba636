"""The Entra ID emulator: discovery, keys, and the token grants the bot uses (incl.
on-behalf-of).
"""
