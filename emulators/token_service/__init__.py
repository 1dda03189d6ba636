"""The Bot Framework token service emulator, backed by the Entra emulator (Teams SSO in tests)."""
