"""On-behalf-of: the seller's Teams SSO token -> a Partner Center token, via msal."""
