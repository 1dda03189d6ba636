"""`Action.Execute` clicks: the verb registry, the confirm flow, its replies and card updates."""
