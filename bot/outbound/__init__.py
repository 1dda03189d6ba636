"""Turn -> Teams: connector clients, their aiohttp transport, and send pacing and retries."""
