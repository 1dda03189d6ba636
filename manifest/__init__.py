"""The Teams app package: manifest template, icons and the packager (`python -m manifest.package`).

Kept outside `bot/` on purpose: it is a build step run by `make package`, not part of the bot.
"""
