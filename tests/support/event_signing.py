"""Partner Center's side of a webhook delivery, for tests: a signing CA, signing certificates
shaped as WEBHOOK_CONTRACT.md says (a TLS-style server certificate named after the dispatcher
host, RSA 2048), an HTTPS server that serves them at `/cert/<name>.cer` like Partner Center's
storage account, and signed deliveries (`Authorization: Signature <base64 RSA-SHA256>`).

Everything is made per test with trustme (the bot's roots, `trust_ca_file`, are the signing
CA; its download trust, `download_ca_file`, is the server's own TLS CA).
"""

from __future__ import annotations

import base64
import json
import ssl
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import trustme
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from bot.settings import EventSettings

CERTIFICATE_NAME = "pcnotifications-dispatch.tests.example"
ORGANIZATION = "Referral Bot Test Dispatch"


@dataclass(frozen=True)
class SigningCertificate:
    """A certificate Partner Center would sign with, its issuers (no root), its private key."""

    certificate: x509.Certificate
    issuers: tuple[x509.Certificate, ...]
    key: rsa.RSAPrivateKey = field(repr=False)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem_chain(self) -> bytes:
        """The leaf and its intermediates (no root), PEM: the other form the bot accepts."""
        chain = (self.certificate, *self.issuers)
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class SigningAuthority:
    """A CA issuing signing certificates (Partner Center's chain, or an impostor's)."""

    organization: str = ORGANIZATION
    certificate: x509.Certificate = field(init=False)
    key: rsa.RSAPrivateKey = field(init=False, repr=False)
    issuers: tuple[x509.Certificate, ...] = ()  # between this CA and the root
    _is_intermediate: bool = False

    def __post_init__(self) -> None:
        self.key = _key()
        name = _name(f"{self.organization} Webhook Root CA", self.organization)
        self.certificate = self._issue(name, name, self.key.public_key(), self.key, ca=True)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def certificate_for(self, name: str = CERTIFICATE_NAME) -> SigningCertificate:
        key = _key()
        leaf = self._issue(
            _name(name, self.organization), self.certificate.subject, key.public_key(), self.key
        )
        return SigningCertificate(leaf, self._chain(), key)

    def _chain(self) -> tuple[x509.Certificate, ...]:
        """The CAs a leaf of this one needs besides the root (none when this is the root)."""
        return (self.certificate, *self.issuers) if self._is_intermediate else ()

    def intermediate(self) -> SigningAuthority:
        """A CA issued by this one: its certificates chain through it to this root."""
        child = SigningAuthority.__new__(SigningAuthority)
        child.organization, child.key = self.organization, _key()
        name = _name(f"{self.organization} Webhook Issuing CA", self.organization)
        child.certificate = self._issue(
            name, self.certificate.subject, child.key.public_key(), self.key, ca=True
        )
        child.issuers, child._is_intermediate = self._chain(), True
        return child

    def _issue(
        self,
        subject: x509.Name,
        issuer: x509.Name,
        public_key: rsa.RSAPublicKey,
        signing_key: rsa.RSAPrivateKey,
        *,
        ca: bool = False,
    ) -> x509.Certificate:
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
                critical=False,
            )
            .add_extension(_usage(ca), critical=True)
        )
        if not ca:
            common_name = subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(str(common_name))]), critical=False
            ).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
        return builder.sign(signing_key, hashes.SHA256())


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class CertificateServer:
    """HTTPS on 127.0.0.1:0 serving certificate files by path, counting requests per path."""

    tls: trustme.CA
    files: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    _server: TestServer | None = None

    @property
    def host(self) -> str:
        assert self._server is not None
        return f"127.0.0.1:{self._server.port}"

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def publish(self, certificate: SigningCertificate, name: str = CERTIFICATE_NAME) -> str:
        """Serves `certificate` (DER) at /cert/<name>.cer; returns its URL."""
        path = f"/cert/{name}.cer"
        self.files[path] = certificate.der
        return self.url(path)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        if request.path in self.redirects:
            raise web.HTTPFound(self.redirects[request.path])
        if request.path not in self.files:
            raise web.HTTPNotFound()
        return web.Response(body=self.files[request.path])

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._serve)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.tls.issue_cert("127.0.0.1").configure_cert(tls)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server(ssl=tls)

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()


@dataclass
class WebhookSigning:
    """One test's Partner Center: the authority, its certificate, where it is served."""

    authority: SigningAuthority
    certificate: SigningCertificate
    server: CertificateServer
    trust_ca_file: Path
    download_ca_file: Path

    @property
    def certificate_url(self) -> str:
        return self.server.url(f"/cert/{CERTIFICATE_NAME}.cer")

    def settings(self, **overrides: Any) -> EventSettings:
        """The bot's event settings pointed at this Partner Center."""
        values: dict[str, Any] = {
            "certificate_hosts": [self.server.host],
            "certificate_name": CERTIFICATE_NAME,
            "issuer_organization": ORGANIZATION,
            "trust_ca_file": self.trust_ca_file,
            "download_ca_file": self.download_ca_file,
        }
        return EventSettings(**(values | overrides))

    def headers(
        self,
        body: bytes,
        *,
        signer: SigningCertificate | None = None,
        certificate_url: str | None = None,
        in_ms_signature: bool = False,
    ) -> dict[str, str]:
        """The headers Partner Center sends with `body` (signed by `signer`)."""
        signature = (signer or self.certificate).sign(body)
        placed = (
            {"x-ms-signature": f"Signature {signature}"}
            if in_ms_signature
            else {"Authorization": f"Signature {signature}"}
        )
        return {
            "Content-Type": "application/json",
            "x-ms-certificate-url": certificate_url or self.certificate_url,
            "x-ms-signature-algorithm": "rsa-sha256",
            **placed,
        }


@asynccontextmanager
async def webhook_signing(directory: Path) -> AsyncIterator[WebhookSigning]:
    """A signing authority, its certificate served over HTTPS; CA files written to `directory`."""
    authority = SigningAuthority()
    certificate = authority.certificate_for()
    tls = trustme.CA(organization_name="Referral Bot Test Storage")
    server = CertificateServer(tls)
    await server.start()
    trust, download = directory / "webhook-roots.pem", directory / "storage-tls.pem"
    trust.write_bytes(authority.pem)
    tls.cert_pem.write_to_path(str(download))
    server.publish(certificate)
    try:
        yield WebhookSigning(authority, certificate, server, trust, download)
    finally:
        await server.close()


def event_body(
    name: str = "referral-created",
    referral_id: str = "e2a9b7c4-0001-4a8f-9d7e-000000000001",
    *,
    changed_at: str = "2026-03-02T09:15:00.1234567+00:00",
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """A delivery body as the docs show it (PascalCase, `AuditUri` null)."""
    body = {
        "EventName": name,
        "ResourceUri": f"https://api.partnercenter.microsoft.com/engagements/v1/referrals/{referral_id}",
        "ResourceName": "referral",
        "AuditUri": None,
        "ResourceChangeUtcDate": changed_at,
        **(extra or {}),
    }
    return json.dumps(body, indent=4).encode()
