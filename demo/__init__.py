"""`python -m demo`: emulators, the bot and the Microsoft 365 Agents Playground in one go."""
