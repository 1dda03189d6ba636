"""TLS for the identity emulator: a CA and a 127.0.0.1 certificate made at each start.

msal insists on https authorities, so the emulator serves HTTPS and prints the CA path that
clients must trust (never the system store: REQUESTS_CA_BUNDLE would otherwise win).
"""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path

import trustme


class LocalTls:
    def __init__(self, directory: Path | None = None) -> None:
        self._ca = trustme.CA(organization_name="Referral Bot local identity emulator")
        self._server_cert = self._ca.issue_cert("127.0.0.1", "localhost", "::1")
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="referral-bot-ca-")
        folder = directory or Path(self._tmp.name)  # type: ignore[union-attr]
        folder.mkdir(parents=True, exist_ok=True)
        self.ca_file = folder / "emulator-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._server_cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
