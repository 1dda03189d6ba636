"""Where the acting seller's assertion comes from (`dialogs.ports.UserAssertions`).

Production gets it from Teams SSO (issue 5; until then `NoSignInAssertions`); the demo and the
integration tests get it from the identity emulator's developer grant (`DevSsoAssertions`).
Either way it is then traded for a Partner Center token by the real on-behalf-of provider.
"""
