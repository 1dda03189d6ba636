"""Where the acting seller's assertion comes from (`dialogs.ports.UserAssertions`).

Production with an Azure Bot OAuth connection: the Bot Framework token service
(`TokenServiceAssertions`, filled by Teams SSO or the sign-in card of `dialogs.sign_in_dialog`);
tests point the token service URL at `emulators.token_service.app`. Without a connection the
demo uses the identity emulator's developer grant (`DevSsoAssertions`) and production asks to
sign in (`NoSignInAssertions`). Either way the token is then traded for a Partner Center token
by the real on-behalf-of provider.
"""
