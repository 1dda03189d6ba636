"""Conversation logic (botbuilder-dialogs only): never HTTP, never msal."""
