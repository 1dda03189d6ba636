"""Acting as the seller: on-behalf-of tokens for Partner Center."""
