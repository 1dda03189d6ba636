"""Request -> turn: the channel token, the adapter, SSO, tenant policy, dedupe and the turn."""
